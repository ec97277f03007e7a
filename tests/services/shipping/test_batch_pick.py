"""Batch picking at the bench on a real station cache: a walk across orders sorted into
totes records one ship.pick per tote placement with its local stock, survives reopening
the cache mid-walk, sends a short bin to another bin or to a rejection with a reason, and
puts the units of an order closed centrally back on the shelf."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.errors import BadInput, NotFound, RuleRefused
from app.services.shipping.batch_results import BatchView
from app.services.shipping.planogram import planned_bins
from app.services.station import Station, build_station
from app.storage import catalog
from app.storage.engine import raw_connection
from tests.services.conftest import Clock
from tests.storage.seed import T0, gtin
from tests.support.ship_rows import ship_row, store_pulled

M = timedelta(minutes=1)


def _line(n: int, quantity: int) -> dict[str, Any]:
    return {"sku": f"SKU-{n:04d}", "item_id": n, "name": f"Item {n}", "quantity": quantity,
            "price_minor": 10000}  # fmt: skip


def _order(fid: int, *lines: tuple[int, int], **extra: Any) -> dict[str, Any]:
    return ship_row(
        fid, f"WEB-{fid}", ship_by=T0 + fid * M, created_at=T0 - M,
        lines=[_line(n, q) for n, q in lines], **extra,
    )  # fmt: skip


def _store(station: Station, rows: list[dict[str, Any]]) -> None:
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _ops(station: Station) -> list[tuple[str, dict[str, Any]]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT type, payload FROM outbox ORDER BY device_seq"
        )
        return [(str(t), json.loads(p)) for t, p in rows]


def _sellable(station: Station, n: int) -> int:
    with station.db.reading() as session:
        return catalog.by_sku(raw_connection(session), f"SKU-{n:04d}")[0].sellable_on_hand


def _bin_units(station: Station, bin_code: str) -> int:
    with station.db.reading() as session:
        row = raw_connection(session).execute(
            "SELECT units FROM shelf_bins WHERE bin_code = ?", (bin_code,)
        )
        return int(row.fetchone()[0])


def _stop(station: Station, view: BatchView, staff: Any) -> BatchView:
    """Pick the current stop's units for its tote: bin, each item, then the tote."""
    stop = view.current
    assert stop is not None
    if not stop.bin_verified:
        view = station.batch_pick.scan(staff, stop.bin_code.lower())
    for _ in range(stop.quantity - stop.counted):
        view = station.batch_pick.scan(staff, stop.sku)
    return station.batch_pick.scan(staff, f"{view.batch_id}-{stop.tote}")


@pytest.fixture
def staff(station: Station) -> Any:
    return station.auth.session_for("A100")


FIVE = [
    _order(1, (1, 2), (3, 1)),
    _order(2, (1, 1)),
    _order(3, (2, 1)),
    _order(4, (3, 2)),
    _order(5, (5, 1)),
]


def test_a_batch_of_five_orders_is_picked_into_totes_with_one_op_per_placement(
    station: Station, staff: Any
) -> None:
    _store(station, FIVE)
    view = station.batch_pick.start(staff, count=10)
    assert [(t.tote, t.order_number) for t in view.totes] == [
        ("T01", "WEB-1"), ("T02", "WEB-2"), ("T03", "WEB-3"), ("T04", "WEB-4"), ("T05", "WEB-5"),
    ]  # fmt: skip
    assert view.current is not None and view.current.bin_code == "A-01-1"
    assert view.prompt == "Go to bin A-01-1 and scan it." and view.progress == "0/8"
    assert [s.bin_code for s in view.next_stops] == ["A-01-2", "A-01-3", "A-02-1"]
    wrong = station.batch_pick.scan(staff, "SKU-0002")
    assert wrong.refused and wrong.said.startswith("That is Item 2; this pick is Item 1.")
    while not view.done:
        view = _stop(station, view, staff)
    assert view.progress == "8/8" and view.prompt.startswith("The walk is done")
    picks = [p for t, p in _ops(station) if t == "ship.pick"]
    placed = [
        (p["fulfilment_id"], p["tote"], [(x["sku"], x["quantity"], x["bin"]) for x in p["lines"]])
        for p in picks
    ]
    batch = view.batch_id
    assert placed == [
        (1, f"{batch}-T01", [("SKU-0001", 2, "A-01-1")]),
        (2, f"{batch}-T02", [("SKU-0001", 1, "A-01-1")]),
        (3, f"{batch}-T03", [("SKU-0002", 1, "A-01-2")]),
        (1, f"{batch}-T01", [("SKU-0003", 1, "A-01-3")]),
        (4, f"{batch}-T04", [("SKU-0003", 2, "A-01-3")]),
        (5, f"{batch}-T05", [("SKU-0005", 1, "A-02-1")]),
    ]
    assert all(p["batch"] == batch and p["location"] == "BLR-01" for p in picks)
    assert [_sellable(station, n) for n in (1, 2, 3, 5)] == [7, 9, 7, 9]
    assert _bin_units(station, "A-01-1") == 7 and _bin_units(station, "A-01-3") == 4
    assert station.batch_pick.finish(staff).startswith(f"Batch {batch} finished")
    assert station.batch_pick.current() is None


