"""An exchange end to end (issue #12: "a return plus a new pickup order for the replacement,
in one flow") on a real ledger, SQLite and PostgreSQL. A till sale at BLR-01 comes back at
MUM-01's counter while the ledger is stopped, exchanged for another item: the return and
the ``exchange.order`` wait in the outbox, the slip prints and its QR decodes. Once the
ledger is back and the counter syncs, the ledger holds the replacement as a pickup order
at MUM-01 (reserved); the counter's Pickup finds it by the slip's QR with the code
verified and takes it through accept, pick by scan, stage, ready and handover with the
pickup code; the ledger shows it collected, the returned unit in its bucket and the
replacement gone from MUM-01's shelf. Pushing both operations again doubles nothing.
The ledger and stations are those of :mod:`tests.e2e.test_returns_cross_channel`."""

from __future__ import annotations

import pytest

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_codes import qr_payload
from app.domain.pickup_ops import Proof, Verification
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.exchange import EXCHANGE_ORDER, ExchangeLine, ExchangeOrder
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE
from app.errors import NotFound, Offline
from app.services.station import Station
from app.storage import outbox as outbox_store
from tests.e2e import test_returns_cross_channel as cross
from tests.labels.support import decode, pdf_pages
from tests.ledger.pickup_support import stock, timeline
from tests.ledger.ship_support import stock_item
from tests.support.ledger import RunningLedger
from tests.support.return_steps import (
    STAFF,
    balances,
    draft_for,
    push_again,
    return_rows,
    till_sale,
    unsent,
)

ledger = cross.ledger  # one ledger per backend for this module, as there
stations = cross.stations
G, D = Grade, Disposition
BY_CODE = Proof(Verification.PICKUP_CODE, "Kavya Menon")


def _queued(station: Station) -> list[outbox_store.QueuedOp]:
    """The station's operations still waiting to go, as a push sends them."""
    with station.db.reading() as session:
        return list(outbox_store.pending_batch(session, 50))


def _slip_reads(station: Station, order_number: str) -> set[str]:
    """What the printed exchange slip of ``order_number`` decodes to."""
    slip = station.data_dir / "printed" / f"exchange-{order_number}.pdf"
    return {t for page in pdf_pages(slip.read_bytes(), 200) for _, t, _ in decode(page)}


def _gtin(ledger: RunningLedger, sku: str) -> str:
    ((gtin,),) = ledger.sql("SELECT gtin FROM items WHERE sku = :s", {"s": sku})
    return str(gtin)


def test_an_exchange_offline_at_mumbai_is_placed_picked_and_collected_once_back_online(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    jacket = stock_item(ledger, "RX-EX-JACKET", {"BLR-01": 2})
    coat = stock_item(ledger, "RX-EX-COAT", {"MUM-01": 3})
    till_sale(ledger, "RCPT-RX20", [(jacket, 1)], "BLR-01")
    mum = stations["MUM-01"]
    mum.sync.sync_once()  # the new items reach the counter's catalog
    (order,) = mum.returns.ask_ledger("RCPT-RX20", STAFF).orders  # kept here for offline

    ledger.stop()
    try:
        with pytest.raises(Offline):
            mum.sync.sync_once()
        draft = draft_for(ReturnDraft(order), [(jacket, G.A, D.SELLABLE, "wrong_size")])
        one = mum.returns.replacement(coat, ())
        taken = mum.returns.exchange(draft, [one], STAFF)
        queued = _queued(mum)
        read = _slip_reads(mum, taken.exchange_order)
        with pytest.raises(NotFound, match="not in this station's cache"):
            mum.pickup.find(qr_payload(taken.exchange_order, taken.pickup_code))
    finally:
        ledger.start()
    mum.sync.sync_once()

    assert (one.sku, one.from_here) == (coat, True)
    qr = qr_payload(taken.exchange_order, taken.pickup_code)
    assert {qr, taken.exchange_order} <= read
    assert [op.type for op in queued] == [RETURN_INTAKE, EXCHANGE_ORDER]
    placed = ExchangeOrder.from_payload(queued[1].payload)
    assert (placed.return_id, placed.lines) == (taken.return_id, (ExchangeLine(coat, 1),))
    assert placed.from_here == (True,)  # kept for a reprint; the ledger routes it itself
    assert unsent(mum) == []
    routed = ledger.sql(
        "SELECT o.channel, o.method, f.state, l.code FROM orders o "
        "JOIN fulfilment_orders f ON f.order_id = o.id JOIN locations l ON l.id = f.location_id "
        "WHERE o.order_number = :n",
        {"n": taken.exchange_order},
    )
    assert routed == [("store", "pickup", "routed", "MUM-01")]
    assert stock(ledger, "MUM-01", coat) == (3, 1)  # reserved for the customer

    found = mum.pickup.find(qr)
    assert found.found_by == "qr" and found.code_verified and found.detail is not None
    detail = found.detail
    fid = detail.summary.fulfilment_id
    assert detail.summary.order_number == taken.exchange_order
    assert [(x.sku, x.ordered) for x in detail.lines] == [(coat, 1)]
    mum.pickup.accept(STAFF, fid)
    mum.pickup.pick(STAFF, fid, _gtin(ledger, coat))
    mum.pickup.stage(STAFF, fid, detail.store_bins[0])
    mum.pickup.ready(STAFF, fid)
    assert mum.pickup.verify_pickup_code(fid, taken.pickup_code)
    done = mum.pickup.handover(STAFF, fid, {coat: 1}, BY_CODE)
    mum.sync.sync_once()

    assert done.order.summary.state is FulfilmentState.COLLECTED
    events = [e["state"] for e in timeline(ledger, taken.exchange_order)["events"]]
    assert events[0] == "routed" and events[-3:] == ["staged", "ready_for_pickup", "collected"]
    assert balances(ledger, "MUM-01", jacket) == {"sellable": 1}  # graded A: back on sale
    assert stock(ledger, "MUM-01", coat) == (2, 0)  # the replacement is the customer's
    head, lines = return_rows(ledger, taken.return_id)
    assert head[:2] == ("RCPT-RX20", "MUM-01") and head[4] == "due"
    assert lines == [(1, jacket, 1, "A", "sellable", taken.refund_minor)]

    replayed = [push_again(mum, op) for op in queued]
    assert [(r.status, r.replayed) for r in replayed] == [("applied", True)] * 2
    counted = ledger.sql(
        "SELECT (SELECT count(*) FROM orders WHERE order_number = :n), "
        "(SELECT count(*) FROM returns WHERE return_id = :r)",
        {"n": taken.exchange_order, "r": taken.return_id},
    )
    assert counted == [(1, 1)]
    assert balances(ledger, "MUM-01", jacket) == {"sellable": 1}
    assert stock(ledger, "MUM-01", coat) == (2, 0)
    assert timeline(ledger, taken.exchange_order)["events"][-1]["state"] == "collected"
