"""Parcels scanned out to the carrier (``ship.handover``) pushed by a bench, on SQLite and
PostgreSQL: the parcel records when it left, who handed it and the e-way bill; the order
ships once every parcel has left; the timeline says so; a hand-over re-sent after an
offline stretch applies once; a void parcel's hand-over is refused. A hand-over of an
order worth more than the e-way bill threshold with no valid e-way bill number is
recorded all the same and opens one exception for the manager; the measure is the
order's invoice value (its discount and shipping count), the threshold the location's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.ledger.bench_support import Bench, bin_lines, open_kinds, parcel, placed, state_of
from tests.ledger.pickup_support import timeline
from tests.ledger.ship_support import demo_ledger, fulfilments_of, ship_order, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def bench(demo: RunningLedger) -> Bench:
    return Bench(demo, "BLR-01")


def packed(demo: RunningLedger, bench: Bench, number: str, *units: int) -> tuple[int, list[str]]:
    """A ship order picked and packed into one parcel per entry of ``units``."""
    sku = stock_item(demo, f"HO-{number}", {"BLR-01": 9})
    fo = int(placed(demo, number, [(sku, sum(units))])["id"])
    bench.one(bench.step("ship.pick", fo, lines=bin_lines((sku, sum(units))), tote="PB-1-T1"))
    boxes = [parcel((sku, n)) for n in units]
    for box in boxes:
        assert bench.one(bench.step("ship.pack", fo, parcel=box))["status"] == "applied"
    return fo, [box["sscc"] for box in boxes]


def handed(demo: RunningLedger, fo: int) -> list[tuple[Any, ...]]:
    rows = demo.sql(
        "SELECT sscc, handed_over_at IS NOT NULL, handed_over_by, eway_bill FROM parcels "
        "WHERE fulfilment_order_id = :f ORDER BY id",
        {"f": fo},
    )
    return [(r[0], bool(r[1]), r[2], r[3]) for r in rows]


def handover(bench: Bench, fo: int, sscc: str, eway_bill: str = "") -> dict[str, Any]:
    return bench.step(
        "ship.handover", fo, actor="A100", sscc=sscc, carrier="own_fleet", eway_bill=eway_bill
    )


def test_each_parcel_records_its_handover_and_the_order_ships_with_the_last(
    demo: RunningLedger, bench: Bench
) -> None:
    fo, (first, second) = packed(demo, bench, "WEB-H01", 1, 1)
    cursor = bench.head()

    one = bench.one(handover(bench, fo, first, eway_bill="123456789012"))
    assert one["status"] == "applied"
    assert state_of(demo, fo) == "packed"
    two = bench.one(handover(bench, fo, second, eway_bill="123456789012"))

    assert two["status"] == "applied"
    assert handed(demo, fo) == [
        (first, True, "A100", "123456789012"),
        (second, True, "A100", "123456789012"),
    ]
    assert state_of(demo, fo) == "shipped"
    notes = [e["note"] for e in timeline(demo, "WEB-H01")["events"]]
    assert f"parcel {second} handed to OWN_FLEET with e-way bill 123456789012" in notes
    changes, _ = bench.pull_all(cursor)
    rows = [c["data"] for c in changes if c["scope"] == "fulfilment" and c["key"] == str(fo)]
    pulled = rows[-1]["parcels"]
    assert [(p["sscc"], p["handed_over_by"], p["eway_bill"]) for p in pulled] == [
        (first, "A100", "123456789012"),
        (second, "A100", "123456789012"),
    ]
    assert all(p["handed_over_at"] for p in pulled)


def test_a_handover_sent_again_after_an_offline_stretch_applies_once(
    demo: RunningLedger, bench: Bench
) -> None:
    fo, (sscc,) = packed(demo, bench, "WEB-H02", 2)
    op = handover(bench, fo, sscc)
    op["device_time"] = datetime(2026, 12, 6, 11, 32, tzinfo=UTC).isoformat()  # while offline

    first = bench.one(op)
    again = bench.one(op)  # the answer was lost: the bench sends it again

    assert first["status"] == again["status"] == "applied"
    assert again["replayed"] and again["ledger_seq"] == first["ledger_seq"]
    (row,) = demo.sql("SELECT handed_over_at FROM parcels WHERE sscc = :s", {"s": sscc})
    at = row[0] if isinstance(row[0], datetime) else datetime.fromisoformat(str(row[0]))
    assert (at.hour, at.minute) == (11, 32)  # when the driver took it, not when it synced
    events = demo.sql("SELECT count(*) FROM fulfilment_events WHERE op_id = :o", {"o": op["op_id"]})
    assert events == [(1,)]
    assert state_of(demo, fo) == "shipped"


def test_a_void_parcel_cannot_be_handed_over(demo: RunningLedger, bench: Bench) -> None:
    fo, (sscc,) = packed(demo, bench, "WEB-H03", 1)
    voided = bench.one(bench.step("ship.label_void", fo, sscc=sscc, reason="Misprint"))
    assert voided["status"] == "applied"

    result = bench.one(handover(bench, fo, sscc))

    assert result["status"] == "rejected"
    assert "not a packed parcel" in result["reason"]
    assert handed(demo, fo) == [(sscc, False, None, None)]


BIG = 101  # units at ₹500: ₹50,500, above the law's ₹50,000


def packed_big(
    demo: RunningLedger, bench: Bench, number: str, parcels: int = 1, **terms: Any
) -> tuple[int, list[str]]:
    """A ship order of ``BIG`` units (``terms``: its discount, shipping …) picked and
    packed into ``parcels`` parcels."""
    sku = stock_item(demo, f"HO-{number}", {"BLR-01": BIG})
    demo.place_order(ship_order(number, [(sku, BIG)], **terms))
    (row,) = fulfilments_of(demo, number)
    fo = int(row["id"])
    bench.one(bench.step("ship.pick", fo, lines=bin_lines((sku, BIG)), tote="PB-1-T1"))
    sizes = [BIG - parcels + 1] + [1] * (parcels - 1)
    boxes = [parcel((sku, n)) for n in sizes]
    for box in boxes:
        assert bench.one(bench.step("ship.pack", fo, parcel=box))["status"] == "applied"
    return fo, [box["sscc"] for box in boxes]


def exceptions_of(demo: RunningLedger, number: str) -> list[tuple[str, str, str]]:
    rows = demo.sql(
        "SELECT kind, message, next_step FROM exceptions WHERE order_number = :n ORDER BY id",
        {"n": number},
    )
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def test_a_parcel_above_the_threshold_without_an_eway_bill_leaves_and_the_manager_is_told(
    demo: RunningLedger, bench: Bench
) -> None:
    fo, (first, second) = packed_big(demo, bench, "WEB-H10", parcels=2)

    one = bench.one(handover(bench, fo, first))
    two = bench.one(handover(bench, fo, second))  # the same order: still one exception

    assert one["status"] == two["status"] == "applied"  # a physical fact: never refused
    assert one["exceptions"] == ["eway_bill_missing"] and two["exceptions"] == []
    assert handed(demo, fo) == [(first, True, "A100", None), (second, True, "A100", None)]
    assert state_of(demo, fo) == "shipped"
    ((kind, message, next_step),) = exceptions_of(demo, "WEB-H10")
    assert kind == "eway_bill_missing"
    assert message == (
        "A parcel of order WEB-H10 was handed to the carrier without a valid e-way bill, "
        "though the order is worth more than the e-way bill threshold. The hand-over is "
        f"recorded: the parcel has left. Parcel {first} went to OWN_FLEET; the order's "
        "invoice here comes to ₹50,500.00 and the threshold is ₹50,000.00. The bench sent "
        "no e-way bill number."
    )
    assert next_step.startswith("Generate the e-way bill for order WEB-H10 on the GST")


def test_a_malformed_eway_bill_number_is_not_kept_and_is_quoted_to_the_manager(
    demo: RunningLedger, bench: Bench
) -> None:
    fo, (sscc,) = packed_big(demo, bench, "WEB-H11")

    result = bench.one(handover(bench, fo, sscc, eway_bill="1234-567X"))

    assert result["status"] == "applied"
    assert handed(demo, fo) == [(sscc, True, "A100", None)]
    ((kind, message, _),) = exceptions_of(demo, "WEB-H11")
    assert kind == "eway_bill_missing"
    assert message.endswith(
        "The bench sent '1234-567X', which is not an e-way bill number (12 digits)."
    )
    notes = [e["note"] for e in timeline(demo, "WEB-H11")["events"]]
    assert f"parcel {sscc} handed to OWN_FLEET" in notes  # no bill named in the timeline


def test_a_valid_eway_bill_number_or_a_value_under_the_threshold_opens_nothing(
    demo: RunningLedger, bench: Bench
) -> None:
    billed, (first,) = packed_big(demo, bench, "WEB-H12")
    # ₹50,500 of goods less a ₹1,000 discount plus ₹400 shipping: the invoice is ₹49,900
    under, (second,) = packed_big(
        demo, bench, "WEB-H13", discount_minor=100_000, shipping_minor=40_000
    )

    one = bench.one(handover(bench, billed, first, eway_bill="1234 5678 9012"))
    two = bench.one(handover(bench, under, second))

    assert one["status"] == two["status"] == "applied"
    assert one["exceptions"] == two["exceptions"] == []
    assert handed(demo, billed) == [(first, True, "A100", "123456789012")]
    assert open_kinds(demo, "WEB-H12") == open_kinds(demo, "WEB-H13") == []


def test_the_locations_own_threshold_is_the_measure(demo: RunningLedger, bench: Bench) -> None:
    fo, (sscc,) = packed(demo, bench, "WEB-H14", 3)  # ₹1,500 of goods
    demo.sql("UPDATE locations SET eway_bill_threshold_minor = 100000 WHERE code = 'BLR-01'")
    try:
        result = bench.one(handover(bench, fo, sscc))
    finally:
        demo.sql("UPDATE locations SET eway_bill_threshold_minor = NULL WHERE code = 'BLR-01'")

    assert result["exceptions"] == ["eway_bill_missing"]
    ((_, message, _),) = exceptions_of(demo, "WEB-H14")
    assert "comes to ₹1,500.00 and the threshold is ₹1,000.00" in message