def test_a_walk_survives_reopening_the_cache_mid_stop(
    station: Station, staff: Any, tmp_path: Path, clock: Clock
) -> None:
    _store(station, FIVE)
    view = station.batch_pick.start(staff, marked=[2, 1])
    assert [(t.tote, t.order_number) for t in view.totes] == [("T01", "WEB-2"), ("T02", "WEB-1")]
    view = _stop(station, view, staff)  # A-01-1: 1 into T01
    station.batch_pick.scan(staff, "A-01-1")
    station.batch_pick.scan(staff, gtin(1))  # one of two in hand, by GTIN
    station.close()
    reopened = build_station(tmp_path / "station", clock=clock)
    try:
        again = reopened.batch_pick.current()
        assert again is not None and again.current is not None
        assert (again.current.tote, again.current.counted, again.current.quantity) == ("T02", 1, 2)
        assert again.prompt == "Scan Item 1: 1 of 2 for tote T02." and again.progress == "1/4"
        assert len([t for t, _ in _ops(reopened) if t == "ship.pick"]) == 1
        with pytest.raises(RuleRefused, match="in your hand"):
            reopened.batch_pick.finish(staff)
    finally:
        reopened.close()


def test_a_short_bin_sends_the_picker_to_the_overflow_bin(station: Station, staff: Any) -> None:
    _store(station, [_order(1, (3, 4))])  # SKU-0003: 7 at home A-01-3, 3 in overflow Z-11-3
    view = station.batch_pick.start(staff)
    assert view.current is not None and view.current.bin_code == "A-01-3"
    station.batch_pick.scan(staff, "A-01-3")
    view = station.batch_pick.short(staff, 2)
    assert "Bin A-01-3 had 2 of 4" in view.said and "Take 2 more from bin Z-11-3 next" in view.said
    refused = station.batch_pick.short(staff, 9)
    assert refused.refused
    view = _stop(station, view, staff)  # the 2 found at home
    assert view.current is not None and view.current.bin_code == "Z-11-3"
    view = _stop(station, view, staff)
    assert view.done and not view.to_reject
    lines = [(x["bin"], x["quantity"]) for t, p in _ops(station) for x in p["lines"]]
    assert lines == [("A-01-3", 2), ("Z-11-3", 2)]


def test_units_no_bin_holds_are_rejected_with_a_reason_and_its_stock_effect(
    station: Station, staff: Any
) -> None:
    _store(station, [_order(1, (1, 12)), _order(2, (2, 1))])  # SKU-0001: 10 on the shelf
    view = station.batch_pick.start(staff)
    assert [(s.sku, s.tote, s.quantity) for s in view.to_reject] == [("SKU-0001", "T01", 2)]
    while not view.done:
        view = _stop(station, view, staff)
    assert view.prompt.startswith("Reject the short items with a reason")
    with pytest.raises(RuleRefused, match="waiting for a reason"):
        station.batch_pick.finish(staff)
    assert [r.code for r in station.batch_pick.reasons()][:2] == ["not_found", "damaged"]
    with pytest.raises(BadInput):
        station.batch_pick.reject_shorts(staff, "declined")  # a handover reason
    view = station.batch_pick.reject_shorts(staff, "not_found")
    assert not view.to_reject and "2 of order WEB-1 rejected: Not found on the shelf" in view.said
    rejects = [p for t, p in _ops(station) if t == "ship.reject"]
    assert rejects == [{"location": "BLR-01", "fulfilment_id": 1, "reason": "not_found",
                        "lines": [{"sku": "SKU-0001", "quantity": 2}]}]  # fmt: skip
    with station.db.reading() as session:
        assert catalog.by_sku(raw_connection(session), "SKU-0001")[0].count_due
    station.batch_pick.finish(staff)


