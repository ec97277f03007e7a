"""The words of the customer messages: ready for pickup, reminder, cancelled. Pure.

Times are shown in the store's time zone, as the customer reads them on the store's door.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BRING = "Show your pickup code or the QR from your order confirmation at the counter."


@dataclass(frozen=True)
class Store:
    """Where the customer collects: the store's name, address and time zone."""

    name: str
    address: str = ""
    timezone: str = "UTC"

    @property
    def where(self) -> str:
        return f"{self.name} ({self.address})" if self.address else self.name


@dataclass(frozen=True)
class Letter:
    """A message's subject line and body text."""

    subject: str
    body: str


def local_time(at: datetime, timezone: str) -> str:
    """``at`` as the store's local time, e.g. ``Tue 1 Dec 2026, 18:30``."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def _greeting(customer: str) -> str:
    return f"Hello {customer}," if customer else "Hello,"


def _letter(subject: str, lines: Sequence[str]) -> Letter:
    """A letter whose body is ``lines``, one a line, leaving out the empty ones."""
    return Letter(subject=subject, body="\n".join(line for line in lines if line))


def _collect_by(store: Store, pickup_by: datetime | None) -> str:
    if pickup_by is None:
        return ""
    return f"Please collect it by {local_time(pickup_by, store.timezone)}."


def ready_letter(
    *,
    customer: str,
    order_number: str,
    store: Store,
    items: Sequence[tuple[str, int]],
    pickup_by: datetime | None,
    more_to_come: bool = False,
) -> Letter:
    """Items of an order are on the hold shelf; ``more_to_come`` when the rest is not yet."""
    first = f"Your order {order_number} is ready for pickup at {store.where}."
    if more_to_come:
        first = (
            f"Part of your order {order_number} is ready for pickup at {store.where}; "
            "we will tell you when the rest is ready too."
        )
    ready = ", ".join(f"{qty} × {name}" for name, qty in items)
    lines = [_greeting(customer), first, f"Ready for you: {ready}.", _collect_by(store, pickup_by)]
    lines.append(BRING)
    return _letter(f"Your order {order_number} is ready for pickup", lines)


def reminder_letter(
    *,
    customer: str,
    order_number: str,
    store: Store,
    days_ready: int,
    pickup_by: datetime | None,
) -> Letter:
    """The order has waited ``days_ready`` days on the hold shelf."""
    waited = "1 day" if days_ready == 1 else f"{days_ready} days"
    lines = [
        _greeting(customer),
        f"Your order {order_number} has been waiting for you at {store.where} for {waited}.",
        _collect_by(store, pickup_by),
        "After that we cancel the order and put the items back on the shelf.",
        BRING,
    ]
    return _letter(f"Reminder: your order {order_number} is waiting at {store.name}", lines)


def cancelled_letter(
    *,
    customer: str,
    order_number: str,
    store: Store,
    by: str,
    reason: str,
    pickup_by: datetime | None,
) -> Letter:
    """The order was cancelled: ``by`` is ``expiry``, ``central`` or ``store``."""
    if by == "expiry" and pickup_by is not None:
        why = (
            f"Your order {order_number} was not collected from {store.name} by "
            f"{local_time(pickup_by, store.timezone)}, so we have cancelled it."
        )
    elif by == "store":
        why = f"{store.name} has cancelled your order {order_number}: {reason}."
    else:
        why = f"We have cancelled your order {order_number}: {reason}."
    lines = [
        _greeting(customer),
        why.replace("..", "."),
        "If you have paid, the payment is refunded as the shop's terms describe.",
        f"Questions? Ask us at {store.name}.",
    ]
    return _letter(f"Your order {order_number} has been cancelled", lines)
