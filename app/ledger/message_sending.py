"""Sending the queued customer messages, each at most once.

A dispatcher claims a message with a conditional UPDATE (queued → sending, attempts + 1,
``claimed_at`` = the clock at that moment) in a short transaction of its own, and sends
it only when that UPDATE changed the row: two dispatchers (threads, workers, hosts) never
send one message twice. The attempt number is the claim's token: only a claim raises it,
so a row still on the attempt a dispatcher claimed has not been claimed by anyone since.
A message that went out (or may have) is written so while the row is on that attempt,
``sending`` or ``queued`` (a person requeued it, taking it for stuck, and nobody claimed
it yet): it is not sent a second time. A failure is written only while the row is still
``sending`` on that attempt, so a dispatcher that lost its claim cannot put the message
back in the queue. A message without a phone number or email address is never sent: it
fails at its claim (and cannot be requeued).

In the claim's transaction the dispatcher looks at the order again: a ready message or a
reminder for an order that is no longer waiting on the hold shelf (collected, cancelled,
moved) is ``skipped`` with the reason, and so is a cancelled message for an order that is
no longer cancelled. Otherwise the message is ``sent``; a failed send goes back to
``queued`` with the error, and becomes ``failed`` after ``max_attempts`` tries or at once
when the sender says it can never be delivered.

A message that may have reached the customer stays in ``sending`` and is never sent
again by itself: when the sender was cut off mid-send (:class:`MaybeDelivered`, its error
recorded) or the dispatcher died (claimed more than :data:`STUCK_AFTER` ago).
:func:`send_messages` reports such messages as stuck, and a person checks with the
customer and resends with :func:`requeue_message`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, select, update

from app import log
from app.domain.fulfilment import FulfilmentState
from app.errors import NotFound, RuleRefused
from app.ledger.db import reader
from app.ledger.message_texts import local_time
from app.ledger.messages import (
    NO_CONTACT,
    MessageKind,
    MessageRecord,
    MessageState,
    fulfilments,
    messages,
    record_of,
)
from app.ledger.senders import CannotDeliver, MaybeDelivered, MessageSender, OutgoingMessage
from app.ledger.writes import aware, utcnow

_log = log.get("ledger.messages")
MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)  # a send takes seconds; older claims were cut off
QUEUED, SENDING = MessageState.QUEUED.value, MessageState.SENDING.value
_WAS = {
    FulfilmentState.COLLECTED.value: "was collected",
    FulfilmentState.CANCELLED.value: "was cancelled",
    FulfilmentState.REROUTED.value: "moved to another store",
}


@dataclass
class SendReport:
    """What one dispatcher run did, by dedupe key; ``stuck``: ids left in ``sending``."""

    sent: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stuck: list[int] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"Sent {len(self.sent)} customer message(s); {len(self.retrying)} to retry, "
            f"{len(self.failed)} failed, {len(self.skipped)} no longer needed."
        )
        if self.stuck:
            ids = ", ".join(str(i) for i in self.stuck)
            text += (
                f" Messages {ids} were cut off while sending and are not resent by themselves:"
                " check with the customer, then `counterbench ledger messages --requeue ID`."
            )
        return text


@dataclass(frozen=True)
class _Claim:
    message: OutgoingMessage
    attempt: int  # the claim's token


def send_messages(
    engine: Engine,
    sender: MessageSender,
    *,
    now: datetime | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    limit: int = 500,
    should_stop: Callable[[], bool] | None = None,
) -> SendReport:
    """Claim and send up to ``limit`` queued messages, oldest first.

    ``now`` is the server time the stuck messages are judged at (default: the clock);
    ``should_stop`` is asked before each message, so a shutdown ends the run early.
    """
    report = SendReport()
    with reader(engine).begin() as conn:
        ids = list(
            conn.execute(
                select(messages.c.id)
                .where(messages.c.state == QUEUED)
                .order_by(messages.c.id)
                .limit(limit)
            ).scalars()
        )
    for message_id in ids:
        if should_stop is not None and should_stop():
            break
        claim = _claim(engine, message_id, report)
        if claim is not None:
            _send_one(engine, sender, claim, max_attempts, report)
    report.stuck = stuck_messages(engine, now)
    return report


def _send_one(
    engine: Engine, sender: MessageSender, claim: _Claim, max_attempts: int, report: SendReport
) -> None:
    message, attempt = claim.message, claim.attempt
    try:
        sender.send(message)
    except CannotDeliver as exc:
        if _finish(engine, claim, MessageState.FAILED, str(exc)):
            report.failed.append(message.dedupe_key)
    except MaybeDelivered as exc:  # may have reached the customer: a person decides
        _finish(engine, claim, MessageState.SENDING, str(exc))
        _log.warning("customer message %s (id %d) may have been delivered; left for a person "
                     "to check", message.dedupe_key, message.id)  # fmt: skip
    except Exception as exc:  # the world failed (network, server): try again later
        give_up = attempt >= max_attempts
        state = MessageState.FAILED if give_up else MessageState.QUEUED
        if _finish(engine, claim, state, _failure(exc)):
            (report.failed if give_up else report.retrying).append(message.dedupe_key)
        # The type and the SMTP code only: a server's reply may quote the address.
        code = _smtp_code(exc)
        what = type(exc).__name__ + (f" (SMTP {code})" if code else "")
        _log.warning("customer message %s not sent (try %d): %s", message.dedupe_key,
                     attempt, what)  # fmt: skip
    else:
        _finish(engine, claim, MessageState.SENT, None)
        report.sent.append(message.dedupe_key)  # it went out, whoever holds the row now


def _smtp_code(exc: Exception) -> int | None:
    code = getattr(exc, "smtp_code", None)
    return code if isinstance(code, int) else None


def _failure(exc: Exception) -> str:
    """A failure worth another try, as ``last_error``: its type, and the mail server's
    reply code or the system's words for an OS error, never the reply's text (it may
    quote the customer's address)."""
    name = type(exc).__name__
    code = _smtp_code(exc)
    if code is not None:
        return f"{name}: the mail server answered {code}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{name}: {exc.strerror}"
    return name


def _claim(engine: Engine, message_id: int, report: SendReport) -> _Claim | None:
    """queued → sending for this dispatcher alone, unless the message no longer applies
    (then skipped) or has nobody to go to (then failed), in the same transaction; None
    when there is nothing to send."""
    m, f = messages.c, fulfilments.c
    with engine.begin() as conn:
        claimed = conn.execute(
            update(messages)
            .where(m.id == message_id, m.state == QUEUED)
            .values(state=SENDING, attempts=m.attempts + 1, claimed_at=utcnow(), last_error=None)
        )
        if claimed.rowcount != 1:
            return None  # another dispatcher has it
        row = conn.execute(
            select(messages, f.state.label("order_state"))
            .join(fulfilments, f.id == m.fulfilment_order_id)
            .where(m.id == message_id)
        ).one()
        reason = _no_longer_applies(row.kind, row.order_state, row.order_number)
        if reason is not None or not row.recipient.strip():
            state = MessageState.SKIPPED if reason else MessageState.FAILED
            conn.execute(
                update(messages)
                .where(m.id == message_id)
                .values(state=state.value, last_error=reason or NO_CONTACT)
            )
            (report.skipped if reason else report.failed).append(row.dedupe_key)
            return None
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
    return _Claim(message, int(row.attempts))


def _no_longer_applies(kind: str, order_state: str, order_number: str) -> str | None:
    """Why a message should not go out now that the order is ``order_state``, or None.

    Ready and reminder messages tell of items waiting on the hold shelf; a cancelled
    message tells of a cancelled order (not one collected after all).
    """
    if kind == MessageKind.CANCELLED:
        applies = order_state == FulfilmentState.CANCELLED
    else:
        applies = order_state == FulfilmentState.READY_FOR_PICKUP
    if applies:
        return None
    was = _WAS.get(order_state, f"is {order_state.replace('_', ' ')} now")
    return f"Not sent: order {order_number} {was} before this {kind} message went out."


def _finish(engine: Engine, claim: _Claim, state: MessageState, error: str | None) -> bool:
    """Write the outcome of ``claim`` while the row is still on its attempt; False when
    another dispatcher has claimed it since.

    A message that went out (``sent``) or may have (left ``sending``) is written so even
    when a person requeued it meanwhile: nobody has claimed it since (the attempt is
    unchanged), and sending it again would tell the customer twice. A failure leaves a
    requeued message queued.
    """
    values: dict[str, object] = {"state": state.value, "last_error": error}
    if state is MessageState.SENT:
        values["sent_at"] = utcnow()
    out = state in (MessageState.SENT, MessageState.SENDING)
    m = messages.c
    with engine.begin() as conn:
        written = conn.execute(
            update(messages)
            .where(
                m.id == claim.message.id,
                m.attempts == claim.attempt,
                m.state.in_((SENDING, QUEUED)) if out else m.state == SENDING,
            )
            .values(**values)
        )
    return written.rowcount == 1


def stuck_messages(engine: Engine, now: datetime | None = None) -> list[int]:
    """Ids of messages in ``sending`` that may have reached the customer: the sender was
    cut off (its error is recorded), or the claim is older than :data:`STUCK_AFTER`."""
    now = aware(now) if now else utcnow()
    m = messages.c
    with reader(engine).begin() as conn:
        return list(
            conn.execute(
                select(m.id)
                .where(
                    m.state == SENDING,
                    or_(m.last_error.is_not(None), m.claimed_at <= now - STUCK_AFTER),
                )
                .order_by(m.id)
            ).scalars()
        )


def requeue_message(engine: Engine, message_id: int, now: datetime | None = None) -> MessageRecord:
    """Send a stuck or failed message again on the next run (a person has checked it).

    Refused for a message a dispatcher is sending right now (claimed less than
    :data:`STUCK_AFTER` before ``now``, no error recorded: it may still go out by itself),
    for one with no phone number or email address to go to, and when the message changed
    while it was being requeued (nothing is changed then).
    """
    now = aware(now) if now else utcnow()
    m = messages.c
    with engine.begin() as conn:
        row = conn.execute(select(messages).where(m.id == message_id).with_for_update()).first()
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
        if not row.recipient.strip():
            raise RuleRefused(
                f"Message {message_id} cannot be sent again: order {row.order_number} has "
                "no phone number or email address to send it to.",
                next_step="Tell the customer at the counter or by a call.",
            )
        if row.state == SENDING and row.last_error is None:
            claimed = aware(row.claimed_at) if row.claimed_at else now - STUCK_AFTER
            if claimed > now - STUCK_AFTER:
                free = local_time(claimed + STUCK_AFTER, "UTC")
                raise RuleRefused(
                    f"Message {message_id} is being sent right now (since "
                    f"{local_time(claimed, 'UTC')} UTC); it may still go out by itself.",
                    next_step=f"If it still shows as sending after {free} UTC, ask the "
                    "customer whether it arrived and requeue it then.",
                )
        requeued = conn.execute(
            update(messages)
            .where(m.id == message_id, m.state == row.state, m.attempts == row.attempts)
            .values(state=QUEUED, last_error=f"requeued after: {row.last_error or row.state}")
        )
        if requeued.rowcount != 1:  # the row is locked; should it have changed, say so
            raise RuleRefused(
                f"Message {message_id} changed while you requeued it (a dispatcher wrote "
                "what became of it); it was not requeued.",
                next_step="List it again with `counterbench ledger messages` and decide "
                "on what it shows now.",
            )
        row = conn.execute(select(messages).where(m.id == message_id)).one()
    return record_of(row)