def test_units_of_an_order_cancelled_mid_walk_are_flagged_and_put_back_by_scan(
    station: Station, staff: Any
) -> None:
    _store(station, [_order(1, (4, 2))])
    view = station.batch_pick.start(staff)
    station.batch_pick.scan(staff, "A-01-4")
    station.batch_pick.scan(staff, "SKU-0004", quantity=2)
    _store(station, [_order(1, (4, 2), state="cancelled")])  # the ledger cancelled it meanwhile
    view = station.batch_pick.scan(staff, f"{view.batch_id}-T01")
    assert "Order WEB-1 was cancelled meanwhile" in view.said and _sellable(station, 4) == 8
    station.batch_pick.finish(staff)
    (task,) = station.unpicking.tasks()
    assert (task.order_number, task.state, task.lines) == (
        "WEB-1", "cancelled", (("SKU-0004", "Item 4", 2, ("A-01-4",)),),
    )  # fmt: skip
    with pytest.raises(NotFound, match="does not live in bin A-02-1"):
        station.unpicking.put_back(staff, 1, "A-02-1", "SKU-0004")
    done = station.unpicking.put_back(staff, 1, "a-01-4", gtin(4))
    assert done.said == "1 Item 4 back in bin A-01-4. 1 more to put back: scan the bin."
    done = station.unpicking.put_back(staff, 1, "A-01-4", "SKU-0004")
    assert done.task is None and done.said.endswith("Order WEB-1 is all back.")
    with pytest.raises(RuleRefused, match="no SKU-0004"):
        station.unpicking.put_back(staff, 1, "A-01-4", "SKU-0004")
    unpicks = [p["lines"] for t, p in _ops(station) if t == "ship.unpick"]
    assert unpicks == [[{"sku": "SKU-0004", "quantity": 1, "bin": "A-01-4"}]] * 2
    assert _sellable(station, 4) == 10 and _bin_units(station, "A-01-4") == 10
    assert station.unpicking.tasks() == []


def test_the_stand_in_planogram_is_the_same_every_time() -> None:
    items = [(1, "home", 10), (2, "home", 4), (3, "home", 9), (4, "toys", 6)]
    rows = planned_bins(items)
    assert rows == planned_bins(list(reversed(items)))
    assert rows == [
        (1, "A-01-1", 10, 1), (2, "A-01-2", 4, 1), (3, "A-01-3", 6, 1), (3, "Z-11-3", 3, 2),
        (4, "B-01-1", 6, 1),
    ]  # fmt: skip


def test_a_skipped_stop_comes_back_and_the_skip_survives_reopening(
    station: Station, staff: Any, tmp_path: Path, clock: Clock
) -> None:
    _store(station, FIVE)
    view = station.batch_pick.start(staff, marked=[2, 3, 5])  # A-01-1, A-01-2, A-02-1
    station.batch_pick.scan(staff, "A-01-1")
    station.batch_pick.scan(staff, "SKU-0001")
    refused = station.batch_pick.skip(staff)
    assert refused.refused and "First put the 1 in your hand in tote T01" in refused.said
    station.batch_pick.scan(staff, f"{view.batch_id}-T01")  # A-01-1 done: at A-01-2
    skipped = station.batch_pick.skip(staff)
    assert skipped.current is not None and skipped.current.bin_code == "A-02-1"
    station.close()
    reopened = build_station(tmp_path / "station", clock=clock)
    try:
        again = reopened.batch_pick.current()
        assert again is not None and again.current is not None
        assert again.current.bin_code == "A-02-1" and again.progress == "1/3"
        back = reopened.batch_pick.back(staff)
        assert back.current is not None and back.current.bin_code == "A-01-2"
        assert back.prompt == "Go to bin A-01-2 and scan it."
    finally:
        reopened.close()
