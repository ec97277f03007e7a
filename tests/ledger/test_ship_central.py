"""A ship order cancelled or moved centrally while a bench works on it (SQLite and
PostgreSQL): the cancel releases what is still reserved and leaves what was picked due
back; a pick recorded offline and pushed after the close is applied and flagged, and the
bench's unpick puts the units back and closes the flag; a central reroute moves what the
customer is owed to another location, never back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.ledger.bench_support import (
    Bench,
    bin_lines,
    bucket,
    line_counters,
    open_kinds,
    placed,
    state_of,
)
from tests.ledger.pickup_support import admin, timeline
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


def test_a_cancel_releases_the_reservation_and_leaves_picked_units_due_back(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SC-C01", {"BLR-01": 5})
    fo = placed(demo, "WEB-C01", [(sku, 3)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T1"))

    done = admin(demo, "/orders/WEB-C01/cancel", {"reason": "customer changed their mind"})

    assert done["result"] == ["BLR-01: cancelled"]
    assert bucket(demo, "BLR-01", sku) == (4, 0, 0)  # one picked, two released
    assert state_of(demo, fo["id"]) == "cancelled"
    (note,) = [
        e["note"] for e in timeline(demo, "WEB-C01")["events"] if e["kind"] == "order.cancel"
    ]
    assert note == (
        f"cancelled: customer changed their mind; to put back on the shelf: "
        f"1 × Test item {sku} ({sku})"
    )
    result = bench.one(bench.step("ship.unpick", fo["id"], lines=bin_lines((sku, 1))))
    assert result["status"] == "applied"
    assert bucket(demo, "BLR-01", sku) == (5, 0, 0)


def test_a_pick_pushed_after_a_cancel_is_applied_flagged_and_closed_by_the_unpick(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SC-C02", {"BLR-01": 5})
    fo = placed(demo, "WEB-C02", [(sku, 2)])
    offline = bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T2")
    admin(demo, "/orders/WEB-C02/cancel", {"reason": "payment failed"})
    assert bucket(demo, "BLR-01", sku) == (5, 0, 0)

    result = bench.one(offline)
    flagged = (bucket(demo, "BLR-01", sku), open_kinds(demo, "WEB-C02"), state_of(demo, fo["id"]))
    (words,) = demo.sql(
        "SELECT message, next_step FROM exceptions WHERE op_id = :o", {"o": offline["op_id"]}
    )
    again = bench.one(offline)
    put_back = bench.one(bench.step("ship.unpick", fo["id"], lines=bin_lines((sku, 2))))

    assert result["status"] == "applied" and result["exceptions"] == ["picked_after_close"]
    assert flagged == ((3, 0, 0), ["picked_after_close"], "cancelled")
    assert f"2 × Test item {sku} ({sku})" in words[0]
    assert "unpick task" in words[1]
    assert again["ledger_seq"] == result["ledger_seq"]  # exactly once
    assert put_back["status"] == "applied"
    assert bucket(demo, "BLR-01", sku) == (5, 0, 0)
    assert open_kinds(demo, "WEB-C02") == []
    assert line_counters(demo, fo["id"]) == [(2, 2, 0, 0)]


def test_a_central_reroute_moves_what_is_owed_and_the_old_bench_puts_back(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SC-R01", {"BLR-01": 5, "BLR-02": 5})
    fo = placed(demo, "WEB-C03", [(sku, 2)])
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T3"))

    done = admin(demo, "/orders/WEB-C03/reroute", {"location": "BLR-01", "reason": "bench down"})
    late = bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 1)), tote="PB-1-T3"))

    assert done["result"] == ["BLR-02"]
    rows = fulfilments_of(demo, "WEB-C03")
    assert [(r["location"], r["state"]) for r in rows] == [
        ("BLR-01", "rerouted"),
        ("BLR-02", "routed"),
    ]
    assert bucket(demo, "BLR-02", sku) == (5, 2, 0)
    assert late["exceptions"] == ["picked_after_close"]
    assert bucket(demo, "BLR-01", sku) == (3, 0, 0)  # two off the shelf, both due back
    bench.one(bench.step("ship.unpick", fo["id"], lines=bin_lines((sku, 2))))
    assert bucket(demo, "BLR-01", sku) == (5, 0, 0) and open_kinds(demo, "WEB-C03") == []


def test_a_central_reroute_with_nowhere_to_go_changes_nothing(
    demo: RunningLedger, bench: Bench
) -> None:
    sku = stock_item(demo, "SC-R02", {"BLR-01": 5})
    fo = placed(demo, "WEB-C04", [(sku, 1)])

    response = requests.post(
        f"{demo.url}/v1/orders/WEB-C04/reroute",
        json={"location": "BLR-01", "reason": "bench down"},
        headers={"Authorization": f"Bearer {demo.admin_token}"},
        timeout=30,
    )

    assert response.status_code == 409
    assert "No other location can ship order WEB-C04." in response.text
    assert state_of(demo, fo["id"]) == "routed" and bucket(demo, "BLR-01", sku) == (5, 1, 0)
    assert open_kinds(demo, "WEB-C04") == []
