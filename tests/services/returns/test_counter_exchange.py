"""An exchange at a counter: the return and a pickup order for the replacement in one
transaction; the slip prints a pickup code and a QR that decode; the ledger routes the
order here (from this store's shelf, else sent from another location) and the counter's
Pickup finds it by the slip's QR; a replacement the ledger cannot place is refused with
words while the return stands; an exchange with nothing to replace writes nothing; a unit
promised by an exchange still in the outbox is not promised again; a store without store
pickup orders no replacement.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.pickup_codes import qr_payload
from app.domain.returns.exchange import EXCHANGE_ORDER, ExchangeLine, ExchangeOrder
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE
from app.errors import NotFound, RuleRefused
from app.services.results import CountCheck, StaffSession
from app.services.station import Station
from app.storage import outbox
from app.storage.engine import raw_connection
from tests.labels.support import decode, pdf_pages
from tests.services.returns.conftest import skus, till_sale
from tests.services.returns.test_counter_take import draft_of
from tests.support.ledger import RunningLedger

A100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
ORDER = r"EX-MUM-01-[0-9A-F]{12}"


def _ops(station: Station) -> list[outbox.QueuedOp]:
    with station.db.reading() as session:
        return list(outbox.pending_batch(session, 50))


def _count_none_here(station: Station, sku: str) -> None:
    """Count the shelf here empty (recount and reason as the store asks), and sync."""
    done = station.stock.count(A100, sku, 0)
    if isinstance(done, CountCheck):
        done = station.stock.count(A100, sku, 0, first_count=0)
    if isinstance(done, CountCheck):
        done = station.stock.count(A100, sku, 0, first_count=0, reason=done.reasons[0][0])
    assert not isinstance(done, CountCheck)
    station.sync.sync_once()


def test_an_exchange_records_the_return_and_a_pickup_order_here_that_pickup_finds(
    return_ledger: RunningLedger, counter: Station
) -> None:
    kurta, shirt = skus(return_ledger)[40:42]
    till_sale(return_ledger, "SWAP-0001", [(kurta, 1)])
    draft = draft_of(counter, "SWAP-0001", [(kurta, Grade.A, Disposition.SELLABLE)])
    one = counter.returns.replacement(shirt, ())
    assert (one.sku, one.from_here) == (shirt, True)  # on this store's shelf

    taken = counter.returns.exchange(draft, [one], A100)

    assert taken.exchange_order and taken.credit_note and len(taken.pickup_code) == 6
    assert taken.said.startswith(f"Exchange saved: replacement order {taken.exchange_order}")
    assert f"pickup code {taken.pickup_code}" in taken.said
    assert "Credit note" in taken.said  # the return's own words follow
    ops = _ops(counter)
    assert [op.type for op in ops] == [RETURN_INTAKE, EXCHANGE_ORDER]
    order = ExchangeOrder.from_payload(ops[1].payload)
    assert order.return_id == taken.return_id and order.lines == (ExchangeLine(shirt, 1),)
    assert order.refund_minor == taken.refund_minor
    assert order.replacement_minor == one.price_minor

    slip = counter.data_dir / "printed" / f"exchange-{taken.exchange_order}.pdf"
    read = {text for page in pdf_pages(slip.read_bytes(), 200) for _, text, _ in decode(page)}
    assert qr_payload(taken.exchange_order, taken.pickup_code) in read
    assert taken.exchange_order in read

    counter.sync.sync_once()  # pushes both, then pulls the routed order
    placed = return_ledger.sql(
        "SELECT o.channel, o.method, f.state, l.code FROM orders o "
        "JOIN fulfilment_orders f ON f.order_id = o.id JOIN locations l ON l.id = f.location_id "
        "WHERE o.order_number = :n",
        {"n": taken.exchange_order},
    )
    assert placed == [("store", "pickup", "routed", "MUM-01")]
    found = counter.pickup.find(qr_payload(taken.exchange_order, taken.pickup_code))
    assert found.code_verified and found.detail is not None
    assert found.detail.summary.order_number == taken.exchange_order
    assert [(x.sku, x.ordered) for x in found.detail.lines] == [(shirt, 1)]
    assert _ops(counter) == []  # both applied, nothing left to send


def test_a_replacement_not_on_this_shelf_is_sent_here_from_another_location(
    return_ledger: RunningLedger, counter: Station
) -> None:
    lamp, vase = skus(return_ledger)[42:44]
    till_sale(return_ledger, "SWAP-0002", [(lamp, 1)])
    _count_none_here(counter, vase)
    draft = draft_of(counter, "SWAP-0002", [(lamp, Grade.B, Disposition.OPEN_BOX)])

    one = counter.returns.replacement(vase, ())
    assert one.from_here is False
    taken = counter.returns.exchange(draft, [one], A100)
    counter.sync.sync_once()

    states = return_ledger.sql(
        "SELECT f.state FROM orders o JOIN fulfilment_orders f ON f.order_id = o.id "
        "WHERE o.order_number = :n",
        {"n": taken.exchange_order},
    )
    assert states == [("awaiting_transfer",)]  # ship-for-pickup from another location


def test_a_replacement_nobody_has_is_refused_and_the_ledger_refuses_what_it_cannot_place(
    return_ledger: RunningLedger, counter: Station
) -> None:
    mug, bowl = skus(return_ledger)[44:46]
    till_sale(return_ledger, "SWAP-0003", [(mug, 1)])
    with pytest.raises(NotFound, match="is not an item this store sells"):
        counter.returns.replacement("NO-SUCH-SKU", ())
    _count_none_here(counter, bowl)
    with counter.db.writing() as session:  # as if the others had just sold theirs
        raw_connection(session).execute(
            "UPDATE network_stock SET available = 0 WHERE item_id = "
            "(SELECT id FROM items WHERE sku = ?)",
            (bowl,),
        )
    with pytest.raises(RuleRefused, match="No store or warehouse has another"):
        counter.returns.replacement(bowl, ())
    draft = draft_of(counter, "SWAP-0003", [(mug, Grade.A, Disposition.SELLABLE)])
    with pytest.raises(RuleRefused, match="No replacement is scanned yet"):
        counter.returns.exchange(draft, [], A100)
    assert _ops(counter) == []  # nothing written

    one = counter.returns.replacement(mug, ())  # the same item, a fresh unit
    taken = counter.returns.exchange(draft, [one], A100)
    with counter.db.writing() as session:  # an item the ledger no longer sells
        raw_connection(session).execute(
            "UPDATE outbox SET payload = json_set(payload, '$.lines[0].sku', 'GONE-1') "
            "WHERE type = ?",
            (EXCHANGE_ORDER,),
        )
    counter.sync.sync_once()

    placed = return_ledger.sql(
        "SELECT count(*) FROM orders WHERE order_number = :n", {"n": taken.exchange_order}
    )
    assert placed == [(0,)]
    kept = return_ledger.sql(
        "SELECT count(*) FROM returns WHERE return_id = :r", {"r": taken.return_id}
    )
    assert kept == [(1,)]  # the return stands
    with counter.db.reading() as session:
        row = (
            raw_connection(session)
            .execute("SELECT status, result FROM outbox WHERE type = ?", (EXCHANGE_ORDER,))
            .fetchone()
        )
    assert row[0] == "rejected" and "was not placed: Unknown SKU(s): GONE-1" in row[1]


def test_the_same_item_back_and_out_in_one_push_keeps_both_the_return_and_the_reservation(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (towel,) = skus(return_ledger)[47:48]
    till_sale(return_ledger, "SWAP-0004", [(towel, 1)])
    before = _sellable_at_mum(return_ledger, towel)
    draft = draft_of(counter, "SWAP-0004", [(towel, Grade.A, Disposition.SELLABLE)])

    counter.returns.exchange(draft, [counter.returns.replacement(towel, ())], A100)
    counter.sync.sync_once()  # one push: the return moves the shelf, the order reserves

    assert _sellable_at_mum(return_ledger, towel) == (before[0] + 1, before[1] + 1)


def _sellable_at_mum(ledger: RunningLedger, sku: str) -> tuple[int, int]:
    (row,) = ledger.sql(
        "SELECT b.on_hand, b.reserved FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id "
        "WHERE i.sku = :s AND l.code = 'MUM-01' AND b.bucket = 'sellable'",
        {"s": sku},
    )
    return int(row[0]), int(row[1])


def test_an_exchange_with_no_credit_note_number_left_is_refused_and_nothing_is_kept(
    return_ledger: RunningLedger, counter: Station
) -> None:
    cup, plate = skus(return_ledger)[48:50]
    till_sale(return_ledger, "SWAP-0005", [(cup, 1)])
    with counter.db.writing() as session:  # no credit note numbers left: the refund waits
        raw_connection(session).execute(
            "UPDATE invoice_blocks SET next_serial = last + 1 WHERE series = 'credit_note'"
        )
    draft = draft_of(counter, "SWAP-0005", [(cup, Grade.A, Disposition.SELLABLE)])
    plate_unit = counter.returns.replacement(plate, ())

    with pytest.raises(RuleRefused, match="no credit note numbers left, so the refund cannot"):
        counter.returns.exchange(draft, [plate_unit], A100)

    assert _ops(counter) == []  # neither the return nor the order
    taken = counter.returns.take(draft, A100)  # the return alone: its refund waits
    assert taken.held and not taken.exchange_order
    assert [op.type for op in _ops(counter)] == [RETURN_INTAKE]


def test_units_promised_by_an_exchange_not_yet_sent_are_not_promised_again(
    return_ledger: RunningLedger, counter: Station
) -> None:
    cup, jug = skus(return_ledger)[44], skus(return_ledger)[46]
    till_sale(return_ledger, "SWAP-0006", [(cup, 1)])
    _count_none_here(counter, jug)
    with counter.db.writing() as session:  # one left in the whole network, elsewhere
        conn = raw_connection(session)
        conn.execute(
            "UPDATE network_stock SET available = 0 WHERE item_id = "
            "(SELECT id FROM items WHERE sku = ?)",
            (jug,),
        )
        conn.execute(
            "UPDATE network_stock SET available = 1 WHERE id = (SELECT min(n.id) FROM "
            "network_stock n JOIN locations l ON l.id = n.location_id WHERE l.code != "
            "'MUM-01' AND n.item_id = (SELECT id FROM items WHERE sku = ?))",
            (jug,),
        )
    first = draft_of(counter, "SWAP-0006", [(cup, Grade.A, Disposition.SELLABLE)])
    counter.returns.exchange(first, [counter.returns.replacement(jug, ())], A100)

    with pytest.raises(RuleRefused, match="No store or warehouse has another"):
        counter.returns.replacement(jug, ())  # the last one waits in the outbox for SWAP-0006


def test_a_store_without_store_pickup_orders_no_replacement(
    return_ledger: RunningLedger, counter: Station
) -> None:
    (shirt,) = skus(return_ledger)[41:42]
    with counter.db.writing() as session:  # as synced for a store without click & collect
        conn = raw_connection(session)
        (kept,) = conn.execute(
            "SELECT capabilities FROM locations WHERE code = 'MUM-01'"
        ).fetchone()
        assert "bopis" in kept  # the flag is cached, so its absence can be seen
        conn.execute("UPDATE locations SET capabilities = '[\"returns\"]' WHERE code = 'MUM-01'")

    with pytest.raises(RuleRefused, match="does not hand over pickup orders"):
        counter.returns.replacement(shirt, ())
