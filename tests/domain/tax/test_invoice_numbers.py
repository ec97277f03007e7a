"""Invoice and credit note numbers, pure: the financial year (April to March, by the day
in India), the number's shape within GST's 16 characters, station prefixes per series (B
invoices, C credit notes), blocks that follow on and stop at the year's last serial."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.tax.document import INVOICE_NUMBER
from app.domain.tax.invoice_numbers import (
    BLOCK_SIZE,
    MAX_SERIAL,
    NumberBlock,
    Series,
    financial_year,
    invoice_day,
    invoice_number,
    next_block,
    series_of,
    station_prefix,
    year_text,
)
from app.errors import BadInput


@pytest.mark.parametrize(
    ("on", "year"),
    [(date(2026, 3, 31), 2025), (date(2026, 4, 1), 2026), (date(2027, 1, 15), 2026),
     (date(2099, 12, 31), 2099)],
)  # fmt: skip
def test_the_financial_year_runs_april_to_march(on: date, year: int) -> None:
    assert financial_year(on) == year


def test_the_invoice_day_is_the_day_in_india() -> None:
    assert invoice_day(datetime(2027, 3, 31, 18, 29, tzinfo=UTC)) == date(2027, 3, 31)
    assert invoice_day(datetime(2027, 3, 31, 18, 30, tzinfo=UTC)) == date(2027, 4, 1)


def test_a_number_fits_gst_rules_at_its_longest() -> None:
    longest = invoice_number(station_prefix(9_999), 2099, MAX_SERIAL)
    assert longest == "B9999/9900/99999" and len(longest) == 16
    assert INVOICE_NUMBER.match(longest)
    assert year_text(2026) == "2627" and invoice_number("B0001", 2026, 123) == "B0001/2627/00123"


@pytest.mark.parametrize("number", [0, 10_000])
def test_a_station_beyond_four_digits_cannot_number_invoices(number: int) -> None:
    with pytest.raises(BadInput, match="cannot number invoices"):
        station_prefix(number)


def test_blocks_follow_on_and_stop_at_the_years_last_serial() -> None:
    assert next_block(2026, "B0001", 0) == NumberBlock(2026, "B0001", 1, BLOCK_SIZE)
    assert next_block(2026, "B0001", 200) == NumberBlock(2026, "B0001", 201, 400)
    assert next_block(2026, "B0001", MAX_SERIAL - 10) == NumberBlock(
        2026, "B0001", MAX_SERIAL - 9, MAX_SERIAL
    )
    assert next_block(2026, "B0001", MAX_SERIAL) is None
    with pytest.raises(BadInput):
        invoice_number("B0001", 2026, MAX_SERIAL + 1)


def test_credit_notes_number_in_their_own_series_under_c() -> None:
    prefix = station_prefix(1, Series.CREDIT_NOTE)
    longest = invoice_number(station_prefix(9_999, Series.CREDIT_NOTE), 2099, MAX_SERIAL)

    assert prefix == "C0001" and station_prefix(1) == "B0001"  # no series: invoices
    assert invoice_number(prefix, 2026, 1) == "C0001/2627/00001"
    assert longest == "C9999/9900/99999" and INVOICE_NUMBER.match(longest)
    assert next_block(2026, prefix, 0) == NumberBlock(2026, "C0001", 1, BLOCK_SIZE)


def test_a_block_knows_its_series_by_its_prefix() -> None:
    assert NumberBlock(2026, "B0001", 1, 200).series is Series.INVOICE
    assert NumberBlock(2026, "C0042", 1, 200).series is Series.CREDIT_NOTE
    assert series_of("C0001") is Series.CREDIT_NOTE
    with pytest.raises(BadInput, match="not the prefix"):
        series_of("X0001")
