"""The return receipt of a return without an order: store credit in all, the customer's
phone masked to its last four digits, each grade in words; a number the credit note
series could not have given, or a receipt with nothing on it, is refused."""

from __future__ import annotations

import dataclasses

import pytest

from app.domain.returns.grades import Grade
from app.domain.returns.store_credit import CreditUnit
from app.errors import BadInput
from app.labels.samples import STORE_CREDIT_UNITS, sample_store_credit


def test_the_store_credit_is_what_each_unit_gives() -> None:
    receipt = sample_store_credit()
    assert receipt.total_minor == 2_600_00 + 3_250_00
    one = sample_store_credit((CreditUnit("Scarf", "SKU-9", Grade.C, "Damaged", 0),))
    assert one.total_minor == 0  # a manager may key nothing back for a unit


@pytest.mark.parametrize(
    ("phone", "shown"),
    [("9845012345", "••2345"), ("+91 98450 67890", "••7890"), ("", "not given")],
)
def test_only_the_last_four_digits_of_the_phone_print(phone: str, shown: str) -> None:
    receipt = dataclasses.replace(sample_store_credit(), customer_phone=phone)
    assert receipt.masked_phone == shown


@pytest.mark.parametrize(
    ("grade", "words"),
    [(Grade.A, "A New, unopened"), (Grade.B, "B Opened, like new"), (Grade.C, "C Damaged"),
     (Grade.DEFECTIVE, "D Defective")],
)  # fmt: skip
def test_each_grade_prints_in_words(grade: Grade, words: str) -> None:
    assert dataclasses.replace(STORE_CREDIT_UNITS[0], grade=grade).grade_text == words


@pytest.mark.parametrize(
    ("number", "words"),
    [("C0001/2627/00003 X", "cannot be a credit note number"),
     ("", "cannot be a credit note number")],
)  # fmt: skip
def test_a_number_the_series_could_not_give_is_refused(number: str, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        sample_store_credit(number=number)


def test_a_receipt_with_no_units_is_refused() -> None:
    with pytest.raises(BadInput, match="has no units to print"):
        sample_store_credit(())
