"""A stop's shares while it is picked, spare units the walk does not take, and covering a
short bin: last totes lose units first, another bin takes what it can, the rest is short."""

from __future__ import annotations

from app.domain.pick_walk import BatchOrder, BinStock, PickLine, plan_walk
from app.domain.shipping.pick_stops import (
    SpareBin,
    StopShare,
    StopState,
    cover_short,
    lower_from_last,
    spare_by_sku,
)


def _stop() -> StopState:
    return StopState("A-01-1", "TEA", "Tea", [StopShare("T01", 2), StopShare("T02", 3)])


def test_a_short_lowers_the_last_totes_first_and_spares_units_in_hand() -> None:
    stop = _stop()
    stop.counted = 1
    assert lower_from_last(stop, 4) == [StopShare("T01", 1), StopShare("T02", 3)]
    assert [s.units for s in stop.shares] == [1, 0]
    assert stop.needed == 1 and stop.counted == 1  # the unit in hand still goes in T01


def test_settle_passes_over_emptied_shares() -> None:
    stop = _stop()
    lower_from_last(stop, 5)
    stop.settle()
    assert stop.done and stop.taken == 0


def test_spare_units_are_what_the_bins_hold_beyond_the_walk_in_walk_order() -> None:
    stock = [
        BinStock("B-09-1", "TEA", 4),
        BinStock("A-01-1", "TEA", 3),
        BinStock("B-02-1", "TEA", 2),
    ]
    walk = plan_walk("PB-1", [BatchOrder("W-1", (PickLine("TEA", "Tea", 5),))], stock)
    assert spare_by_sku(walk, stock) == {"TEA": [SpareBin("B-09-1", 2), SpareBin("B-02-1", 2)]}


def test_cover_short_takes_what_another_bin_holds_and_leaves_the_rest_short() -> None:
    stop = _stop()
    missing = [StopShare("T01", 2), StopShare("T02", 3)]
    spare = [SpareBin("A-01-1", 9), SpareBin("C-01-1", 3)]  # its own bin is never suggested
    extra, short = cover_short(stop, missing, spare)
    assert extra is not None
    assert (extra.bin_code, extra.shares) == ("C-01-1", [StopShare("T01", 2), StopShare("T02", 1)])
    assert short == [StopShare("T02", 2)]
    assert spare[1].units == 0
    assert cover_short(stop, missing, spare) == (None, missing)
