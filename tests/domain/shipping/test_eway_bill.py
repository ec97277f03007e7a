"""The e-way bill rule the bench and the ledger share: a number's shape, the invoice value
measured against the threshold (refused units, discount and shipping count), the law's
threshold or the location's."""

from __future__ import annotations

import pytest

from app.domain.money import Money
from app.domain.shipping.eway_bill import (
    EWAY_BILL_THRESHOLD,
    eway_bill_digits,
    invoice_value,
    lacks_eway_bill,
    threshold_of,
)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [("123456789012", "123456789012"), ("1234 5678 9012", "123456789012"),
     ("1234-5678-9012", "123456789012"), ("12345678901", None), ("1234567890123", None),
     ("12345678901X", None), ("", None)],
)  # fmt: skip
def test_an_eway_bill_number_is_12_digits_spaces_and_dashes_aside(
    typed: str, digits: str | None
) -> None:
    assert eway_bill_digits(typed) == digits


def test_the_invoice_value_counts_units_leaving_less_discount_plus_shipping() -> None:
    lines = [
        {"sku": "A", "quantity": 3, "short": 1, "price_minor": 20_000_00},  # 2 leave
        {"sku": "B", "quantity": 1, "price_minor": 10_000_00},
    ]
    assert invoice_value(lines) == 50_000_00
    assert invoice_value(lines, 1_000_00, 400_00) == 49_400_00
    assert invoice_value(lines, 60_000_00, 0) == 0  # never below nothing


def test_above_the_threshold_a_valid_number_is_needed() -> None:
    assert lacks_eway_bill(50_000_01, EWAY_BILL_THRESHOLD, "")
    assert lacks_eway_bill(50_000_01, EWAY_BILL_THRESHOLD, "12345")  # malformed: none
    assert not lacks_eway_bill(50_000_01, EWAY_BILL_THRESHOLD, "123456789012")
    assert not lacks_eway_bill(50_000_00, EWAY_BILL_THRESHOLD, "")  # not above it


def test_the_locations_threshold_stands_else_the_laws() -> None:
    assert threshold_of(None) == Money(50_000_00)
    assert threshold_of(1_000_00) == Money(1_000_00)
