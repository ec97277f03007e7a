"""Sending the queued customer messages, each at most once.

A dispatcher claims a message with a conditional UPDATE (queued → sending, attempts + 1)
in a short transaction of its own, and sends it only when that UPDATE changed the row:
two dispatchers (threads, workers, hosts) never send one message twice. Afterwards the
message is ``sent``; a failed send goes back to ``queued`` with the error, and becomes
``failed`` after ``max_attempts`` tries or at once when the sender says it can never be
delivered. A message a crash left in ``sending`` may or may not have reached the
customer, so it is never sent again by itself: :func:`send_messages` reports it as stuck,
and a person checks and resends it with :func:`requeue_message`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from app import log
from app.errors import NotFound, RuleRefused
from app.ledger.db import reader
from app.ledger.messages import MessageRecord, MessageState, messages, record_of
from app.ledger.senders import CannotDeliver, MessageSender, OutgoingMessage
from app.ledger.writes import aware, utcnow

_log = log.get("ledger.messages")
MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)  # a send takes seconds; older claims were cut off
Q, SENDING = MessageState.QUEUED.value, MessageState.SENDING.value


@dataclass
class SendReport:
    """What one dispatcher run did, by dedupe key; ``stuck``: ids left in ``sending``."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Sent {len(self.sent)} customer message(s); {len(self.retrying)} to retry, "
            f"{len(self.failed)} failed."
        )
        if self.stuck:
            ids = ", ".join(str(i) for i in self.stuck)
            text += (
                f" Messages {ids} were cut off while sending and are not resent by themselves:"
                " check with the customer, then `counterbench ledger messages --requeue ID`."
            )
        return text


def send_messages(
    engine: Engine,
    sender: MessageSender,
    *,
    now: datetime | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    limit: int = 500,
) -> SendReport:
    """Claim and send up to ``limit`` queued messages, oldest first."""
    now = aware(now) if now else utcnow()
    report = SendReport()
    with reader(engine).begin() as conn:
        ids = list(
            conn.execute(
                select(messages.c.id)
                .where(messages.c.state == Q)
                .order_by(messages.c.id)
                .limit(limit)
            ).scalars()
        )
    for message_id in ids:
        claimed = _claim(engine, message_id, now)
        if claimed is None:
            continue  # another dispatcher has it
        message, attempts = claimed
        try:
            sender.send(message)
        except CannotDeliver as exc:
            _finish(engine, message_id, MessageState.FAILED, str(exc), now)
            report.failed.append(message.dedupe_key)
        except Exception as exc:  # the world failed (network, server): try again later
            give_up = attempts >= max_attempts
            state = MessageState.FAILED if give_up else MessageState.QUEUED
            _finish(engine, message_id, state, f"{type(exc).__name__}: {exc}", now)
            (report.failed if give_up else report.retrying).append(message.dedupe_key)
            _log.warning("customer message %s not sent (try %d): %s", message.dedupe_key,
                         attempts, exc)  # fmt: skip
        else:
            _finish(engine, message_id, MessageState.SENT, None, now)
            report.sent.append(message.dedupe_key)
    report.stuck = stuck_messages(engine, now)
    return report


def _claim(engine: Engine, message_id: int, now: datetime) -> tuple[OutgoingMessage, int] | None:
    """queued → sending for this dispatcher alone; the message and its attempt number."""
    m = messages.c
    with engine.begin() as conn:
        claimed = conn.execute(
            update(messages)
            .where(m.id == message_id, m.state == Q)
            .values(state=SENDING, attempts=m.attempts + 1, claimed_at=now)
        )
        if claimed.rowcount != 1:
            return None
        row = conn.execute(select(messages).where(m.id == message_id)).one()
    message = OutgoingMessage(
        id=row.id,
        dedupe_key=row.dedupe_key,
        order_number=row.order_number,
        kind=row.kind,
        channel=row.channel,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
    )
    return message, int(row.attempts)


def _finish(
    engine: Engine, message_id: int, state: MessageState, error: str | None, now: datetime
) -> None:
    values: dict[str, object] = {"state": state.value, "last_error": error}
    if state is MessageState.SENT:
        values["sent_at"] = now
    with engine.begin() as conn:
        conn.execute(
            update(messages)
            .where(messages.c.id == message_id, messages.c.state == SENDING)
            .values(**values)
        )


def stuck_messages(engine: Engine, now: datetime | None = None) -> list[int]:
    """Ids of messages claimed before ``now`` − 10 minutes and still ``sending``."""
    now = aware(now) if now else utcnow()
    with reader(engine).begin() as conn:
        return list(
            conn.execute(
                select(messages.c.id)
                .where(messages.c.state == SENDING, messages.c.claimed_at <= now - STUCK_AFTER)
                .order_by(messages.c.id)
            ).scalars()
        )


def requeue_message(engine: Engine, message_id: int) -> MessageRecord:
    """Send a stuck or failed message again on the next run (a person has checked it)."""
    m = messages.c
    with engine.begin() as conn:
        row = conn.execute(select(messages).where(m.id == message_id)).first()
        if row is None:
            raise NotFound(
                f"There is no customer message {message_id}.",
                next_step="List them with `counterbench ledger messages`.",
            )
        if row.state not in (SENDING, MessageState.FAILED.value):
            raise RuleRefused(
                f"Message {message_id} is {row.state}; only a stuck (sending) or failed "
                "message can be sent again."
            )
        conn.execute(
            update(messages)
            .where(m.id == message_id, m.state == row.state)
            .values(state=Q, last_error=f"requeued after: {row.last_error or row.state}")
        )
        row = conn.execute(select(messages).where(m.id == message_id)).one()
    return record_of(row)
