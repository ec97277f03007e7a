"""Batch pick walk: serpentine bin order, totes in batch order, stock spread over bins taken
in walk order, short units listed per tote, and every unit of the batch accounted for."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from app.domain.pick_walk import (
    BatchOrder,
    BinStock,
    PickLine,
    PickWalk,
    ToteShare,
    plan_walk,
    tote_labels,
    walk_key,
)

TEA = PickLine("SKU-TEA", "Masala chai 250 g", 2)
MUG = PickLine("SKU-MUG", "Ceramic mug 350 ml", 1)


def _order(number: str, *lines: PickLine, promised_by: datetime | None = None) -> BatchOrder:
    return BatchOrder(number, lines, promised_by)


def test_serpentine_odd_aisles_up_even_aisles_down_levels_up_unknown_last() -> None:
    codes = ["B-01-1", "ZONE-9", "A-10-1", "A-02-2", "B-07-1", "A-02-1", "C-01-1", "07", "H-03"]
    walked = sorted(codes, key=walk_key)
    assert walked == [
        "A-02-1", "A-02-2", "A-10-1",  # aisle A (1): bays ascending, levels ascending
        "B-07-1", "B-01-1",  # aisle B (2): bays descending
        "C-01-1",  # aisle C (3): ascending again
        "H-03",  # hold-shelf format: aisle H (8), bay 3, no level
        "07", "ZONE-9",  # not aisle-bay[-level]: last, by text
    ]  # fmt: skip


def test_aisles_after_z_and_digit_aisles_keep_their_number() -> None:
    assert walk_key("Z-01")[1] == 26 and walk_key("AA-01")[1] == 27
    assert sorted(["3-01-1", "2-05-1", "2-09-1"], key=walk_key) == ["2-09-1", "2-05-1", "3-01-1"]
    assert walk_key(" a-03-2 ") == walk_key("A-03-2")


def test_totes_numbered_in_batch_order_padded_to_the_widest() -> None:
    walk = plan_walk("PB-7", [_order("W-2", TEA), _order("W-1", MUG)], [])
    assert [(t.label, t.code, t.order_number) for t in walk.totes] == [
        ("T01", "PB-7-T01", "W-2"),
        ("T02", "PB-7-T02", "W-1"),
    ]
    assert tote_labels(100)[0] == "T001" and tote_labels(100)[-1] == "T100"


def test_one_stop_per_bin_and_sku_split_into_each_orders_tote() -> None:
    orders = [_order("W-1", TEA), _order("W-2", MUG), _order("W-3", TEA, MUG)]
    stock = [BinStock("A-02-1", "SKU-TEA", 10), BinStock("B-05-1", "SKU-MUG", 10)]
    walk = plan_walk("PB-1", orders, stock)
    assert [(s.bin_code, s.sku, s.quantity, s.totes) for s in walk.stops] == [
        ("A-02-1", "SKU-TEA", 4, (ToteShare("T01", 2), ToteShare("T03", 2))),
        ("B-05-1", "SKU-MUG", 2, (ToteShare("T02", 1), ToteShare("T03", 1))),
    ]
    assert walk.short == ()


def test_stock_spread_over_bins_is_taken_in_walk_order_until_met() -> None:
    orders = [_order("W-1", PickLine("SKU-TEA", "Chai", 5))]
    stock = [
        BinStock("B-09-1", "SKU-TEA", 9),  # aisle B walks down: B-09 comes before B-02
        BinStock("B-02-1", "SKU-TEA", 9),
        BinStock("A-04-1", "SKU-TEA", 3),
    ]
    walk = plan_walk("PB-1", orders, stock)
    assert [(s.bin_code, s.quantity) for s in walk.stops] == [("A-04-1", 3), ("B-09-1", 2)]


def test_what_no_bin_holds_is_short_per_tote_earliest_promise_served_first() -> None:
    late = datetime(2026, 12, 6, 16, tzinfo=UTC)
    early = datetime(2026, 12, 6, 11, tzinfo=UTC)
    orders = [
        _order("W-1", TEA),  # no promise: served last
        _order("W-2", TEA, promised_by=late),
        _order("W-3", TEA, promised_by=early),
        _order("W-4", MUG),
    ]
    stock = [BinStock("A-01-1", "SKU-TEA", 3), BinStock("A-02-1", "SKU-TEA", 0)]
    walk = plan_walk("PB-1", orders, stock)
    assert [(s.bin_code, s.totes) for s in walk.stops] == [
        ("A-01-1", (ToteShare("T02", 1), ToteShare("T03", 2))),
    ]
    assert [(s.sku, s.quantity, s.totes) for s in walk.short] == [
        ("SKU-MUG", 1, (ToteShare("T04", 1),)),  # held nowhere at all
        ("SKU-TEA", 3, (ToteShare("T01", 2), ToteShare("T02", 1))),
    ]


def test_refuses_a_batch_holding_an_order_twice_or_a_line_of_nothing() -> None:
    with pytest.raises(ValueError, match="twice"):
        plan_walk("PB-1", [_order("W-1", TEA), _order("W-1", MUG)], [])
    with pytest.raises(ValueError, match="quantity 0"):
        plan_walk("PB-1", [_order("W-1", PickLine("SKU-TEA", "Chai", 0))], [])


def _random_batch(seed: int) -> tuple[list[BatchOrder], list[BinStock]]:
    rnd = random.Random(seed)
    skus = [f"SKU-{i}" for i in range(30)]
    bins = [f"{a}-{b:02d}-{lvl}" for a in "ABCD" for b in range(1, 9) for lvl in (1, 2)]
    stock = [BinStock(rnd.choice(bins), rnd.choice(skus), rnd.randint(-1, 6)) for _ in range(60)]
    sample = rnd.sample
    orders = [
        _order(
            f"W-{n}",
            *(PickLine(s, s.lower(), rnd.randint(1, 4)) for s in sample(skus, rnd.randint(1, 4))),
            promised_by=rnd.choice([None, datetime(2026, 12, 6, rnd.randint(9, 18), tzinfo=UTC)]),
        )
        for n in range(40)
    ]
    return orders, stock


def _per_tote(walk: PickWalk) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    picked: Counter[tuple[str, str]] = Counter()
    short: Counter[tuple[str, str]] = Counter()
    for stop in walk.stops:
        for share in stop.totes:
            picked[(share.tote, stop.sku)] += share.quantity
    for line in walk.short:
        for share in line.totes:
            short[(share.tote, line.sku)] += share.quantity
    return picked, short


@pytest.mark.parametrize("seed", range(25))
def test_every_unit_is_picked_or_short_and_no_bin_gives_more_than_it_holds(seed: int) -> None:
    orders, stock = _random_batch(seed)
    walk = plan_walk("PB-R", orders, stock)
    picked, short = _per_tote(walk)
    wanted: Counter[tuple[str, str]] = Counter()
    for tote, order in zip(walk.totes, orders, strict=True):
        for line in order.lines:
            wanted[(tote.label, line.sku)] += line.quantity
    assert picked + short == wanted
    held: Counter[tuple[str, str]] = Counter()
    for row in stock:
        held[(row.bin_code, row.sku)] += row.quantity
    for stop in walk.stops:
        assert 0 < stop.quantity <= held[(stop.bin_code, stop.sku)]
        assert stop.quantity == sum(s.quantity for s in stop.totes)
    keys = [walk_key(s.bin_code) for s in walk.stops]
    assert keys == sorted(keys)
    for missing in walk.short:  # short only when every bin holding it was emptied
        bins = {b for b, sku in held if sku == missing.sku and held[(b, sku)] > 0}
        taken = {s.bin_code: s.quantity for s in walk.stops if s.sku == missing.sku}
        assert all(taken.get(b) == held[(b, missing.sku)] for b in bins)
