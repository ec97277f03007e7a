"""The return window and the final-sale rule. Pure.

An item can come back until ``return_days`` after the day it reached the customer: the
delivery day for a delivered order (from the shipment events), else the day of the sale.
Days are the store's days in India: a parcel delivered at 23:30 IST on 1 Dec was
delivered on 1 Dec whatever the UTC date. Delivered on 1 Dec with 30 days, the last day
to bring it back is 31 Dec. An item marked not returnable was sold as final sale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.tax.invoice_numbers import INDIA
from app.errors import RuleRefused


@dataclass(frozen=True)
class ReturnTerms:
    """What the item master says about returning an item."""

    description: str
    return_days: int = 30
    returnable: bool = True  # False: final sale
    return_category: str = ""


def store_day(moment: datetime) -> date:
    """The store's day (India) of a timezone-aware ``moment``."""
    return moment.astimezone(INDIA).date()


def last_return_day(terms: ReturnTerms, sold_at: datetime, delivered_at: datetime | None) -> date:
    """The last store day the item can come back."""
    start = store_day(delivered_at or sold_at)
    return start + timedelta(days=terms.return_days)


def check_return_window(
    terms: ReturnTerms, sold_at: datetime, delivered_at: datetime | None, now: datetime
) -> None:
    """Refuse a final-sale item, or one past its last day (``RuleRefused``, with words
    the associate can read to the customer)."""
    if not terms.returnable:
        raise RuleRefused(
            f"The {terms.description} was sold as final sale: it cannot be returned.",
            next_step="Tell the customer final-sale items cannot come back.",
        )
    last = last_return_day(terms, sold_at, delivered_at)
    if store_day(now) <= last:
        return
    since = "delivery" if delivered_at else "purchase"
    first = store_day(delivered_at or sold_at)
    raise RuleRefused(
        f"The {terms.description} is past its return window: the last day was "
        f"{long_day(last)} ({terms.return_days} days from {since} on {long_day(first)}).",
        next_step="Tell the customer the window has closed, or ask a manager.",
    )


def long_day(on: date) -> str:
    """ "31 Dec 2026"."""
    return f"{on.day} {on:%b %Y}"
