"""The GST rate table: longest HSN prefix wins, the row in force on the day, the apparel
price band judged per unit with its limit included; bad rows are refused."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.tax.rates import GstRate, rate_row
from app.errors import BadInput
from tests.domain.tax.rate_table import GST_2_0, RATES

TODAY = date(2026, 12, 6)


def test_the_longest_prefix_wins() -> None:
    rice = rate_row(RATES, "10063020", on=TODAY)
    wheat = rate_row(RATES, "10019910", on=TODAY)
    assert rice is not None and rice.hsn_prefix == "1006" and rice.rate_bp == 500
    assert wheat is not None and wheat.hsn_prefix == "10" and wheat.rate_bp == 0


def test_the_row_in_force_on_the_day_applies() -> None:
    before = rate_row(RATES, "61091000", on=date(2025, 9, 21))
    since = rate_row(RATES, "61091000", on=GST_2_0)
    assert before is not None and before.band_limit_minor == 1_000_00
    assert since is not None and since.band_limit_minor == 2_500_00
    # A ₹1,200 kurta: 12 % the day before GST 2.0, 5 % from 22 Sep 2025.
    assert (before.rate_on(1_200_00, 1), since.rate_on(1_200_00, 1)) == (1200, 500)


def test_no_row_for_an_hsn_outside_the_table() -> None:
    assert rate_row(RATES, "33049910", on=TODAY) is None  # cosmetics: not in this table
    assert rate_row(RATES, "61091000", on=date(2017, 6, 30)) is None  # before GST


@pytest.mark.parametrize(
    ("value", "quantity", "rate"),
    [
        (2_500_00, 1, 500),  # exactly ₹2,500: the limit is included
        (2_500_01, 1, 1800),  # a paisa above
        (5_000_00, 2, 500),  # 2 × ₹2,500
        (5_000_01, 2, 1800),  # ₹2,500.005 a unit: above, never rounded down to the limit
        (7_499_99, 3, 500),
    ],
)
def test_the_band_is_judged_per_unit(value: int, quantity: int, rate: int) -> None:
    apparel = GstRate("62", 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800)
    assert apparel.rate_on(value, quantity) == rate


def test_rows_say_their_rule_in_words() -> None:
    apparel = GstRate("64", 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800)
    assert apparel.text() == "5 % up to ₹2,500.00 a unit, 18 % above"
    assert GstRate("7323", 500, GST_2_0).text() == "5 %"


@pytest.mark.parametrize(
    ("row", "said"),
    [
        (lambda: GstRate("6", 500, GST_2_0), "not an HSN code"),
        (lambda: GstRate("610910001", 500, GST_2_0), "not an HSN code"),
        (lambda: GstRate("61", 700, GST_2_0), "not a GST rate"),
        (lambda: GstRate("61", 500, GST_2_0, band_limit_minor=2_500_00), "both its limit"),
        (lambda: GstRate("61", 500, GST_2_0, band_limit_minor=0, rate_above_bp=1800), "above"),
    ],
)
def test_a_bad_row_is_refused(row: object, said: str) -> None:
    with pytest.raises(BadInput, match=said):
        row()  # type: ignore[operator]
