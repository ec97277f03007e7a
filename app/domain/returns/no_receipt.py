"""Returns without a receipt or order: a manager's approval and a value limit. Pure.

With no order found (offline, or the customer has no receipt) the counter can still take
an item back, but only with a manager's approval and only up to a value per customer
(known by phone) over a rolling period: ₹5,000 per 30 days unless the retailer sets
other figures. The period is the last ``period_days`` store days, today included.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.money import Money
from app.domain.returns.quantities import day
from app.errors import BadInput, RuleRefused


@dataclass(frozen=True)
class NoReceiptLimit:
    """The most a customer gets back without a receipt in ``period_days`` days."""

    limit_minor: int = 5_000_00
    period_days: int = 30

    def __post_init__(self) -> None:
        if self.limit_minor < 0 or self.period_days < 1:
            raise BadInput("A no-receipt limit needs an amount ≥ ₹0 and a period of a day or more.")

    def first_day(self, today: date) -> date:
        """The first store day of the period that ends ``today``."""
        return today - timedelta(days=self.period_days - 1)


@dataclass(frozen=True)
class NoReceiptReturn:
    """An earlier no-receipt return of the same customer: its value and store day."""

    value_minor: int
    on: date


def room_left(limit: NoReceiptLimit, earlier: Sequence[NoReceiptReturn], today: date) -> int:
    """What the customer can still get back without a receipt today, never below 0."""
    since = limit.first_day(today)
    taken = sum(back.value_minor for back in earlier if since <= back.on <= today)
    return max(0, limit.limit_minor - taken)


def check_no_receipt(
    limit: NoReceiptLimit,
    earlier: Sequence[NoReceiptReturn],
    value_minor: int,
    *,
    today: date,
    manager_approved: bool,
) -> None:
    """Refuse a no-receipt return without a manager, or over the customer's limit."""
    if not manager_approved:
        raise RuleRefused(
            "A return without a receipt needs a manager's approval.",
            next_step="Ask a manager to approve it with their badge, or find the order.",
        )
    room = room_left(limit, earlier, today)
    if value_minor <= room:
        return
    taken = limit.limit_minor - room
    raise RuleRefused(
        f"Returns without a receipt are limited to {_rupees(limit.limit_minor)} per "
        f"{limit.period_days} days for each customer. This customer has had "
        f"{_rupees(taken)} back since {day(limit.first_day(today))}; this return is "
        f"{_rupees(value_minor)}.",
        next_step=f"Take back up to {_rupees(room)}, or find the receipt or order.",
    )


def over_limit_words(
    limit: NoReceiptLimit, earlier: Sequence[NoReceiptReturn], value_minor: int, *, today: date
) -> str:
    """Why a no-receipt return already taken goes over the customer's limit, for the
    manager who looks at it ("" when it does not): the ledger counts every store."""
    room = room_left(limit, earlier, today)
    if value_minor <= room:
        return ""
    return (
        f"it takes the customer over the {_rupees(limit.limit_minor)} limit per "
        f"{limit.period_days} days without a receipt ({_rupees(limit.limit_minor - room)} "
        f"back at any store since {day(limit.first_day(today))}, this return "
        f"{_rupees(value_minor)})"
    )


def _rupees(minor: int) -> str:
    return Money(minor).format()
