"""The rules of a refund the retailer sets: when shipping comes back, and which
returns keep a restocking fee. Small data objects, so the rules are configured, not coded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.domain.returns.grades import Grade
from app.domain.tax.invoice import FULL_BP

RETAILER_FAULT = frozenset({"defective", "wrong_item"})  # reason codes


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
