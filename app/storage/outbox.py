"""The outbox: operations made here, in device_seq order, until the ledger confirms them.

An operation and its local effect (``pending_stock`` rows) are written in the same
IMMEDIATE transaction as the change that caused them, with a gapless ``device_seq``.
The effect is also kept on the outbox row, so an op sent again after a ledger restore
shows its effect again until the ledger confirms it once more.

Confirmed ops are kept 30 days for that re-send. Pruning only ever removes ops below
the oldest one that may still need re-sending, so the ops kept for re-sending have no
gap; :func:`holds_every_op_from` checks that before a re-send.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text, true
from sqlalchemy.orm import Session

from app.domain.operations import OperationStatus
from app.storage.engine import raw_connection
from app.storage.models import ExceptionResolution, OutboxOp
from app.storage.types import from_text, to_text

KEEP_CONFIRMED = timedelta(days=30)


@dataclass(frozen=True)
class Effect:
    """The local change an operation makes to one stock bucket until it is confirmed."""

    item_id: int
    bucket: str
    delta: int


@dataclass(frozen=True)
class Appended:
    op_id: str
    device_seq: int


@dataclass(frozen=True)
class QueuedOp:
    """An outbox row as it goes on the wire."""

    op_id: str
    device_seq: int
    type: str
    payload: dict[str, Any]
    actor: str | None
    approval: dict[str, Any] | None
    device_time: datetime
    base_ledger_seq: int


@dataclass(frozen=True)
class OpOutcome:
    """What the ledger said about one operation."""

    op_id: str
    device_seq: int
    status: str  # applied | rejected
    ledger_seq: int | None
    result: dict[str, Any]


def append(
    session: Session,
    *,
    op_type: str,
    payload: dict[str, Any],
    actor: str | None,
    base_ledger_seq: int,
    now: datetime,
    effects: tuple[Effect, ...] = (),
    approval: dict[str, Any] | None = None,
) -> Appended:
    """Queue one operation with its local effects; the caller's transaction commits it."""
    conn = raw_connection(session)
    (seq,) = conn.execute(
        "UPDATE device SET next_device_seq = next_device_seq + 1 WHERE id = 1 "
        "RETURNING next_device_seq - 1"
    ).fetchone()
    op_id = str(uuid.uuid4())
    created = to_text(now)
    kept = [(e.item_id, e.bucket, e.delta) for e in effects if e.delta]
    conn.execute(
        "INSERT INTO outbox (op_id, device_seq, type, payload, actor, approval, device_time, "
        "base_ledger_seq, status, created_at, effects) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)",
        (
            op_id,
            seq,
            op_type,
            _dumps(payload),
            actor,
            None if approval is None else _dumps(approval),
            created,
            base_ledger_seq,
            created,
            _dumps(kept) if kept else None,
        ),
    )
    conn.executemany(
        "INSERT INTO pending_stock (op_id, item_id, bucket, delta) VALUES (?, ?, ?, ?)",
        [(op_id, *effect) for effect in kept],
    )
    return Appended(op_id=op_id, device_seq=int(seq))


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def pending_batch(session: Session, limit: int) -> list[QueuedOp]:
    """The oldest pending operations, in device_seq order."""
    rows = raw_connection(session).execute(
        "SELECT op_id, device_seq, type, payload, actor, approval, device_time, base_ledger_seq "
        "FROM outbox WHERE status = 'pending' ORDER BY device_seq LIMIT ?",
        (limit,),
    )
    return [
        QueuedOp(
            op_id=r[0],
            device_seq=r[1],
            type=r[2],
            payload=json.loads(r[3]),
            actor=r[4],
            approval=None if r[5] is None else json.loads(r[5]),
            device_time=from_text(r[6]),
            base_ledger_seq=r[7],
        )
        for r in rows
    ]


def record_outcomes(session: Session, outcomes: list[OpOutcome], now: datetime) -> None:
    """Store the ledger's results. A rejected op's local effect goes at once."""
    conn = raw_connection(session)
    confirmed = to_text(now)
    conn.executemany(
        "UPDATE outbox SET status = ?, result = ?, ledger_seq = ?, confirmed_at = ? "
        "WHERE op_id = ?",
        [
            (
                o.status,
                json.dumps(o.result, separators=(",", ":")),
                o.ledger_seq,
                confirmed,
                o.op_id,
            )
            for o in outcomes
        ],
    )
    conn.executemany(
        "DELETE FROM pending_stock WHERE op_id = ?",
        [
            (o.op_id,)
            for o in outcomes
            if o.status != OperationStatus.APPLIED.value or o.ledger_seq is None
        ],
    )


