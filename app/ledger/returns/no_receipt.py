"""The limit per customer on returns without a receipt, counted at every store.

A station checks the limit against the returns it took itself; offline it cannot see
what other stores took back for the same customer. The ledger sees them all: a return
without lookup that takes the customer (known by phone) over the limit in the period is
still applied (the units are in the store), and its refund waits for a manager.
Earlier returns count by the store day the ledger recorded them; a cancelled one does
not count. Online, a counter asks first (:func:`customer_history`, audited as a lookup is)
so it refuses a return over the limit that another counter or store already used up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection, Engine, select

from app.domain.pickup_codes import normalise_phone
from app.domain.returns.lookup import PHONE_DIGITS
from app.domain.returns.no_receipt import NoReceiptLimit, NoReceiptReturn, over_limit_words
from app.domain.tax.invoice_numbers import invoice_day
from app.errors import BadInput
from app.ledger.devices import DeviceRef
from app.ledger.models import Location, Return, table_of
from app.ledger.returns.lookup import require_returns
from app.ledger.writes import WriteBatch
from app.sync.return_orders import NoReceiptHistory, NoReceiptTaken

returns = table_of(Return)
locations = table_of(Location)
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
    earlier = [NoReceiptReturn(t.total_minor, t.on) for t in _earlier(conn, key, now)]
    return over_limit_words(LIMIT, earlier, value_minor, today=invoice_day(now))


def customer_history(engine: Engine, device: DeviceRef, phone: str, *, by: str) -> NoReceiptHistory:
    """The customer's (``phone``) returns without an order at any store in the limit's
    period ending today, for a counter about to take one (``ReturnsNotTaken`` when its
    location takes no returns); audited with who asked, the station and how many."""
    key = phone_key(phone)
    if key is None or len(key) != PHONE_DIGITS:
        raise BadInput(f"'{phone}' is not a mobile number.", next_step="Type all 10 digits.")
    with engine.begin() as conn:
        require_returns(conn, device)
        batch = WriteBatch(conn, locations=[device.location_id])
        since = LIMIT.first_day(invoice_day(batch.now))
        taken = [t for t in _earlier(conn, key, batch.now) if t.on >= since]
        batch.audit(
            actor=by,
            approver=None,
            action="returns.no_receipt",
            subject={"device": device.device_id, "location": device.location_code,
                     "phone": key, "found": len(taken),
                     "returns": [t.return_id for t in taken]},
        )  # fmt: skip
        batch.flush()
    return NoReceiptHistory(
        period_days=LIMIT.period_days,
        since=since,
        taken_minor=sum(t.total_minor for t in taken),
        returns=taken,
    )


def _earlier(conn: Connection, key: str, now: datetime) -> list[NoReceiptTaken]:
    """The customer's returns without an order or parcel recorded in the last period
    (and a day more: store days are counted by the caller), not cancelled, oldest first."""
    r = returns.c
    rows = conn.execute(
        select(r.return_id, r.total_minor, r.recorded_at, locations.c.code)
        .join(locations, locations.c.id == r.location_id)
        .where(
            r.order_number.is_(None),
            r.parcel.is_(None),
            r.customer_phone == key,
            r.refund_state != "cancelled",
            r.recorded_at >= now - timedelta(days=LIMIT.period_days + 1),
        )
        .order_by(r.recorded_at, r.id)
    ).all()
    return [
        NoReceiptTaken(return_id=row.return_id, location=row.code,
                       total_minor=int(row.total_minor), on=_day(row.recorded_at))
        for row in rows
    ]  # fmt: skip


def _day(at: datetime) -> date:
    return invoice_day(at if at.tzinfo else at.replace(tzinfo=UTC))
