"""The limit per customer on returns without a receipt, counted at every store.

A station checks the limit against the returns it took itself; offline it cannot see
what other stores took back for the same customer. The ledger sees them all: a return
without lookup that takes the customer (known by phone) over the limit in the period is
still applied (the units are in the store), and its refund waits for a manager.
Earlier returns count by the store day the ledger recorded them; a cancelled one does
not count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, select

from app.domain.pickup_codes import normalise_phone
from app.domain.returns.no_receipt import NoReceiptLimit, NoReceiptReturn, over_limit_words
from app.domain.tax.invoice_numbers import invoice_day
from app.ledger.models import Return, table_of

returns = table_of(Return)
LIMIT = NoReceiptLimit()  # a per-retailer setting may replace it


def phone_key(phone: str | None) -> str | None:
    """The customer's phone as returns are counted by: its ten digits, without +91 or 0."""
    key = normalise_phone(phone or "")
    return key or None


def over_customer_limit(
    conn: Connection, phone: str | None, value_minor: int, now: datetime
) -> str:
    """Why this no-receipt return goes over the customer's limit, in words ("" when it
    does not); a return without a phone cannot be counted against anyone."""
    key = phone_key(phone)
    if key is None:
        return "it names no customer phone, so the limit per customer cannot be checked"
    today = invoice_day(now)
    since = now - timedelta(days=LIMIT.period_days + 1)
    r = returns.c
    rows = conn.execute(
        select(r.total_minor, r.recorded_at).where(
            r.order_number.is_(None),
            r.parcel.is_(None),
            r.customer_phone == key,
            r.refund_state != "cancelled",
            r.recorded_at >= since,
        )
    ).all()
    earlier = [NoReceiptReturn(int(row.total_minor), _day(row.recorded_at)) for row in rows]
    return over_limit_words(LIMIT, earlier, value_minor, today=today)


def _day(at: datetime) -> date:
    return invoice_day(at if at.tzinfo else at.replace(tzinfo=UTC))