def drop_pulled_effects(session: Session, cursor: int) -> int:
    """Drop local effects of applied ops whose change the pulled base now holds."""
    result = raw_connection(session).execute(
        "DELETE FROM pending_stock WHERE op_id IN ("
        " SELECT p.op_id FROM pending_stock AS p JOIN outbox AS o ON o.op_id = p.op_id"
        " WHERE o.status = 'applied' AND o.ledger_seq IS NOT NULL AND o.ledger_seq <= ?)",
        (cursor,),
    )
    return int(result.rowcount or 0)


def max_confirmed_seq(session: Session) -> int:
    value = session.scalar(
        select(func.max(OutboxOp.device_seq)).where(
            OutboxOp.status != OperationStatus.PENDING.value
        )
    )
    return int(value or 0)


def holds_every_op_from(session: Session, device_seq: int) -> bool:
    """True when every op from ``device_seq`` to the newest one made here is still kept
    (so all of them can be sent again); False if any of them was pruned."""
    conn = raw_connection(session)
    (next_seq,) = conn.execute("SELECT next_device_seq FROM device WHERE id = 1").fetchone()
    (kept,) = conn.execute(
        "SELECT count(*) FROM outbox WHERE device_seq >= ?", (device_seq,)
    ).fetchone()
    return device_seq >= 1 and int(kept) == max(0, int(next_seq) - device_seq)


def repend_from(session: Session, device_seq: int) -> int:
    """Mark confirmed ops from ``device_seq`` on as pending again (the ledger lost them),
    and show their local effect again until the ledger confirms them once more."""
    conn = raw_connection(session)
    rows = conn.execute(
        "SELECT op_id, effects FROM outbox WHERE device_seq >= ? AND status != 'pending'",
        (device_seq,),
    ).fetchall()
    if not rows:
        return 0
    conn.executemany("DELETE FROM pending_stock WHERE op_id = ?", [(op_id,) for op_id, _ in rows])
    conn.executemany(
        "INSERT INTO pending_stock (op_id, item_id, bucket, delta) VALUES (?, ?, ?, ?)",
        [
            (op_id, item_id, bucket, delta)
            for op_id, effects in rows
            if effects
            for item_id, bucket, delta in json.loads(effects)
        ],
    )
    _forget_lost_bases(session, device_seq)
    conn.executemany(
        "UPDATE outbox SET status = 'pending', result = NULL, ledger_seq = NULL, "
        "confirmed_at = NULL WHERE op_id = ?",
        [(op_id,) for op_id, _ in rows],
    )
    return len(rows)


def _forget_lost_bases(session: Session, device_seq: int) -> None:
    """An op made after this station had seen the first op the ledger lost saw a
    timeline the restore took away: its base becomes 0 ("seen nothing"), so the ledger
    asks a person to check such a count instead of posting it against a lost book."""
    conn = raw_connection(session)
    (lost,) = conn.execute(
        "SELECT min(ledger_seq) FROM outbox WHERE device_seq >= ? AND status = 'applied'",
        (device_seq,),
    ).fetchone()
    if lost is not None:
        conn.execute(
            "UPDATE outbox SET base_ledger_seq = 0 WHERE device_seq >= ? AND base_ledger_seq >= ?",
            (device_seq, lost),
        )


def pending_summary(session: Session) -> tuple[int, datetime | None]:
    """How many operations wait for the ledger, and when the oldest was made: a counter
    row kept by triggers and a partial index, so neither grows with the queue."""
    count = session.execute(text("SELECT ops FROM outbox_pending WHERE id = 1")).scalar()
    oldest = session.scalar(
        select(func.min(OutboxOp.created_at)).where(
            OutboxOp.status == OperationStatus.PENDING.value
        )
    )
    return int(count or 0), oldest


def prune(session: Session, now: datetime) -> int:
    """Forget ops confirmed over 30 days ago (rejected ones only once resolved).

    Only ops below the oldest one that may still need re-sending (pending, or confirmed
    within 30 days) go, so what may be re-sent after a ledger restore never has a gap.
    """
    cutoff = now - KEEP_CONFIRMED
    floor = session.scalar(
        select(func.min(OutboxOp.device_seq)).where(
            (OutboxOp.status == OperationStatus.PENDING.value)
            | (OutboxOp.confirmed_at.is_(None))
            | (OutboxOp.confirmed_at >= cutoff)
        )
    )
    resolved = select(ExceptionResolution.key)
    result = session.execute(
        delete(OutboxOp).where(
            OutboxOp.device_seq < floor if floor is not None else true(),
            OutboxOp.status != OperationStatus.PENDING.value,
            OutboxOp.confirmed_at < cutoff,
            (OutboxOp.status == OperationStatus.APPLIED.value)
            | (("op:" + OutboxOp.op_id).in_(resolved)),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def op(session: Session, op_id: str) -> OutboxOp | None:
    return session.get(OutboxOp, op_id)
