"""Ship steps a bench pushes as operations, on the demo geography (SQLite and
PostgreSQL): a pick takes units off the shelf and consumes their reservation, an unpick
puts them back, a rejection applies its reason and reroutes the units never back to a
refuser (HQ's exception when nowhere can), a step is applied once however often it is
pushed, each step is on the order's timeline with its actor, and a bench may only work
on the ship orders of its own location."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ledger.bench_support import (
    Bench,
    bin_lines,
    bucket,
    line_counters,
    open_kinds,
    placed,
    state_of,
)
from tests.ledger.pickup_support import Counter, place_pickup, timeline
from tests.ledger.ship_support import demo_ledger, fulfilments_of, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def bench(demo: RunningLedger) -> Bench:
    return Bench(demo, "BLR-01")


def reservation(ledger: RunningLedger, fo_id: int) -> list[tuple[int, str]]:
    rows = ledger.sql(
        "SELECT quantity, status FROM reservations WHERE fulfilment_order_id = :f ORDER BY id",
        {"f": fo_id},
    )
    return [(int(q), str(s)) for q, s in rows]


def test_a_pick_takes_units_off_the_shelf_and_consumes_their_reservation(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-P01", {"BLR-01": 5})
    fo = placed(demo, "WEB-S01", [(sku, 2)])
    assert fo["location"] == "BLR-01" and bucket(demo, "BLR-01", sku) == (5, 2, 0)

    pick = bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T01")
    result = bench.one(pick)

    assert result["status"] == "applied" and result["exceptions"] == []
    assert bucket(demo, "BLR-01", sku) == (3, 0, 0)
    assert reservation(demo, fo["id"]) == [(0, "consumed")]
    assert line_counters(demo, fo["id"]) == [(2, 0, 0, 0)]
    assert state_of(demo, fo["id"]) == "picked"
    moved = demo.sql(
        "SELECT kind, quantity FROM stock_movements WHERE op_id = :o", {"o": pick["op_id"]}
    )
    assert moved == [("pick", -2)]


def test_the_same_pick_pushed_again_changes_nothing(demo: RunningLedger, bench: Bench) -> None:
    sku = stock_item(demo, "SS-P02", {"BLR-01": 5})
    fo = placed(demo, "WEB-S02", [(sku, 2)])
    pick = bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T02")
    first = bench.one(pick)
    events = demo.sql("SELECT count(*) FROM fulfilment_events")

    again = bench.one(pick)

    assert again["status"] == "applied" and again["ledger_seq"] == first["ledger_seq"]
    assert bucket(demo, "BLR-01", sku) == (4, 1, 0)
    assert line_counters(demo, fo["id"]) == [(1, 0, 0, 0)]
    assert demo.sql("SELECT count(*) FROM fulfilment_events") == events


def test_an_unpick_puts_units_back_on_the_shelf_and_reserves_them_again(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-U01", {"BLR-01": 5})
    fo = placed(demo, "WEB-S03", [(sku, 2)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T03"))

    unpick = bench.step("ship.unpick", fo["id"], lines=bin_lines((sku, 1)))
    result = bench.one(unpick)

    assert result["status"] == "applied"
    assert bucket(demo, "BLR-01", sku) == (4, 1, 0)  # one back on the shelf, owed again
    assert reservation(demo, fo["id"]) == [(1, "active")]
    assert line_counters(demo, fo["id"]) == [(2, 1, 0, 0)]
    moved = demo.sql(
        "SELECT kind, quantity FROM stock_movements WHERE op_id = :o", {"o": unpick["op_id"]}
    )
    assert moved == [("release", 1)]


def test_a_not_found_rejection_stops_promising_here_and_reroutes_away(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-R01", {"BLR-01": 5, "BLR-02": 5})
    fo = placed(demo, "WEB-S04", [(sku, 2)])
    assert fo["location"] == "BLR-01"

    result = bench.one(bench.step("ship.reject", fo["id"], reason="not_found"))

    assert result["status"] == "applied"
    assert bucket(demo, "BLR-01", sku) == (5, 0, 1)  # nothing to promise until counted
    assert state_of(demo, fo["id"]) == "rejected"
    assert line_counters(demo, fo["id"]) == [(0, 0, 2, 0)]
    assert reservation(demo, fo["id"]) == [(0, "released")]
    rows = fulfilments_of(demo, "WEB-S04")
    assert [(r["location"], r["state"]) for r in rows] == [
        ("BLR-01", "rejected"),
        ("BLR-02", "routed"),
    ]
    assert bucket(demo, "BLR-02", sku) == (5, 2, 0)
    assert rows[1]["route_note"].startswith("Rerouted: refused by BLR-01.")


def test_a_rejection_never_goes_back_to_any_refuser(demo: RunningLedger, bench: Bench) -> None:
    sku = stock_item(demo, "SS-R02", {"BLR-01": 5, "BLR-02": 5, "WH-BHW": 5})
    fo = placed(demo, "WEB-S05", [(sku, 1)])
    bench.one(bench.step("ship.reject", fo["id"], reason="wrong_item"))
    second = fulfilments_of(demo, "WEB-S05")[1]
    other = Bench(demo, "BLR-02")

    other.one(other.step("ship.reject", second["id"], reason="wrong_item"))

    rows = fulfilments_of(demo, "WEB-S05")
    assert [r["location"] for r in rows] == ["BLR-01", "BLR-02", "WH-BHW"]
    assert rows[2]["route_note"].startswith("Rerouted: refused by BLR-01, BLR-02.")


def test_a_damaged_line_goes_to_the_damaged_bucket_and_to_hq_when_nowhere_can(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-R03", {"BLR-01": 3})
    other = stock_item(demo, "SS-R04", {"BLR-01": 3})
    fo = placed(demo, "WEB-S06", [(sku, 1), (other, 1)])

    reject = bench.step(
        "ship.reject", fo["id"], reason="damaged", lines=[{"sku": sku, "quantity": 1}]
    )
    result = bench.one(reject)

    assert result["status"] == "applied"
    assert bucket(demo, "BLR-01", sku) == (2, 0, 0)
    assert bucket(demo, "BLR-01", sku, "damaged")[0] == 1
    assert bucket(demo, "BLR-01", other) == (3, 1, 0)  # the other line is still to ship
    assert state_of(demo, fo["id"]) == "routed"
    assert open_kinds(demo, "WEB-S06") == ["cannot_reroute"]


def test_a_rejection_names_a_reason_and_what_is_left(demo: RunningLedger, bench: Bench) -> None:
    sku = stock_item(demo, "SS-R05", {"BLR-01": 3})
    fo = placed(demo, "WEB-S07", [(sku, 1)])

    too_many = bench.one(
        bench.step("ship.reject", fo["id"], reason="damaged", lines=[{"sku": sku, "quantity": 2}])
    )
    no_reason = bench.one(bench.step("ship.reject", fo["id"], reason=""))

    assert too_many["status"] == "rejected"
    assert too_many["reason"] == f"Only 1 of {sku} can still be rejected for order WEB-S07."
    assert no_reason["status"] == "rejected"
    assert bucket(demo, "BLR-01", sku) == (3, 1, 0)


def test_a_bench_works_only_on_ship_orders_of_its_own_location(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-X01", {"BLR-01": 5, "BLR-02": 5})
    fo = placed(demo, "WEB-S08", [(sku, 1)])
    pickup = place_pickup(demo, "WEB-S09", [(sku, 1)])["fulfilment_orders"][0]["id"]
    other = Bench(demo, "BLR-02")
    counter = Counter(demo, "BLR-01")

    on_pickup = bench.one(
        bench.step("ship.pick", pickup, lines=bin_lines((sku, 1)), tote="PB-1-T09")
    )
    elsewhere = other.one(
        other.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-2-T01")
    )
    (pickup_on_ship,) = counter.send(
        counter.op("pickup.pick", fo["id"], lines=[{"sku": sku, "quantity": 1}])
    )

    assert on_pickup["status"] == "rejected"
    assert on_pickup["reason"] == "Order WEB-S09 is a store pickup order, not one to ship."
    assert elsewhere["status"] == "rejected"
    assert "not shipped from this location" in elsewhere["reason"]
    assert pickup_on_ship["status"] == "rejected"
    assert pickup_on_ship["reason"] == "Order WEB-S08 is not a store pickup order."
    assert bucket(demo, "BLR-01", sku) == (5, 2, 0)


def test_the_timeline_lists_each_ship_step_with_its_actor(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-T01", {"BLR-01": 5})
    fo = placed(demo, "WEB-S10", [(sku, 2)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T10"))
    bench.one(bench.step("ship.unpick", fo["id"], "L200", lines=bin_lines((sku, 1))))

    events = timeline(demo, "WEB-S10")["events"]

    steps = [(e["kind"], e["actor"], e["state"]) for e in events if e["kind"].startswith("ship.")]
    assert steps == [("ship.pick", "A100", "picked"), ("ship.unpick", "L200", "picking")]
    notes = [e["note"] for e in events if e["kind"].startswith("ship.")]
    assert notes == [f"picked into PB-1-T10: {sku} ×2", f"put back on the shelf: {sku} ×1"]


def test_units_picked_beyond_the_order_are_flagged_until_put_back(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-B01", {"BLR-01": 5})
    fo = placed(demo, "WEB-S11", [(sku, 1)])
    other = Bench(demo, "BLR-01")  # a second bench picked the same order offline
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T11"))

    twice = other.one(other.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-2-T1"))
    flagged = (bucket(demo, "BLR-01", sku), open_kinds(demo, "WEB-S11"))
    other.one(other.step("ship.unpick", fo["id"], lines=bin_lines((sku, 1))))

    assert twice["status"] == "applied" and twice["exceptions"] == ["picked_beyond"]
    assert flagged == ((3, 0, 0), ["picked_beyond"])
    assert bucket(demo, "BLR-01", sku) == (4, 0, 0)
    assert open_kinds(demo, "WEB-S11") == [] and state_of(demo, fo["id"]) == "picked"


def test_a_rejection_applies_its_reason_only_to_units_still_on_the_shelf(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SS-R06", {"BLR-01": 5, "BLR-02": 5})
    fo = placed(demo, "WEB-S12", [(sku, 3)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T12"))

    bench.one(bench.step("ship.reject", fo["id"], reason="damaged"))

    assert bucket(demo, "BLR-01", sku) == (2, 0, 0)  # 1 in hand, 2 damaged off the shelf
    assert bucket(demo, "BLR-01", sku, "damaged")[0] == 2
    assert line_counters(demo, fo["id"]) == [(1, 0, 3, 0)]
    assert [r["location"] for r in fulfilments_of(demo, "WEB-S12")] == ["BLR-01", "BLR-02"]
    bench.one(bench.step("ship.unpick", fo["id"], lines=bin_lines((sku, 1))))
    assert bucket(demo, "BLR-01", sku) == (3, 0, 0)
