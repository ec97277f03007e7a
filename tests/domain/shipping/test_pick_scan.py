"""Scans on a batch pick walk: bin, items, tote per share, refusals with their reasons, the
codes an item is scanned by, short bins sent to another bin or to a rejection, skip and back,
and what was put in which tote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.gs1 import GS
from app.domain.pick_walk import BatchOrder, BinStock, PickLine, PickWalk, plan_walk
from app.domain.shipping.pick_scan import (
    PickedUnits,
    PickProgress,
    ScanResult,
    ShortUnits,
)
from app.domain.shipping.walk_codes import ItemCodes
from app.errors import BadInput

R = ScanResult
TEA = ItemCodes("SKU-TEA", "8901030865237", "Tea 250 g")
RICE = ItemCodes("SKU-RICE", "036000291452", "Rice 5 kg")  # a UPC-A
ITEMS = (TEA, RICE)


def _walk(stock: list[BinStock]) -> PickWalk:
    orders = [
        BatchOrder("W-1", (PickLine("SKU-RICE", "Rice 5 kg", 2),)),
        BatchOrder("W-2", (PickLine("SKU-TEA", "Tea 250 g", 1),)),
        BatchOrder("W-3", (PickLine("SKU-RICE", "Rice 5 kg", 1),)),
    ]
    return plan_walk("PB-7", orders, stock)


STOCK = [BinStock("A-01-3", "SKU-RICE", 5), BinStock("B-04-2", "SKU-TEA", 5)]


def _progress(stock: list[BinStock] = STOCK) -> PickProgress:
    return PickProgress(_walk(stock), ITEMS, stock)


def _results(progress: PickProgress, *scans: str) -> list[ScanResult]:
    return [progress.scan(s).result for s in scans]


def test_a_whole_walk_bin_items_tote_per_share() -> None:
    progress = _progress()
    assert progress.prompt == "Go to bin A-01-3 and scan it."
    first = progress.scan("A-01-3")
    assert first.result is R.BIN_VERIFIED
    assert first.words == "Bin A-01-3 is right. Scan Rice 5 kg: 0 of 2 for tote T01."
    assert (
        progress.scan("SKU-RICE").words == "Rice 5 kg 1 of 2. Scan Rice 5 kg: 1 of 2 for tote T01."
    )
    assert progress.scan("sku-rice").words == (
        "Rice 5 kg 2 of 2. Put 2 Rice 5 kg in tote T01 and scan the tote."
    )
    assert progress.scan("PB-7-T01").result is R.TOTE_CONFIRMED
    assert _results(progress, "036000291452", "T03") == [R.ITEM_COUNTED, R.STOP_DONE]
    assert progress.prompt == "Go to bin B-04-2 and scan it."
    assert _results(progress, "B-04-2", "8901030865237") == [R.BIN_VERIFIED, R.ITEM_COUNTED]
    done = progress.scan("pb-7-t02")
    assert done.result is R.WALK_DONE and progress.done
    assert done.words.endswith("The walk is done: take the totes to the packing bench.")
    assert progress.picked() == (
        PickedUnits("A-01-3", "SKU-RICE", "T01", 2),
        PickedUnits("A-01-3", "SKU-RICE", "T03", 1),
        PickedUnits("B-04-2", "SKU-TEA", "T02", 1),
    )
    assert progress.shorts() == ()
    assert progress.scan("A-01-3").refused


@pytest.mark.parametrize(
    "scan",
    [
        "0036000291452",  # UPC-A as EAN-13
        "00036000291452",  # GTIN-14 padding
        "]E00036000291452",  # with the AIM symbology identifier
        f"0100036000291452{GS}10LOT7",  # GS1 element string with a batch
        "]C10100036000291452",
        " SKU-RICE\r",
    ],
)
def test_an_item_is_known_by_any_of_its_codes(scan: str) -> None:
    progress = _progress()
    progress.scan("A-01-3")
    assert progress.scan(scan).result is R.ITEM_COUNTED


def test_wrong_scans_are_refused_with_the_reason_and_change_nothing() -> None:
    progress = _progress()
    wrong_bin = progress.scan("B-04-2")
    assert wrong_bin.refused
    assert wrong_bin.words == (
        "That is bin B-04-2; this pick is from bin A-01-3. Go to bin A-01-3 and scan it."
    )
    assert progress.scan("SKU-RICE").words.startswith("That is Rice 5 kg; this pick is")
    progress.scan("A-01-3")
    wrong_item = progress.scan("8901030865237")
    assert wrong_item.refused
    assert wrong_item.words.startswith("That is Tea 250 g; this pick is Rice 5 kg.")
    assert progress.scan("PB-7-T01").words.startswith("That is tote T01; scan the item first.")
    assert progress.scan("XYZ").words.startswith("'XYZ' is not a bin, item or tote of this walk.")
    assert progress.scan("SKU-RICE", quantity=3).words.startswith(
        "Only 2 more Rice 5 kg go in tote T01."
    )
    progress.scan("SKU-RICE", quantity=2)
    wrong_tote = progress.scan("PB-7-T03")
    assert wrong_tote.refused and wrong_tote.words.startswith("Put it in tote T01, not T03.")
    assert progress.scan("SKU-RICE").words.startswith("All 2 for tote T01 are counted.")
    assert progress.scan("PB-6-T01").words.startswith("Put them in tote T01 and scan its label.")
    assert progress.picked() == ()
    assert progress.scan("PB-7-T01").result is R.TOTE_CONFIRMED


def test_rescanning_the_bin_while_counting_is_harmless() -> None:
    progress = _progress()
    progress.scan("A-01-3")
    progress.scan("SKU-RICE")
    assert progress.scan("a-01-3").result is R.BIN_VERIFIED
    assert progress.prompt == "Scan Rice 5 kg: 1 of 2 for tote T01."


def test_a_count_below_one_is_bad_input() -> None:
    with pytest.raises(BadInput, match="0 is not a count of units"):
        _progress().scan("SKU-RICE", quantity=0)


def test_short_bin_sends_the_missing_units_to_another_bin_here() -> None:
    stock = [*STOCK, BinStock("C-02-1", "SKU-RICE", 4)]
    progress = PickProgress(_walk([STOCK[0], STOCK[1]]), ITEMS, stock)
    progress.scan("A-01-3")
    progress.scan("SKU-RICE")
    outcome = progress.short(1)  # the bin had 1 of 3: T03 then T01 lose a unit each
    assert outcome.result is R.SHORT_ELSEWHERE
    assert outcome.words == (
        "Bin A-01-3 had 1 of 3 Rice 5 kg. Take 2 more from bin C-02-1 next. "
        "Put 1 Rice 5 kg in tote T01 and scan the tote."
    )
    assert progress.scan("PB-7-T01").result is R.STOP_DONE
    assert progress.prompt == "Go to bin C-02-1 and scan it."
    assert _results(progress, "C-02-1", "SKU-RICE", "T01", "SKU-RICE", "T03") == [
        R.BIN_VERIFIED, R.ITEM_COUNTED, R.TOTE_CONFIRMED, R.ITEM_COUNTED, R.STOP_DONE,
    ]  # fmt: skip
    assert PickedUnits("C-02-1", "SKU-RICE", "T01", 1) in progress.picked()
    assert progress.shorts() == ()


def test_short_with_no_other_bin_asks_for_a_rejection_reason() -> None:
    progress = _progress()
    progress.scan("A-01-3")
    outcome = progress.short(0)
    assert outcome.result is R.SHORT_REJECT
    assert outcome.words == (
        "Bin A-01-3 had 0 of 3 Rice 5 kg. No other bin here holds 3 of them: "
        "reject them with a reason. Go to bin B-04-2 and scan it."
    )
    assert progress.shorts() == (
        ShortUnits("SKU-RICE", "T01", 2),
        ShortUnits("SKU-RICE", "T03", 1),
    )


def test_spare_units_the_walk_already_takes_are_not_suggested() -> None:
    # C-02-1 holds 1 spare rice beyond the walk's plan: 1 goes there, 1 is short
    stock = [BinStock("A-01-3", "SKU-RICE", 2), BinStock("C-02-1", "SKU-RICE", 2), STOCK[1]]
    progress = _progress(stock)
    progress.scan("A-01-3")
    outcome = progress.short(0)
    assert "Take 1 more from bin C-02-1 next." in outcome.words
    assert "No other bin here holds 1 of them" in outcome.words
    assert outcome.result is R.SHORT_REJECT
    assert progress.shorts() == (ShortUnits("SKU-RICE", "T01", 1),)


def test_short_must_be_between_what_is_counted_and_what_is_wanted() -> None:
    progress = _progress()
    progress.scan("A-01-3")
    progress.scan("SKU-RICE", quantity=2)
    progress.scan("T01")
    too_few = progress.short(1)
    assert too_few.refused and "at least the 2 counted, fewer than 3" in too_few.words
    assert progress.short(3).refused


def test_what_the_plan_already_found_short_is_listed_from_the_start() -> None:
    progress = _progress([BinStock("A-01-3", "SKU-RICE", 3)])  # no tea anywhere
    assert progress.shorts() == (ShortUnits("SKU-TEA", "T02", 1),)


def test_skip_and_back_but_not_with_units_in_hand() -> None:
    progress = _progress()
    skipped = progress.skip()
    assert skipped.result is R.MOVED and skipped.words == "Go to bin B-04-2 and scan it."
    assert _results(progress, "B-04-2", "SKU-TEA", "T02") == [
        R.BIN_VERIFIED, R.ITEM_COUNTED, R.STOP_DONE,
    ]  # fmt: skip
    assert progress.prompt == "Go to bin A-01-3 and scan it."  # back to the skipped stop
    assert progress.skip().words.startswith("This is the only stop left.")
    progress.scan("A-01-3")
    progress.scan("SKU-RICE")
    assert progress.back().words.startswith("First put the 1 in your hand in tote T01.")


def test_back_goes_to_the_previous_stop_not_done() -> None:
    progress = _progress()
    progress.skip()
    assert progress.back().result is R.MOVED
    assert progress.prompt == "Go to bin A-01-3 and scan it."


_lines = st.lists(
    st.tuples(st.sampled_from(["SKU-TEA", "SKU-RICE"]), st.integers(1, 4)),
    min_size=1,
    max_size=2,
    unique_by=lambda t: t[0],
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_lines, min_size=1, max_size=6), st.integers(0, 12), st.integers(0, 12))
def test_scanning_each_prompt_puts_every_unit_in_its_own_tote(
    orders: list[list[tuple[str, int]]], rice: int, tea: int
) -> None:
    names = {"SKU-TEA": "Tea 250 g", "SKU-RICE": "Rice 5 kg"}
    batch = [
        BatchOrder(f"W-{n}", tuple(PickLine(s, names[s], q) for s, q in lines))
        for n, lines in enumerate(orders)
    ]
    stock = [BinStock("A-01-1", "SKU-RICE", rice), BinStock("B-02-1", "SKU-TEA", tea)]
    walk = plan_walk("PB-1", batch, stock)
    progress = PickProgress(walk, ITEMS, stock)
    while (stop := progress.current) is not None:
        if not stop.bin_verified:
            assert progress.scan(stop.bin_code).result is R.BIN_VERIFIED
        for _ in range(stop.needed - stop.counted):
            assert progress.scan(stop.sku).result is R.ITEM_COUNTED
        assert progress.scan(f"PB-1-{stop.tote}").result in (
            R.TOTE_CONFIRMED, R.STOP_DONE, R.WALK_DONE,
        )  # fmt: skip
    put: dict[tuple[str, str], int] = {}
    for units in progress.picked():
        put[(units.tote, units.sku)] = put.get((units.tote, units.sku), 0) + units.quantity
    for short in progress.shorts():
        put[(short.tote, short.sku)] = put.get((short.tote, short.sku), 0) + short.quantity
    wanted = {
        (tote.label, line.sku): line.quantity
        for tote, order in zip(walk.totes, batch, strict=True)
        for line in order.lines
    }
    assert put == wanted
