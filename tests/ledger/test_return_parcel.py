"""A parcel returned to origin, received back at the bench (``return.intake`` naming its
SSCC), on SQLite and PostgreSQL: its ship order is marked returned even before every
unit of the order is back, and the units go where they were graded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ledger.bench_support import Bench, bin_lines, parcel, placed, state_of
from tests.ledger.conftest import on_hand
from tests.ledger.pickup_support import timeline
from tests.ledger.return_support import ReturnCounter, moved, refund_of, return_line
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def _shipped(demo: RunningLedger, number: str) -> tuple[int, str, str]:
    """A ship order of 3 units, two in the first parcel, handed to the carrier."""
    sku = stock_item(demo, f"RT-{number}", {"BLR-01": 9})
    fo = int(placed(demo, number, [(sku, 3)])["id"])
    bench = Bench(demo, "BLR-01")
    boxes = [parcel((sku, 2)), parcel((sku, 1))]
    steps = [bench.step("ship.pick", fo, lines=bin_lines((sku, 3)), tote="PB-1-T1")]
    steps += [bench.step("ship.pack", fo, parcel=box) for box in boxes]
    steps += [
        bench.step("ship.handover", fo, sscc=box["sscc"], carrier="own_fleet") for box in boxes
    ]
    assert [r["status"] for r in bench.send(*steps)] == ["applied"] * 5
    assert state_of(demo, fo) == "shipped"
    return fo, sku, boxes[0]["sscc"]


def test_a_parcel_received_back_marks_its_order_returned(demo: RunningLedger) -> None:
    fo, sku, sscc = _shipped(demo, "WEB-RTO1")
    shelf = on_hand(demo, "BLR-01", sku)
    station = ReturnCounter(demo, "BLR-01", "bench")
    op = station.return_op(
        "WEB-RTO1",
        [return_line(1, sku, 1), return_line(1, sku, 1, grade="C", disposition="damaged")],
        parcel=sscc,
    )

    [result] = station.send(op)

    assert result["status"] == "applied" and result["exceptions"] == []
    assert state_of(demo, fo) == "returned"  # 2 of 3 units back: the parcel came back
    assert moved(demo, op["op_id"]) == [("sellable", "return", 1), ("damaged", "return", 1)]
    assert on_hand(demo, "BLR-01", sku) == shelf + 1
    assert refund_of(demo, op["op_id"]) == ("due", None)
    notes = [e["note"] for e in timeline(demo, "WEB-RTO1")["events"]]
    assert f"Parcel {sscc} received back." in notes


def test_units_back_without_their_parcel_leave_a_part_returned_order_shipped(
    demo: RunningLedger,
) -> None:
    fo, sku, _ = _shipped(demo, "WEB-RTO2")
    station = ReturnCounter(demo, "BLR-01")

    [result] = station.send(station.return_op("WEB-RTO2", [return_line(1, sku, 2)]))

    assert result["status"] == "applied" and state_of(demo, fo) == "shipped"
