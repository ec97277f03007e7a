"""The refund due for a return, from what the customer actually paid. Pure.

Amounts are integer paise. The rules, in order:

1. Each line's paid value is its unit price after offers × units sold, less its share of
   the order discount, shared exactly as the tax invoice shares it (``share_out``: by
   paid value, largest remainder, so the shares add up to the paisa).
2. Units come back at the line's paid value × units back so far ÷ units sold, rounded
   down, less what the units back before already got: every return but the one that
   brings the last unit back rounds down, and that one gets the paise left, so a line's
   refunds add up to exactly what was paid for it. Units beyond those sold get nothing.
3. Shipping comes back whole by ``ShippingRule``; a restocking fee is kept by
   ``RestockingFee`` (rounded down, in the customer's favour).
4. How it is paid back: ``refund_rules.refund_method``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.returns.grades import Grade
from app.domain.returns.refund_rules import DEFAULT_RULES, RefundRules
from app.domain.tax.invoice import Sale, share_out
from app.errors import BadInput


@dataclass(frozen=True)
class UnitsBack:
    """Units of one order line coming back (``line``: its place in ``Sale.lines``)."""

    line: int
    quantity: int
    grade: Grade
    reason: str
    category: str = ""  # the item's return category


@dataclass(frozen=True)
class ReturnedBefore:
    """What earlier returns of the order took back: units per line, and shipping."""

    units: Mapping[int, int] = field(default_factory=dict)
    shipping_refunded: bool = False


@dataclass(frozen=True)
class RefundLine:
    """The refund due for units of one line."""

    line: int
    quantity: int
    paid_minor: int  # what the customer paid for these units
    restocking_fee_minor: int

    @property
    def refund_minor(self) -> int:
        return self.paid_minor - self.restocking_fee_minor


@dataclass(frozen=True)
class RefundDue:
    """The refund due for a return: its lines, shipping back, and the total."""

    lines: tuple[RefundLine, ...]
    shipping_minor: int

    @property
    def restocking_fee_minor(self) -> int:
        return sum(line.restocking_fee_minor for line in self.lines)

    @property
    def total_minor(self) -> int:
        return sum(line.refund_minor for line in self.lines) + self.shipping_minor


def paid_per_line(sale: Sale) -> tuple[list[int], int]:
    """What was paid for each goods line after its discount share, and for shipping (a
    discount larger than the goods comes off shipping, as on the invoice)."""
    values = [line.paid_minor * line.quantity for line in sale.lines]
    goods_discount = min(sale.discount_minor, sum(values))
    shares = share_out(goods_discount, values)
    paid = [value - share for value, share in zip(values, shares, strict=True)]
    return paid, sale.shipping_minor - (sale.discount_minor - goods_discount)


def refund_due(
    sale: Sale,
    back: Sequence[UnitsBack],
    *,
    before: ReturnedBefore | None = None,
    rules: RefundRules = DEFAULT_RULES,
) -> RefundDue:
    """The refund due for ``back``, after what ``before`` took back."""
    before = before or ReturnedBefore()
    paid, shipping_paid = paid_per_line(sale)
    units = dict(before.units)
    lines = []
    for units_back in back:
        sold = _sold(sale, units_back)
        done = units.get(units_back.line, 0)
        value = _value_of(paid[units_back.line], sold, done + units_back.quantity)
        value -= _value_of(paid[units_back.line], sold, done)
        fee = rules.restocking.fee(value, units_back.grade, units_back.category)
        lines.append(RefundLine(units_back.line, units_back.quantity, value, fee))
        units[units_back.line] = done + units_back.quantity
    emptied = all(units.get(i, 0) >= line.quantity for i, line in enumerate(sale.lines))
    reasons = (units_back.reason for units_back in back)
    ships = not before.shipping_refunded and rules.shipping.refunds_shipping(
        empties_order=emptied, reasons=reasons
    )
    return RefundDue(tuple(lines), shipping_paid if ships else 0)


def _sold(sale: Sale, units_back: UnitsBack) -> int:
    if not 0 <= units_back.line < len(sale.lines) or units_back.quantity <= 0:
        raise BadInput(f"Line {units_back.line + 1} × {units_back.quantity} is not on the order.")
    return sale.lines[units_back.line].quantity


def _value_of(line_paid: int, sold: int, units: int) -> int:
    """What the first ``units`` of a line come to, rounded down (all of them: exact)."""
    return line_paid * min(units, sold) // sold
