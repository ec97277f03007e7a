"""The outbox: operations made here, in device_seq order, until the ledger confirms them.

An operation and its local effect (``pending_stock`` rows) are written in the same
IMMEDIATE transaction as the change that caused them, with a gapless ``device_seq``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from app.domain.operations import OperationStatus
from app.storage import device
from app.storage.models import ExceptionResolution, OutboxOp, PendingStock

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
    seq = device.allocate_device_seq(session)
    op_id = str(uuid.uuid4())
    session.add(
        OutboxOp(
            op_id=op_id,
            device_seq=seq,
            type=op_type,
            payload=payload,
            actor=actor,
            approval=approval,
            device_time=now,
            base_ledger_seq=base_ledger_seq,
            status=OperationStatus.PENDING.value,
            created_at=now,
        )
    )
    session.flush()
    for effect in effects:
        if effect.delta:
            session.add(
                PendingStock(
                    op_id=op_id, item_id=effect.item_id, bucket=effect.bucket, delta=effect.delta
                )
            )
    return Appended(op_id=op_id, device_seq=seq)


def pending_batch(session: Session, limit: int) -> list[QueuedOp]:
    """The oldest pending operations, in device_seq order."""
    rows = session.scalars(
        select(OutboxOp)
        .where(OutboxOp.status == OperationStatus.PENDING.value)
        .order_by(OutboxOp.device_seq)
        .limit(limit)
    )
    return [
        QueuedOp(
            op_id=r.op_id,
            device_seq=r.device_seq,
            type=r.type,
            payload=r.payload,
            actor=r.actor,
            approval=r.approval,
            device_time=r.device_time,
            base_ledger_seq=r.base_ledger_seq,
        )
        for r in rows
    ]


def record_outcomes(session: Session, outcomes: list[OpOutcome], now: datetime) -> None:
    """Store the ledger's results. A rejected op's local effect goes at once."""
    for outcome in outcomes:
        session.execute(
            update(OutboxOp)
            .where(OutboxOp.op_id == outcome.op_id)
            .values(
                status=outcome.status,
                result=outcome.result,
                ledger_seq=outcome.ledger_seq,
                confirmed_at=now,
            )
        )
        if outcome.status != OperationStatus.APPLIED.value or outcome.ledger_seq is None:
            session.execute(delete(PendingStock).where(PendingStock.op_id == outcome.op_id))


def drop_pulled_effects(session: Session, cursor: int) -> int:
    """Drop local effects of applied ops whose change the pulled base now holds."""
    applied = select(OutboxOp.op_id).where(
        OutboxOp.status == OperationStatus.APPLIED.value,
        OutboxOp.ledger_seq.is_not(None),
        OutboxOp.ledger_seq <= cursor,
    )
    result = session.execute(delete(PendingStock).where(PendingStock.op_id.in_(applied)))
    return int(getattr(result, "rowcount", 0) or 0)


def max_confirmed_seq(session: Session) -> int:
    value = session.scalar(
        select(func.max(OutboxOp.device_seq)).where(
            OutboxOp.status != OperationStatus.PENDING.value
        )
    )
    return int(value or 0)


def repend_from(session: Session, device_seq: int) -> int:
    """Mark confirmed ops from ``device_seq`` on as pending again (the ledger lost them)."""
    result = session.execute(
        update(OutboxOp)
        .where(
            OutboxOp.device_seq >= device_seq,
            OutboxOp.status != OperationStatus.PENDING.value,
        )
        .values(status=OperationStatus.PENDING.value, result=None, ledger_seq=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def pending_summary(session: Session) -> tuple[int, datetime | None]:
    """How many operations wait for the ledger, and when the oldest was made."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutboxOp.created_at)).where(
            OutboxOp.status == OperationStatus.PENDING.value
        )
    ).one()
    return int(count), oldest


def prune(session: Session, now: datetime) -> int:
    """Forget confirmed ops after 30 days (rejected ones only once resolved)."""
    cutoff = now - KEEP_CONFIRMED
    resolved = select(ExceptionResolution.key)
    result = session.execute(
        delete(OutboxOp).where(
            OutboxOp.status != OperationStatus.PENDING.value,
            OutboxOp.confirmed_at < cutoff,
            (OutboxOp.status == OperationStatus.APPLIED.value)
            | (("op:" + OutboxOp.op_id).in_(resolved)),
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def op(session: Session, op_id: str) -> OutboxOp | None:
    return session.get(OutboxOp, op_id)
