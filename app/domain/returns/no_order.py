"""The units of a return taken without an order (no receipt, or offline with no order
found), each with the refund the manager agreed. Pure.

With no order there is no price paid to go by: each unit refunds the item's price unless
the manager keys less, never more (a no-receipt return never pays out above what the
item sells for today). The refund is paid as store credit: there is no payment to go
back to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.money import Money
from app.domain.returns.grades import Disposition, Grade
from app.errors import RuleRefused


@dataclass(frozen=True)
class UnitWithoutOrder:
    """One unit taken back without an order: the item, its grade, where it goes, why,
    and what it refunds."""

    item_id: int
    sku: str
    name: str
    grade: Grade
    disposition: Disposition
    reason: str  # a reason code of the retailer's list
    refund_minor: int


def unit_refund(name: str, price_minor: int, keyed_minor: int | None) -> int:
    """The refund of one unit: its price, or what the manager keyed when not above it."""
    if keyed_minor is None:
        return price_minor
    if keyed_minor < 0 or keyed_minor > price_minor:
        raise RuleRefused(
            f"The refund for {name} can be ₹0 up to its price of {Money(price_minor).format()}.",
            next_step="Key a refund up to the price, or leave it to refund the price.",
        )
    return keyed_minor


def refund_total(units: Sequence[UnitWithoutOrder]) -> int:
    """What the units refund together."""
    return sum(unit.refund_minor for unit in units)
