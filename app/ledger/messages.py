"""Customer messages on the ledger, recorded in the transaction of the step that causes them.

* **ready**: a station's ``pickup.ready`` operation is applied (key ``ready:<op_id>``);
* **cancelled**: a pickup order becomes cancelled, centrally, by expiry or by the store
  (key ``cancelled:<fulfilment id>``; a cancelled order stays cancelled);
* **reminder N**: :func:`queue_reminders`, on server time, once N of the store's reminder
  days have passed since the order became ready (key ``reminder:<fulfilment id>:<N>``,
  N also in ``reminder_day``).

The dedupe key is unique and every insert is ``ON CONFLICT DO NOTHING``, so a replayed
push, a double ready or a second reminder run never queues a message twice. Sending is
:mod:`app.ledger.message_sending`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Engine, func, select

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import MessageChannel, PickupOp
from app.domain.pickup_view import PickupOrder
from app.ledger.db import insert_into, reader
from app.ledger.message_texts import (
    Letter,
    Store,
    cancelled_letter,
    ready_letter,
    reminder_letter,
)
from app.ledger.models import (
    CustomerMessage,
    FulfilmentEvent,
    FulfilmentOrder,
    Location,
    Order,
    table_of,
)
from app.ledger.writes import aware, iso, utcnow

messages = table_of(CustomerMessage)
fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
orders = table_of(Order)
locations = table_of(Location)

NO_CONTACT = "The order has no phone number or email address; tell the customer at the counter."


class MessageKind(StrEnum):
    READY = "ready"
    REMINDER = "reminder"
    CANCELLED = "cancelled"


class MessageState(StrEnum):
    QUEUED = "queued"  # waiting for the next dispatcher run
    # claimed by a dispatcher; left here when it may have reached the customer (the sender
    # was cut off mid-send, or the dispatcher died), it waits for a person
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # given up; a person resends it or tells the customer
    SKIPPED = "skipped"  # no longer true when its turn came (order collected, cancelled …)


@dataclass(frozen=True)
class _Facts:
    """What the words and the address of a message need about one fulfilment order."""

    order_number: str
    customer: str
    phone: str
    email: str
    store: Store


def _facts(conn: Connection, fulfilment_id: int) -> _Facts:
    f, o, loc = fulfilments.c, orders.c, locations.c
    row = conn.execute(
        select(
            f.order_number, f.customer_name, f.customer_phone, o.customer_email,
            loc.name, loc.address, loc.timezone,
        )
        .join(orders, o.id == f.order_id)
        .join(locations, loc.id == f.location_id)
        .where(f.id == fulfilment_id)
    ).one()  # fmt: skip
    return _Facts(
        order_number=row.order_number,
        customer=row.customer_name or "",
        phone=row.customer_phone or "",
        email=row.customer_email or "",
        store=Store(name=row.name, address=row.address or "", timezone=row.timezone or "UTC"),
    )


def _address(facts: _Facts, channel: str) -> tuple[str, str]:
    """(channel, recipient): the one asked for, else the contact the customer left."""
    if channel == MessageChannel.EMAIL and facts.email:
        return channel, facts.email
    if channel != MessageChannel.EMAIL and facts.phone:
        return channel, facts.phone
    if facts.phone:
        return MessageChannel.SMS.value, facts.phone
    if facts.email:
        return MessageChannel.EMAIL.value, facts.email
    return channel, ""


def queue_message(
    conn: Connection,
    *,
    fulfilment_id: int,
    kind: MessageKind,
    key: str,
    channel: str,
    letter: Letter,
    at: datetime,
    reminder_day: int | None = None,
) -> bool:
    """Record one message in the caller's transaction; False when ``key`` already exists."""
    facts = _facts(conn, fulfilment_id)
    return _queue(conn, facts, fulfilment_id, kind, key, channel, letter, at, reminder_day)


