"""The rules of a refund: when shipping comes back and which returns keep a restocking
fee (small data objects the retailer configures), and how the refund is paid: to the
original payment method or as store credit; after cash or cash on delivery the customer
chooses, store credit unless they say otherwise."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.domain.returns.grades import Grade
from app.domain.tax.invoice import FULL_BP
from app.errors import BadInput

# The reason codes (app.ledger.seed_reasons) that are the retailer's fault, not the customer's.
RETAILER_FAULT = frozenset(
    {"defective", "wrong_item_sent", "damaged_in_transit", "not_as_described"}
)


@dataclass(frozen=True)
class ShippingRule:
    """Shipping comes back when the return empties the order, or when a reason is the
    retailer's fault; once per order."""

    when_order_emptied: bool = True
    retailer_fault_reasons: frozenset[str] = RETAILER_FAULT

    def refunds_shipping(self, *, empties_order: bool, reasons: Iterable[str]) -> bool:
        fault = any(reason in self.retailer_fault_reasons for reason in reasons)
        return fault or (self.when_order_emptied and empties_order)


@dataclass(frozen=True)
class RestockingFee:
    """A share kept of units of ``grades`` in the return ``categories`` that carry one."""

    rate_bp: int = 1000  # 10 %
    grades: frozenset[Grade] = frozenset({Grade.B})
    categories: frozenset[str] = frozenset()

    def fee(self, value_minor: int, grade: Grade, category: str) -> int:
        if grade not in self.grades or category not in self.categories:
            return 0
        return value_minor * self.rate_bp // FULL_BP


@dataclass(frozen=True)
class RefundRules:
    """The retailer's refund rules together (the defaults unless HQ sets others)."""

    shipping: ShippingRule = ShippingRule()
    restocking: RestockingFee = RestockingFee()


DEFAULT_RULES = RefundRules()


class RefundMethod(StrEnum):
    """How the refund is paid (Counterbench records it; the till or payments pay it)."""

    ORIGINAL = "original"  # back to the card, UPI, wallet, or cash
    STORE_CREDIT = "store_credit"


_CUSTOMER_CHOOSES = frozenset({"cod", "cash"})


def refund_choices(payment: str) -> tuple[RefundMethod, ...]:
    """How a refund of an order paid by ``payment`` may be paid; the first unless told."""
    if payment == "store_credit":
        return (RefundMethod.STORE_CREDIT,)
    if payment in _CUSTOMER_CHOOSES:
        return (RefundMethod.STORE_CREDIT, RefundMethod.ORIGINAL)
    return (RefundMethod.ORIGINAL, RefundMethod.STORE_CREDIT)


def refund_method(payment: str, chosen: RefundMethod | None = None) -> RefundMethod:
    """The method for the refund: ``chosen`` when ``payment`` allows it."""
    choices = refund_choices(payment)
    if chosen is None:
        return choices[0]
    if chosen not in choices:
        raise BadInput(
            f"An order paid by {payment} cannot be refunded to the original payment.",
            next_step="Refund it as store credit.",
        )
    return chosen
