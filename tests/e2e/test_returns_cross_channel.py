"""Returns from every channel end to end (issue #12, must-show 1 and 4) on a real ledger
(SQLite and PostgreSQL) wired to the carrier simulator, with real stations: counters at
BLR-01 and MUM-01 and a bench at WH-BHW. A web order delivered and returned in another
store, a marketplace order, a store-picked order returned at another store and a parcel
returned to origin at the warehouse each move stock into the bucket their grade names and
the ledger agrees after sync; two counters offline taking back the same last unit are
both applied exactly once, the second flagged with its refund held; two stores offline
taking items back without an order for one customer, each under the limit it can see,
together over the limit the ledger counts: both applied once, the second held and flagged
to its store's counter. One ledger per module and backend; each test sells its own items
(or takes back seed items no other test here moves)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.exception_texts import OVER_RETURN, RETURN_NEEDS_APPROVAL
from app.domain.returns.draft import ReturnDraft, check_unit, refund_of
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.lookup import LookFor
from app.domain.tax.invoice_numbers import INDIA
from app.errors import Offline, RuleRefused
from app.services.returns.results import ManagerApproval, UnitToTake
from app.services.returns.words import NO_RECEIPT
from app.services.station import Station
from app.storage import device
from app.storage.engine import raw_connection
from tests.ledger.return_support import collected_order
from tests.ledger.ship_support import stock_item
from tests.support.bench_steps import bench_station
from tests.support.carrier_ledger import carrier_ledger
from tests.support.ledger import RunningLedger, backend_params
from tests.support.return_steps import (
    STAFF,
    balances,
    carrier_says,
    draft_for,
    exceptions_of,
    push_again,
    queued_intakes,
    return_rows,
    shipped_order,
    till_sale,
    unsent,
)
from tests.sync.stations import enrolled_station

G, D = Grade, Disposition
NOW = datetime.now(UTC)
MANAGER = ManagerApproval("M300", "3333")  # regional manager of BLR-01 and MUM-01


@pytest.fixture(scope="module", params=backend_params())
def ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    workdir = tmp_path_factory.mktemp("returns-e2e")
    with carrier_ledger(request.param, workdir, "tiny") as (running, _sim):
        yield running


@pytest.fixture(scope="module")
def stations(
    ledger: RunningLedger, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Station]]:
    """Counters at BLR-01 and MUM-01 and a bench at WH-BHW, enrolled and synced."""
    root = tmp_path_factory.mktemp("stations")
    built = {
        "BLR-01": enrolled_station(ledger, root / "blr", location="BLR-01"),
        "MUM-01": enrolled_station(ledger, root / "mum", location="MUM-01"),
        "WH-BHW": bench_station(ledger, root / "bhw", "WH-BHW"),
    }
    yield built
    for station in built.values():
        station.close()


def _credit_block(ledger: RunningLedger, station: Station) -> tuple[str, int, int]:
    """(prefix, first, last) of the credit note block the ledger gave ``station``."""
    with station.db.reading() as session:
        enrolment = device.enrolment(session)
    assert enrolment is not None
    ((prefix, first, last),) = ledger.sql(
        "SELECT prefix, first_serial, last_serial FROM invoice_blocks "
        "WHERE device_id = :d AND series = 'credit_note'",
        {"d": enrolment.device_id},
    )
    return str(prefix), int(first), int(last)


def test_a_web_order_delivered_from_blr_is_returned_at_mumbais_counter(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    shirt = stock_item(ledger, "RX-WEB-SHIRT", {"BLR-01": 5})
    belt = stock_item(ledger, "RX-WEB-BELT", {"BLR-01": 5})
    ledger.sql("UPDATE items SET return_days = 30 WHERE sku IN ('RX-WEB-SHIRT', 'RX-WEB-BELT')")
    customer = {"name": "Meera Iyer", "city": "Bengaluru", "latitude": 12.9352,
                "longitude": 77.6245, "phone": "+91 98111 00001"}  # fmt: skip
    parcel = shipped_order(
        ledger, "WEB-RX01", [(shirt, 2), (belt, 1)],
        discount_minor=150_00, shipping_minor=60_00, customer=customer,
    )  # fmt: skip
    assert parcel.location == "BLR-01"
    sold = NOW - timedelta(days=40)  # outside a 30-day window counted from the sale …
    delivered = NOW - timedelta(days=10)  # … inside one counted from delivery
    ledger.sql("UPDATE orders SET created_at = :t WHERE order_number = 'WEB-RX01'", {"t": sold})
    carrier_says(ledger, parcel, "shipped", sold + timedelta(days=1))
    carrier_says(ledger, parcel, "delivered", delivered)
    mum = stations["MUM-01"]
    before = balances(ledger, "MUM-01", shirt).get("sellable", 0)

    assert mum.returns.find_here("WEB-RX01").orders == ()  # never seen at this counter
    by_number = mum.returns.ask_ledger("web-rx01", STAFF)
    by_phone = mum.returns.ask_ledger("98111 00001", STAFF)

    (order,) = by_number.orders
    assert by_phone.way is LookFor.PHONE
    assert [o.order_number for o in by_phone.orders] == ["WEB-RX01"]
    assert (order.channel, order.location, order.customer) == ("web", "BLR-01", "Meera ••0001")
    assert order.sold_on == sold.astimezone(INDIA).date()
    assert order.delivered_on == delivered.astimezone(INDIA).date() == order.window_starts
    with pytest.raises(RuleRefused, match="past its return window"):  # counted from the sale
        check_unit(ReturnDraft(replace(order, delivered_on=None)), order.lines[0], NOW)
    draft = draft_for(ReturnDraft(order), [(shirt, G.A, D.SELLABLE, "wrong_size")])
    # Paid: shirts 2 × ₹500 = ₹1,000, belt ₹500; goods ₹1,500. The ₹150 discount is shared
    # by paid value: shirts ₹150 × 1000/1500 = ₹100, belt ₹50; the shirts' line comes to
    # ₹900, so one of two shirts back is ₹450. The order is not emptied and wrong size is
    # not the retailer's fault: no shipping back; grade A keeps no restocking fee.
    assert refund_of(draft).total_minor == 450_00

    taken = mum.returns.take(draft, STAFF)

    prefix, first, last = _credit_block(ledger, mum)
    serial = re.fullmatch(rf"{re.escape(prefix)}/\d{{4}}/(\d{{5}})", taken.credit_note)
    assert serial is not None and first <= int(serial.group(1)) <= last, taken.credit_note
    assert (taken.refund_minor, taken.held) == (450_00, False)
    mum.sync.sync_once()
    assert unsent(mum) == []
    assert balances(ledger, "MUM-01", shirt)["sellable"] == before + 1
    assert return_rows(ledger, taken.return_id) == (
        ("WEB-RX01", "MUM-01", None, 450_00, "due", taken.credit_note),
        [(1, shirt, 1, "A", "sellable", 450_00)],
    )
    assert exceptions_of(ledger, "WEB-RX01") == []
    (again,) = mum.returns.ask_ledger("WEB-RX01", STAFF).orders
    assert [(x.returned, x.left) for x in again.lines] == [(1, 1), (0, 1)]
    assert [b.location_code for b in again.lines[0].earlier] == ["MUM-01"]


def test_a_marketplace_order_graded_b_goes_to_open_box_at_the_ledger(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    lamp = stock_item(ledger, "RX-MKT-LAMP", {"BLR-01": 4})
    parcel = shipped_order(ledger, "MKT-RX02", [(lamp, 1)], channel="marketplace")
    carrier_says(ledger, parcel, "shipped", NOW - timedelta(days=3))
    carrier_says(ledger, parcel, "delivered", NOW - timedelta(days=2))
    mum = stations["MUM-01"]

    (order,) = mum.returns.ask_ledger("MKT-RX02", STAFF).orders
    taken = mum.returns.take(
        draft_for(ReturnDraft(order), [(lamp, G.B, D.OPEN_BOX, "no_longer_wanted")]), STAFF
    )
    mum.sync.sync_once()

    assert order.channel == "marketplace"
    assert unsent(mum) == []
    assert balances(ledger, "MUM-01", lamp) == {"open_box": 1}
    head, lines = return_rows(ledger, taken.return_id)
    assert head[:2] == ("MKT-RX02", "MUM-01") and head[4] == "due"
    assert lines == [(1, lamp, 1, "B", "open_box", taken.refund_minor)]
    assert exceptions_of(ledger, "MKT-RX02") == []


def test_a_store_picked_order_collected_at_blr_is_returned_defective_at_mumbai(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    kettle = stock_item(ledger, "RX-BOPIS-KETTLE", {"BLR-01": 3})
    collected_order(ledger, "WEB-RX03", [(kettle, 2)])
    mum = stations["MUM-01"]

    (order,) = mum.returns.ask_ledger("WEB-RX03", STAFF).orders
    taken = mum.returns.take(
        draft_for(ReturnDraft(order), [(kettle, G.DEFECTIVE, D.RTV, "defective")]), STAFF
    )
    mum.sync.sync_once()

    assert order.location == "BLR-01"
    assert unsent(mum) == []
    assert balances(ledger, "MUM-01", kettle) == {"rtv": 1}
    assert balances(ledger, "BLR-01", kettle) == {"sellable": 1}  # 3 stocked, 2 collected
    head, lines = return_rows(ledger, taken.return_id)
    assert head[:2] == ("WEB-RX03", "MUM-01") and head[4] == "due"
    assert lines == [(1, kettle, 1, "defective", "rtv", taken.refund_minor)]
    assert exceptions_of(ledger, "WEB-RX03") == []


def test_a_parcel_returned_to_origin_is_received_at_the_warehouse_bench_by_its_sscc(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    rug = stock_item(ledger, "RX-RTO-RUG", {"WH-BHW": 6})
    parcel = shipped_order(ledger, "WEB-RX04", [(rug, 2)])
    assert parcel.location == "WH-BHW"
    carrier_says(ledger, parcel, "shipped", NOW - timedelta(days=4))
    carrier_says(ledger, parcel, "rto", NOW - timedelta(days=1))
    bench = stations["WH-BHW"]

    found = bench.returns.ask_ledger(parcel.sscc, STAFF)
    (order,) = found.orders
    draft = replace(
        draft_for(ReturnDraft(order), [(rug, G.C, D.DAMAGED, "damaged_in_transit")] * 2),
        parcel=parcel.sscc,
    )
    taken = bench.returns.take(draft, STAFF)
    (op,) = queued_intakes(bench)
    bench.sync.sync_once()

    assert (found.way, order.order_number) == (LookFor.PARCEL, "WEB-RX04")
    assert parcel.sscc in order.parcels  # with its carrier's tracking number: both find it
    assert op.payload["parcel"] == parcel.sscc
    assert unsent(bench) == []
    assert balances(ledger, "WH-BHW", rug) == {"sellable": 4, "damaged": 2}
    head, lines = return_rows(ledger, taken.return_id)
    assert head[:3] == ("WEB-RX04", "WH-BHW", parcel.sscc)
    assert lines == [(1, rug, 2, "C", "damaged", taken.refund_minor)]
    ((state,),) = ledger.sql(
        "SELECT state FROM fulfilment_orders WHERE id = :f", {"f": parcel.fulfilment_id}
    )
    assert state == "returned"
    notes = ledger.sql(
        "SELECT note FROM fulfilment_events WHERE fulfilment_order_id = :f AND state = 'returned'",
        {"f": parcel.fulfilment_id},
    )
    assert notes == [(f"Parcel {parcel.sscc} received back.",)]
    assert exceptions_of(ledger, "WEB-RX04") == []


def test_two_counters_offline_take_back_the_same_last_unit_both_applied_once_second_held(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    """Last in the module with the next test: they stop the ledger."""
    fan = stock_item(ledger, "RX-OFF-FAN", {"BLR-01": 2})
    till_sale(ledger, "RCPT-RX05", [(fan, 1)], "BLR-01")
    blr, mum = stations["BLR-01"], stations["MUM-01"]
    orders = {code: s.returns.ask_ledger("RCPT-RX05", STAFF).orders[0] for code, s in
              (("BLR-01", blr), ("MUM-01", mum))}  # fmt: skip
    one = [(fan, G.A, D.SELLABLE, "no_longer_wanted")]

    ledger.stop()
    try:
        taken = {
            code: station.returns.take(draft_for(ReturnDraft(orders[code]), one), STAFF)
            for code, station in (("BLR-01", blr), ("MUM-01", mum))
        }
        ops = {code: queued_intakes(s) for code, s in (("BLR-01", blr), ("MUM-01", mum))}
    finally:
        ledger.start()
    mum.sync.sync_once()
    blr.sync.sync_once()
    replayed = [push_again(s, ops[c][0]) for c, s in (("BLR-01", blr), ("MUM-01", mum))]

    assert [len(ops["BLR-01"]), len(ops["MUM-01"])] == [1, 1]
    assert all(x.credit_note and not x.held for x in taken.values())  # offline, each counter
    assert [(r.status, r.replayed) for r in replayed] == [("applied", True)] * 2
    assert unsent(blr) == [] and unsent(mum) == []
    states = {code: return_rows(ledger, x.return_id)[0] for code, x in taken.items()}
    assert states["MUM-01"][4] == "due"  # pushed first: the one unit sold
    assert states["BLR-01"][4] == "held"  # pushed second: more back than was sold
    counted = ledger.sql("SELECT count(*) FROM returns WHERE order_number = 'RCPT-RX05'")
    assert counted == [(2,)]
    assert exceptions_of(ledger, "RCPT-RX05") == [(OVER_RETURN, "open")]
    moved = ledger.sql(
        "SELECT l.code, count(*) FROM stock_movements m JOIN returns r ON r.op_id = m.op_id "
        "JOIN locations l ON l.id = r.location_id WHERE r.order_number = 'RCPT-RX05' "
        "GROUP BY l.code ORDER BY l.code"
    )
    assert moved == [("BLR-01", 1), ("MUM-01", 1)]  # once each, though pushed twice
    # 2 stocked and 1 back; the till sale moved none (the store's counts learn of it)
    assert balances(ledger, "BLR-01", fan) == {"sellable": 3}
    assert balances(ledger, "MUM-01", fan) == {"sellable": 1}


def _ledger_returns(station: Station, return_id: str) -> list[str]:
    """The refund state of each line of ``return_id`` as the station pulled it."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT refund_state FROM ledger_returns WHERE return_id = ?", (return_id,)
        )
        return [str(state) for (state,) in rows]


