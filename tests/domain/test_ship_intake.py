"""A ship order's delivery terms: each missing part named by its field, the COD amount
held to what the customer owes and to the courier's cap, the COD shared by parcels, the
delivery promise."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.labels import COD_CAP
from app.domain.ship_intake import (
    STANDARD_PROMISE_DAYS,
    ShipTerms,
    check_ship_terms,
    promise_date,
    split_cod,
)
from app.errors import BadInput

ADDRESS = {
    "name": "Asha Kumar", "line1": "14 1st Cross, Koramangala", "line2": "",
    "city": "Bengaluru", "state": "Karnataka", "pincode": "560095", "phone": "+91 98450 12345",
}  # fmt: skip
# 2 × ₹450 + 1 × ₹120 − ₹50 discount + ₹49 shipping = ₹1,019
TERMS = ShipTerms(ADDRESS, [(2, 45_000), (1, 12_000)], 5_000, 4_900, "cod", 101_900)


def refused(terms: ShipTerms) -> str:
    with pytest.raises(BadInput) as error:
        check_ship_terms(terms)
    assert error.value.next_step
    return error.value.message


def test_terms_that_are_whole_give_what_the_customer_owes() -> None:
    assert check_ship_terms(TERMS) == 101_900
    assert check_ship_terms(replace(TERMS, payment="prepaid", cod_minor=None)) == 101_900


@pytest.mark.parametrize("part", ["name", "line1", "city", "state", "pincode", "phone"])
def test_each_missing_part_of_the_address_is_named(part: str) -> None:
    blank = replace(TERMS, address={**ADDRESS, part: "  "})
    assert refused(blank).startswith(f"ship_to.{part} is missing")


def test_line2_may_be_left_out_and_no_address_at_all_is_named() -> None:
    without = {k: v for k, v in ADDRESS.items() if k != "line2"}
    assert check_ship_terms(replace(TERMS, address=without)) == 101_900
    assert refused(replace(TERMS, address=None)).startswith("ship_to is missing")


@pytest.mark.parametrize("pincode", ["56009", "5600951", "056009", "56O095"])
def test_a_pincode_is_six_digits_not_starting_with_zero(pincode: str) -> None:
    message = refused(replace(TERMS, address={**ADDRESS, "pincode": pincode}))
    assert message.startswith("ship_to.pincode:") and pincode in message


def test_a_line_without_its_paid_price_is_named_by_its_place() -> None:
    message = refused(replace(TERMS, lines=[(2, 45_000), (1, None)]))
    assert message.startswith("lines[1].paid_minor is missing")


@pytest.mark.parametrize(
    ("field", "terms"),
    [
        ("lines[0].paid_minor", replace(TERMS, lines=[(1, -1)])),
        ("discount_minor", replace(TERMS, discount_minor=-1)),
        ("shipping_minor", replace(TERMS, shipping_minor=-1)),
    ],
)
def test_amounts_below_zero_are_named(field: str, terms: ShipTerms) -> None:
    assert refused(terms).startswith(f"{field}: -1 is below zero")


def test_a_paid_price_of_zero_is_a_gift_and_taken() -> None:
    free = replace(TERMS, lines=[(1, 0)], discount_minor=0, payment="prepaid", cod_minor=None)
    assert check_ship_terms(free) == 4_900


def test_a_discount_beyond_the_order_is_refused() -> None:
    assert refused(replace(TERMS, discount_minor=200_000)).startswith("discount_minor:")


def test_payment_must_be_said_and_be_prepaid_or_cod() -> None:
    assert refused(replace(TERMS, payment=None)).startswith("payment is missing")
    assert refused(replace(TERMS, payment="card")).startswith("payment: 'card'")


def test_cod_needs_the_amount_owed_exactly_naming_both_figures() -> None:
    assert refused(replace(TERMS, cod_minor=None)).startswith("cod_minor is missing")
    assert "nothing to collect" in refused(replace(TERMS, cod_minor=0))
    wrong = refused(replace(TERMS, cod_minor=100_000))
    assert wrong.startswith("cod_minor:") and "₹1,000.00" in wrong and "₹1,019.00" in wrong


def test_cod_above_what_a_courier_collects_is_refused() -> None:
    big = replace(TERMS, lines=[(1, COD_CAP.minor + 1)], discount_minor=0, shipping_minor=0)
    assert "above the" in refused(replace(big, cod_minor=COD_CAP.minor + 1))
    at_cap = replace(big, lines=[(1, COD_CAP.minor)], cod_minor=COD_CAP.minor)
    assert check_ship_terms(at_cap) == COD_CAP.minor


def test_a_prepaid_order_collects_nothing() -> None:
    message = refused(replace(TERMS, payment="prepaid"))
    assert message.startswith("cod_minor: a prepaid order collects nothing")


def test_cod_is_shared_by_paid_value_and_the_rest_goes_with_the_first_parcel() -> None:
    assert split_cod([90_000, 12_000], 101_900) == [89_912, 11_988]
    assert sum(split_cod([1, 1, 1], 100)) == 100 and split_cod([1, 1, 1], 100)[0] == 34
    assert split_cod([0, 0], 4_900) == [4_900, 0]  # free items: shipping on the first
    assert split_cod([5], 0) == [0]


def test_the_promise_is_the_orders_own_or_the_standard_one() -> None:
    today = date(2026, 12, 6)
    assert promise_date(today, None) == date(2026, 12, 6 + STANDARD_PROMISE_DAYS)
    assert promise_date(today, today) == today
    with pytest.raises(BadInput, match="promised_by: 05 Dec 2026 is already past"):
        promise_date(today, date(2026, 12, 5))
