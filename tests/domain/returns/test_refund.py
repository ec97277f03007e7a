"""Refund due against worked examples, each written out by hand. Amounts in paise.

A line's paid value = unit price × units sold − its share of the order discount (shared
by paid value, largest remainder first, as on the invoice). Units back so far are worth
paid value × units back ÷ units sold, rounded down; the last unit back takes the paise left.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.returns.grades import Grade
from app.domain.returns.refund import ReturnedBefore, UnitsBack, paid_per_line, refund_due
from app.domain.returns.refund_rules import (
    RefundMethod,
    RefundRules,
    RestockingFee,
    ShippingRule,
    refund_choices,
    refund_method,
)
from app.domain.tax.invoice import Sale, SaleLine, invoice_amounts
from app.errors import BadInput
from tests.domain.tax.rate_table import RATES

TODAY = date(2026, 12, 6)

A, B = Grade.A, Grade.B
THREE_LINES = Sale(
    (
        SaleLine("Cotton kurta", "61091000", 1, 1_000_00),  # 1,00,000
        SaleLine("Steel bottle", "73239390", 2, 300_00),  # 60,000
        SaleLine("Bluetooth speaker", "85182200", 1, 400_00),  # 40,000
    ),
    discount_minor=100_00,
    shipping_minor=50_00,
)


def test_the_discount_is_shared_across_lines_as_on_the_invoice() -> None:
    # ₹100 over 2,00,000: 5,000 / 3,000 / 2,000 → paid 95,000 / 57,000 / 38,000;
    # shipping 5,000: 95,000 + 57,000 + 38,000 + 5,000 = 1,95,000, what the customer paid
    paid, shipping = paid_per_line(THREE_LINES)
    assert (paid, shipping) == ([950_00, 570_00, 380_00], 50_00)
    assert sum(paid) + shipping == THREE_LINES.paid_minor == 1_950_00
    invoice = invoice_amounts(THREE_LINES, RATES, on=TODAY, intra_state=True)
    assert paid == [line.total_minor for line in invoice.lines[:3]]  # the same sharing


def test_returning_one_line_refunds_what_was_paid_for_it_after_the_discount() -> None:
    # the speaker, ₹400 less its ₹20 share: ₹380; the order is not emptied: no shipping
    due = refund_due(THREE_LINES, [UnitsBack(2, 1, A, "changed_mind")])
    assert (due.lines[0].paid_minor, due.shipping_minor, due.total_minor) == (380_00, 0, 380_00)


# 3 pairs of socks at ₹100 and a cap at ₹200, ₹10.01 off the order:
#   socks 1,001 × 30,000 / 50,000 = 600.6 → 600; cap 1,001 × 20,000 / 50,000 = 400.4 → 400;
#   the paisa left goes to the larger remainder (0.6, the socks): 601 and 400.
#   socks paid 30,000 − 601 = 29,399; cap 20,000 − 400 = 19,600
SOCKS_AND_CAP = Sale(
    (SaleLine("Socks", "61159500", 3, 100_00), SaleLine("Cap", "65050090", 1, 200_00)),
    discount_minor=10_01,
)


def test_a_partial_return_rounds_down_and_the_last_unit_takes_the_paise_left() -> None:
    assert paid_per_line(SOCKS_AND_CAP)[0] == [293_99, 196_00]
    # 1st pair: 29,399 × 1 / 3 = 9,799.67 → 9,799
    first = refund_due(SOCKS_AND_CAP, [UnitsBack(0, 1, A, "changed_mind")])
    assert first.total_minor == 97_99
    # 2nd pair: 29,399 × 2 / 3 = 19,599.33 → 19,599, less 9,799 already back = 9,800
    second = refund_due(
        SOCKS_AND_CAP, [UnitsBack(0, 1, A, "changed_mind")], before=ReturnedBefore({0: 1})
    )
    assert second.total_minor == 98_00
    # 3rd pair: all of 29,399 less 19,599 = 9,800; 9,799 + 9,800 + 9,800 = 29,399
    third = refund_due(
        SOCKS_AND_CAP, [UnitsBack(0, 1, A, "changed_mind")], before=ReturnedBefore({0: 2})
    )
    assert third.total_minor == 98_00
    assert first.total_minor + second.total_minor + third.total_minor == 293_99


def test_two_returns_of_the_same_line_the_second_gets_nothing_more() -> None:
    # Sold 3 pairs; 3 came back already. A 4th unit (an over-return the ledger flags)
    # adds no refund: nothing more was paid.
    over = refund_due(
        SOCKS_AND_CAP, [UnitsBack(0, 1, A, "changed_mind")], before=ReturnedBefore({0: 3})
    )
    assert over.total_minor == 0


HEADPHONES = Sale((SaleLine("Headphones", "85183000", 2, 2_999_00),))
FEE_ON_AUDIO = RefundRules(restocking=RestockingFee(1000, categories=frozenset({"audio"})))


def test_a_restocking_fee_on_an_opened_unit_of_a_category_that_carries_one() -> None:
    # grade B, category audio: 10 % of 2,99,900 = 29,990 kept; 2,69,910 back
    back = [UnitsBack(0, 1, B, "changed_mind", category="audio")]
    due = refund_due(HEADPHONES, back, rules=FEE_ON_AUDIO)
    assert (due.lines[0].restocking_fee_minor, due.total_minor) == (299_90, 2_699_10)
    assert due.restocking_fee_minor == 299_90


def test_no_restocking_fee_for_a_new_unit_or_another_category() -> None:
    new = [UnitsBack(0, 1, A, "changed_mind", category="audio")]
    assert refund_due(HEADPHONES, new, rules=FEE_ON_AUDIO).total_minor == 2_999_00
    apparel = [UnitsBack(0, 1, B, "changed_mind", category="apparel")]
    assert refund_due(HEADPHONES, apparel, rules=FEE_ON_AUDIO).total_minor == 2_999_00


def test_the_restocking_fee_rounds_down_for_the_customer() -> None:
    # 10 % of 1,99,999 = 19,999.9 → 19,999 kept
    assert RestockingFee(1000, categories=frozenset({"x"})).fee(1_999_99, B, "x") == 199_99


KURTA_AND_SCARF = Sale(
    (SaleLine("Cotton kurta", "61091000", 1, 1_000_00), SaleLine("Scarf", "62142000", 1, 500_00)),
    shipping_minor=79_00,
)


def test_shipping_comes_back_only_with_the_return_that_empties_the_order() -> None:
    # the kurta alone: the scarf is still kept, so the ₹79 shipping stays paid
    kurta = refund_due(KURTA_AND_SCARF, [UnitsBack(0, 1, A, "changed_mind")])
    assert (kurta.shipping_minor, kurta.total_minor) == (0, 1_000_00)
    # then the scarf: nothing of the order is kept, ₹500 + ₹79 = ₹579
    scarf = refund_due(
        KURTA_AND_SCARF, [UnitsBack(1, 1, A, "changed_mind")], before=ReturnedBefore({0: 1})
    )
    assert (scarf.shipping_minor, scarf.total_minor) == (79_00, 579_00)


def test_shipping_comes_back_when_the_retailer_is_at_fault_once_per_order() -> None:
    # a defective kurta: ₹1,000 + ₹79 shipping though the scarf is kept
    kurta = refund_due(KURTA_AND_SCARF, [UnitsBack(0, 1, A, "defective")])
    assert (kurta.shipping_minor, kurta.total_minor) == (79_00, 1_079_00)
    # the scarf later empties the order, but shipping already came back: ₹500 only
    before = ReturnedBefore({0: 1}, shipping_refunded=True)
    scarf = refund_due(KURTA_AND_SCARF, [UnitsBack(1, 1, A, "changed_mind")], before=before)
    assert (scarf.shipping_minor, scarf.total_minor) == (0, 500_00)


def test_the_shipping_rule_is_configurable() -> None:
    never_on_empty = RefundRules(shipping=ShippingRule(when_order_emptied=False))
    both = [UnitsBack(0, 1, A, "changed_mind"), UnitsBack(1, 1, A, "changed_mind")]
    assert refund_due(KURTA_AND_SCARF, both, rules=never_on_empty).shipping_minor == 0
    wrong_size = RefundRules(shipping=ShippingRule(retailer_fault_reasons=frozenset({"size"})))
    kurta = [UnitsBack(0, 1, A, "size")]
    assert refund_due(KURTA_AND_SCARF, kurta, rules=wrong_size).shipping_minor == 79_00


def test_a_discount_larger_than_the_goods_comes_off_shipping() -> None:
    # goods ₹100, shipping ₹50, ₹120 off: goods paid 0, shipping paid ₹30
    sale = Sale(
        (SaleLine("Pen", "96081019", 1, 100_00),), discount_minor=120_00, shipping_minor=50_00
    )
    due = refund_due(sale, [UnitsBack(0, 1, A, "changed_mind")])
    assert (due.lines[0].paid_minor, due.shipping_minor, due.total_minor) == (0, 30_00, 30_00)


def test_a_line_not_on_the_order_is_refused() -> None:
    with pytest.raises(BadInput, match="Line 4 × 1 is not on the order"):
        refund_due(THREE_LINES, [UnitsBack(3, 1, A, "changed_mind")])
    with pytest.raises(BadInput, match="Line 1 × 0"):
        refund_due(THREE_LINES, [UnitsBack(0, 0, A, "changed_mind")])


@pytest.mark.parametrize(
    ("payment", "choices"),
    [
        ("prepaid", ("original", "store_credit")),
        ("card", ("original", "store_credit")),
        ("upi", ("original", "store_credit")),
        ("cod", ("store_credit", "original")),  # the customer chooses; store credit unless told
        ("cash", ("store_credit", "original")),
        ("store_credit", ("store_credit",)),
    ],
)
def test_the_refund_method_by_how_the_order_was_paid(payment: str, choices: tuple[str]) -> None:
    assert refund_choices(payment) == choices
    assert refund_method(payment) == choices[0]


def test_cash_paid_refunded_as_cash_when_the_customer_chooses() -> None:
    assert refund_method("cash", RefundMethod.ORIGINAL) is RefundMethod.ORIGINAL
    with pytest.raises(BadInput, match="paid by store_credit cannot be refunded") as refused:
        refund_method("store_credit", RefundMethod.ORIGINAL)
    assert refused.value.next_step == "Refund it as store credit."