def test_two_stores_offline_without_an_order_go_over_the_customers_limit_second_held(
    ledger: RunningLedger, stations: dict[str, Station]
) -> None:
    """The limit is ₹5,000 per customer per 30 days; each store sees only its own ₹3,000
    or ₹2,500. Last in the module with the test above: it stops the ledger."""
    dear = ledger.sql("SELECT sku FROM items WHERE price_minor >= 300000 ORDER BY id LIMIT 2")
    (at_mum_sku,), (at_blr_sku,) = dear  # seed items: in the stations' catalogs
    blr, mum = stations["BLR-01"], stations["MUM-01"]
    phone = "+91 98111 00012"
    before = {"MUM-01": balances(ledger, "MUM-01", at_mum_sku),
              "BLR-01": balances(ledger, "BLR-01", at_blr_sku)}  # fmt: skip

    ledger.stop()
    try:
        for station in (blr, mum):
            with pytest.raises(Offline):
                station.sync.sync_once()
            found = station.returns.find_here(phone)
            assert (found.said, found.ask_ledger) == (NO_RECEIPT, False)  # so: Ctrl+N
        at_mum = mum.returns.take_without_order(
            [UnitToTake(at_mum_sku, G.A, D.SELLABLE, "no_longer_wanted", 300_000)],
            phone, MANAGER, STAFF,
        )  # fmt: skip
        at_blr = blr.returns.take_without_order(  # the same customer, keyed another way
            [UnitToTake(at_blr_sku, G.B, D.OPEN_BOX, "wrong_size", 250_000)],
            "098111 00012", MANAGER, STAFF,
        )  # fmt: skip
        ops = {code: queued_intakes(s) for code, s in (("BLR-01", blr), ("MUM-01", mum))}
    finally:
        ledger.start()
    mum.sync.sync_once()
    blr.sync.sync_once()
    replayed = [push_again(s, ops[c][0]) for c, s in (("BLR-01", blr), ("MUM-01", mum))]
    mum.sync.sync_once()
    blr.sync.sync_once()

    assert [len(ops["BLR-01"]), len(ops["MUM-01"])] == [1, 1]
    assert all(x.credit_note and not x.held for x in (at_mum, at_blr))  # each under its limit
    assert [(r.status, r.replayed) for r in replayed] == [("applied", True)] * 2
    assert unsent(blr) == [] and unsent(mum) == []
    assert ledger.sql(
        "SELECT r.return_id, l.code, r.order_number, r.total_minor, r.refund_state, r.approver "
        "FROM returns r JOIN locations l ON l.id = r.location_id "
        "WHERE r.customer_phone = '9811100012' ORDER BY r.id"
    ) == [
        (at_mum.return_id, "MUM-01", None, 300_000, "approved", "M300"),  # pushed first
        (at_blr.return_id, "BLR-01", None, 250_000, "held", "M300"),  # over ₹5,000 in all
    ]
    flags = ledger.sql(
        "SELECT e.kind, e.status, l.code, e.message FROM exceptions e "
        "JOIN returns r ON r.op_id = e.op_id JOIN locations l ON l.id = e.location_id "
        "WHERE r.customer_phone = '9811100012'"
    )
    assert [f[:3] for f in flags] == [(RETURN_NEEDS_APPROVAL, "open", "BLR-01")]
    assert "over the ₹5,000.00 limit per 30 days without a receipt (₹3,000.00 back" in flags[0][3]
    moved = ledger.sql(
        "SELECT l.code, count(*) FROM stock_movements m JOIN returns r ON r.op_id = m.op_id "
        "JOIN locations l ON l.id = r.location_id WHERE r.customer_phone = '9811100012' "
        "GROUP BY l.code ORDER BY l.code"
    )
    assert moved == [("BLR-01", 1), ("MUM-01", 1)]  # once each, though pushed twice
    sellable = before["MUM-01"].get("sellable", 0) + 1
    assert balances(ledger, "MUM-01", at_mum_sku) == {**before["MUM-01"], "sellable": sellable}
    assert balances(ledger, "BLR-01", at_blr_sku) == {**before["BLR-01"], "open_box": 1}
    assert _ledger_returns(mum, at_mum.return_id) == ["approved"]
    assert _ledger_returns(blr, at_blr.return_id) == ["held"]  # the counter sees it wait
    (shown,) = [e for e in blr.exceptions.open_exceptions() if e.kind == RETURN_NEEDS_APPROVAL]
    assert shown.ledger_flag and "over the ₹5,000.00 limit" in shown.detail
    assert [e for e in mum.exceptions.open_exceptions() if e.kind == RETURN_NEEDS_APPROVAL] == []
