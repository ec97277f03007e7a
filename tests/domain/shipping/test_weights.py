"""The weight check: expected weight with the box, tolerance (50 g or 5 %), heavy and light in
the packer's words, a lead's override with a reason, and every way a scale types a weight."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.shipping.boxes import BoxType, PackItem
from app.domain.shipping.weights import (
    WeightOutcome,
    WeightOverride,
    check_weight,
    expected_weight,
    kg_text,
    override_weight,
    read_scale,
    tolerance,
)
from app.errors import BadInput, RuleRefused

BOX = BoxType("M", "Medium", 300, 250, 200, tare_g=250, max_weight_g=10_000)


def test_expected_weight_is_the_items_and_the_empty_box() -> None:
    items = [
        PackItem("TEA", "Tea", 2, 100, 60, 40, weight_g=250),
        PackItem("MUG", "Mug", 1, 100, 100, 90, weight_g=350),
    ]
    assert expected_weight(items, BOX) == 250 + 2 * 250 + 350


def test_tolerance_is_50_g_or_5_percent_whichever_is_more() -> None:
    assert tolerance(400) == 50  # 5 % is 20 g
    assert tolerance(1_000) == 50  # 5 % is exactly 50 g
    assert tolerance(1_100) == 55
    assert tolerance(1_101) == 56  # rounded up to the gram
    assert tolerance(1_100, min_tolerance_g=100) == 100
    assert tolerance(1_100, tolerance_percent=10) == 110


def test_heavy_parcel_says_what_it_weighs_against_what_it_should() -> None:
    check = check_weight(1_320, 1_100)
    assert check.outcome is WeightOutcome.HEAVY and not check.within
    assert check.words == (
        "Parcel weighs 1.32 kg; expected 1.10 kg ± 0.06 kg. "
        "Check the items in the box, or ask a lead to accept this weight."
    )


def test_the_edges_of_the_tolerance_are_within() -> None:
    assert check_weight(1_155, 1_100).within
    assert check_weight(1_045, 1_100).within
    assert check_weight(1_156, 1_100).outcome is WeightOutcome.HEAVY
    assert check_weight(1_044, 1_100).outcome is WeightOutcome.LIGHT
    assert check_weight(1_100, 1_100).words == "Parcel weighs 1.10 kg: within 1.10 kg ± 0.06 kg."


def test_a_weight_of_nothing_is_refused() -> None:
    with pytest.raises(BadInput, match="0 g is not a weight"):
        check_weight(0, 1_100)


def test_kg_text_rounds_halves_up() -> None:
    assert kg_text(55) == "0.06 kg"
    assert kg_text(1_325) == "1.33 kg"
    assert kg_text(1_324) == "1.32 kg"
    assert kg_text(70_000) == "70.00 kg"


def test_a_lead_accepts_a_weight_outside_the_range_with_a_reason() -> None:
    check = check_weight(1_320, 1_100)
    record = override_weight(check, lead="L200", role="lead", reason="filler")
    assert record == WeightOverride("L200", "filler", 1_320, 1_100)
    assert record.reason_text == "Extra packing material for fragile items"
    by_manager = override_weight(check, lead="M300", role="manager", reason="Scale on the bench")
    assert by_manager.reason_text == "Scale on the bench"


def test_an_associate_cannot_accept_a_weight() -> None:
    with pytest.raises(RuleRefused, match="A100 is associate; only a lead or a manager") as err:
        override_weight(check_weight(1_320, 1_100), lead="A100", role="associate", reason="filler")
    assert err.value.next_step == "Ask a lead to scan their badge."
    with pytest.raises(RuleRefused, match="is not known"):
        override_weight(check_weight(1_320, 1_100), lead="X", role="", reason="filler")


@pytest.mark.parametrize("reason", ["", "  ", "ok", " a "])
def test_an_override_needs_a_reason_of_a_few_words(reason: str) -> None:
    with pytest.raises(BadInput, match="Say why this weight is right"):
        override_weight(check_weight(1_320, 1_100), lead="L200", role="lead", reason=reason)


def test_a_weight_within_range_needs_no_override() -> None:
    with pytest.raises(RuleRefused, match="within range; there is nothing to accept"):
        override_weight(check_weight(1_100, 1_100), lead="L200", role="lead", reason="filler")


@pytest.mark.parametrize(
    ("typed", "grams"),
    [
        ("1.325 kg", 1_325),
        ("1325 g", 1_325),
        ("1325", 1_325),
        (" 1.325kg\r", 1_325),
        ("1.325kg\r\n", 1_325),
        ("ST,GS,+001.325kg", 1_325),
        ("ST,NT,+000.840 kg", 840),
        ("0.500 KG", 500),
        ("2 lb", 907),  # 907.18 g
        ("2.5 lbs", 1_134),
        ("16 oz", 454),
        ("+1325 g", 1_325),
        ("0.0005 kg", 1),  # half a gram rounds up
        ("70 kg", 70_000),
    ],
)
def test_read_scale_reads_what_scales_type(typed: str, grams: int) -> None:
    assert read_scale(typed) == grams


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "No weight came through."),
        ("   \r", "No weight came through."),
        ("US,GS,+001.325kg", "The scale is not steady yet."),
        ("OL,GS,+999.999kg", "The scale is overloaded."),
        ("-0.120 kg", "less than nothing"),
        ("ST,GS,-000.120kg", "less than nothing"),
        ("0.000 kg", "The scale reads 0 g."),
        ("70.001 kg", "70.00 kg is more than the 70 kg a parcel may weigh."),
        ("200 lb", "90.72 kg is more than the 70 kg"),
        ("1.325", "'1.325' has no unit."),
        ("1,325 kg", "'1,325 kg' is not a weight."),
        ("abc", "'abc' is not a weight."),
        ("12 stone", "a unit the bench does not read"),
    ],
)
def test_read_scale_refuses_what_is_not_a_steady_weight(typed: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        read_scale(typed)


@settings(max_examples=50)
@given(st.integers(1, 70_000))
def test_any_weight_in_grams_or_kg_reads_back_the_same(grams: int) -> None:
    assert read_scale(f"{grams}") == grams
    assert read_scale(f"{grams / 1000:.3f} kg") == grams
    assert read_scale(f"ST,GS,+{grams / 1000:07.3f}kg\r") == grams