def _queue(
    conn: Connection,
    facts: _Facts,
    fulfilment_id: int,
    kind: MessageKind,
    key: str,
    channel: str,
    letter: Letter,
    at: datetime,
    reminder_day: int | None = None,
) -> bool:
    channel, recipient = _address(facts, channel)
    stmt = (
        insert_into(conn, messages)
        .values(
            fulfilment_order_id=fulfilment_id,
            order_number=facts.order_number,
            kind=kind.value,
            channel=channel,
            recipient=recipient,
            subject=letter.subject[:200],
            body=letter.body,
            dedupe_key=key,
            reminder_day=reminder_day,
            created_at=at,
            state=MessageState.QUEUED.value if recipient else MessageState.FAILED.value,
            attempts=0,
            last_error=None if recipient else NO_CONTACT,
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(messages.c.id)
    )
    return conn.execute(stmt).first() is not None


def _reply_channel(facts: _Facts, log: dict[str, Any] | None) -> str:
    """The channel the customer was told on before (the last ready message in the order's
    pickup ``log``), else email when they left an address, else SMS."""
    told = (log or {}).get("ready_messages") or []
    if told:
        return str(told[-1].get("channel", MessageChannel.SMS.value))
    return MessageChannel.EMAIL.value if facts.email else MessageChannel.SMS.value


def record_step_messages(
    conn: Connection,
    *,
    method: str,
    before: PickupOrder,
    after: PickupOrder,
    step_kind: str,
    op_id: str | None,
    at: datetime,
) -> None:
    """Queue the messages a pickup step causes (called by ``pickup_rows.save``)."""
    if method != "pickup":
        return
    if step_kind == PickupOp.READY.value and op_id:
        _queue_ready(conn, after, op_id, at)
    if after.state is FulfilmentState.CANCELLED and before.state is not FulfilmentState.CANCELLED:
        _queue_cancelled(conn, before, after, at)


def _queue_ready(conn: Connection, order: PickupOrder, op_id: str, at: datetime) -> None:
    told = order.log.get("ready_messages") or [{}]
    entry: dict[str, Any] = told[-1]
    names = {line.sku: line.name or line.sku for line in order.lines}
    items = [(names.get(sku, sku), int(qty)) for sku, qty in (entry.get("lines") or {}).items()]
    facts = _facts(conn, order.id)
    letter = ready_letter(
        customer=facts.customer,
        order_number=order.order_number,
        store=facts.store,
        items=items,
        pickup_by=order.pickup_by,
        more_to_come=any(line.ready < line.wanted for line in order.lines),
    )
    channel = str(entry.get("channel", MessageChannel.SMS.value))
    _queue(conn, facts, order.id, MessageKind.READY, f"ready:{op_id}", channel, letter, at)


def _queue_cancelled(
    conn: Connection, before: PickupOrder, after: PickupOrder, at: datetime
) -> None:
    cancels = after.log.get("cancels") or []
    if len(cancels) > len(before.log.get("cancels") or []):
        by, reason = str(cancels[-1].get("by", "store")), str(cancels[-1].get("reason", ""))
    else:  # the lines left behind at a handover were cancelled
        by, reason = "store", next((x.cancel_reason for x in after.lines if x.cancel_reason), "")
    facts = _facts(conn, after.id)
    letter = cancelled_letter(
        customer=facts.customer,
        order_number=after.order_number,
        store=facts.store,
        by=by,
        reason=reason or "no reason given",
        pickup_by=before.pickup_by,
    )
    key, channel = f"cancelled:{after.id}", _reply_channel(facts, after.log)
    _queue(conn, facts, after.id, MessageKind.CANCELLED, key, channel, letter, at)


def queue_reminders(engine: Engine, now: datetime | None = None) -> list[str]:
    """Queue the reminders due by ``now`` (server time); ``ORDER day N`` for each queued.

    An order ready and not collected gets reminder N once N of its store's reminder days
    have passed since its first line became ready, and only while its hold lasts. When
    the ledger was down over several reminder days, only the latest one goes out.

    The cost follows the orders on hold, not the history: the candidates come from the
    ``pickup_by`` index (a ready order's hold has not ended yet), and each one's first
    ready time from its own events (the ``fulfilment_order_id`` index).
    """
    now = aware(now) if now else utcnow()
    f, e = fulfilments.c, events.c
    first_ready = (
        select(func.min(e.at))
        .where(e.fulfilment_order_id == f.id, e.kind == PickupOp.READY.value)
        .correlate(fulfilments)
        .scalar_subquery()
    )
    queued: list[str] = []
    with engine.begin() as conn:
        rows = conn.execute(
            select(
                f.id, f.order_number, f.pickup_by, f.pickup_log, first_ready.label("at"),
                locations.c.pickup_reminder_days,
            )
            .join(locations, locations.c.id == f.location_id)
            .where(
                f.pickup_by > now,  # every ready order has one: its first ready line set it
                f.state == FulfilmentState.READY_FOR_PICKUP.value,
                f.method == "pickup",
            )
        ).all()  # fmt: skip
        rows = sorted((row for row in rows if row.at is not None), key=lambda row: row.id)
        sent_days = _reminder_days_queued(conn, [row.id for row in rows])
        for row in rows:
            ready_at = aware(row.at)
            days = sorted(int(d) for d in (row.pickup_reminder_days or []) if int(d) > 0)
            due = [d for d in days if ready_at + timedelta(days=d) <= now]
            if not due or due[-1] <= sent_days.get(row.id, 0):
                continue
            if _queue_reminder(conn, row, due[-1], now):
                queued.append(f"{row.order_number} day {due[-1]}")
    return queued


def _reminder_days_queued(conn: Connection, fulfilment_ids: list[int]) -> dict[int, int]:
    """The latest reminder day already queued, per fulfilment order."""
    m = messages.c
    found: dict[int, int] = {}
    for start in range(0, len(fulfilment_ids), 500):
        rows = conn.execute(
            select(m.fulfilment_order_id, func.max(m.reminder_day))
            .where(
                m.fulfilment_order_id.in_(fulfilment_ids[start : start + 500]),
                m.reminder_day.is_not(None),
            )
            .group_by(m.fulfilment_order_id)
        )
        found.update({int(fo_id): int(day) for fo_id, day in rows})
    return found


def _queue_reminder(conn: Connection, row: Any, day: int, now: datetime) -> bool:
    facts = _facts(conn, row.id)
    log = row.pickup_log if isinstance(row.pickup_log, dict) else None
    pickup_by = aware(row.pickup_by) if row.pickup_by else None
    letter = reminder_letter(
        customer=facts.customer,
        order_number=row.order_number,
        store=facts.store,
        days_ready=day,
        pickup_by=pickup_by,
    )
    key = f"reminder:{row.id}:{day}"
    channel = _reply_channel(facts, log)
    return _queue(conn, facts, row.id, MessageKind.REMINDER, key, channel, letter, now, day)


class MessageRecord(BaseModel):
    """One customer message as the admin sees it."""

    model_config = ConfigDict(frozen=True)
    id: int
    order_number: str
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    dedupe_key: str
    reminder_day: int | None  # N of a reminder N
    state: str
    attempts: int
    last_error: str | None
    created_at: str
    claimed_at: str | None
    sent_at: str | None


def record_of(row: Any) -> MessageRecord:
    """A ``customer_messages`` row as a :class:`MessageRecord`."""
    return MessageRecord(
        id=row.id,
        order_number=row.order_number,
        kind=row.kind,
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        dedupe_key=row.dedupe_key,
        reminder_day=row.reminder_day,
        state=row.state,
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=iso(row.created_at),
        claimed_at=iso(row.claimed_at) if row.claimed_at else None,
        sent_at=iso(row.sent_at) if row.sent_at else None,
    )


def list_messages(
    engine: Engine,
    *,
    order_number: str | None = None,
    state: str | None = None,
    limit: int = 200,
) -> list[MessageRecord]:
    """Customer messages, oldest first: of one order, in one state, or the latest ``limit``."""
    stmt = select(messages).order_by(messages.c.id.desc()).limit(limit)
    if order_number:
        stmt = stmt.where(messages.c.order_number == order_number)
    if state:
        stmt = stmt.where(messages.c.state == state)
    with reader(engine).begin() as conn:
        rows = conn.execute(stmt).all()
    return [record_of(row) for row in reversed(rows)]
