"""Operations held at the ledger (quarantine), and their replay after a fix.

An operation whose applier fails in a way no rule foresaw (a bug, a database error) or
whose type this ledger does not know yet (a newer station) is not refused and does not
block its station: it is *held*. Its device_seq is consumed, the station is answered
``applied`` with the ``held_at_ledger`` exception (:func:`app.ledger.outcomes.held`), an
exception opens at the station's store, and IT finds it with ``counterbench ledger
quarantine list``. ``quarantine replay ID`` applies it once, with its original op_id and
device, after the fix or the upgrade; a replay that fails again keeps it held with the
new error.
"""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import log
from app.domain.exception_texts import (
    HELD_AT_LEDGER,
    STEP_REFUSED,
    STEP_WORDS,
    Subject,
)
from app.errors import KnownError, NotFound
from app.ledger.devices import DeviceRef, device_of
from app.ledger.flags import close_exception, open_worded_exception
from app.ledger.models import OpReceived, QuarantinedOp, table_of
from app.ledger.op_types import LEDGER_OP_TYPES, Posting, Registry, apply_op
from app.ledger.outcomes import held
from app.ledger.writes import WriteBatch, aware
from app.sync.protocol import OpResult, OpStatus, PushOp

_log = log.get("ledger.push")
quarantined = table_of(QuarantinedOp)
received = table_of(OpReceived)

UNKNOWN_TYPE = "unknown_type"  # causes
FAILED = "failed"
HELD = "held"  # statuses
REPLAYED = "replayed"
_TYPE_LENGTH = 40  # ops_received.type, quarantined_ops.type


def storable_type(op_type: str) -> str:
    """An operation type as ops_received can hold it, whatever the station sent."""
    return "".join(c for c in op_type if c.isprintable())[:_TYPE_LENGTH]


def safe_text(text: str, limit: int = 4000) -> str:
    """Text any database stores: no NUL, lone surrogates written as escapes."""
    return text.replace("\x00", "\\x00").encode("utf-8", "backslashreplace").decode()[:limit]


def unknown_type(op: PushOp) -> str:
    return safe_text(
        f"This ledger does not know operation type '{op.type}' (a newer station?); it is "
        "applied once the ledger is upgraded and the operation replayed."
    )


def describe(exc: BaseException) -> str:
    """The error for IT: its class, the driver's first line, where in our code."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    name = type(orig or exc).__name__
    # The driver's message without SQLAlchemy's "[parameters: …]", which may hold a
    # customer's name: enough for IT, and no contact details in the log.
    lines = str(orig or exc).strip().splitlines()
    statement = exc.statement if isinstance(exc, StatementError) else None
    sql = f"; statement: {' '.join(statement.split())[:200]}" if statement else ""
    ours = [f for f in traceback.extract_tb(exc.__traceback__) if "/app/" in f.filename]
    where = f" (at {ours[-1].filename.rsplit('/app/', 1)[-1]}:{ours[-1].lineno})" if ours else ""
    return safe_text(f"{name}: {lines[0] if lines else ''}{sql}{where}")


def receipt(
    device: DeviceRef, op: PushOp, fingerprint: str, result: OpResult, at: datetime
) -> dict[str, Any]:
    """The ops_received row of an operation and the result it was answered."""
    return {
        "device_id": device.device_id,
        "device_seq": op.device_seq,
        "op_id": op.op_id,
        "fingerprint": fingerprint,
        "type": storable_type(op.type),
        "status": result.status.value,
        "ledger_seq": result.ledger_seq,
        "result": result.model_dump_json(),
        "received_at": at,
    }


def hold(
    conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp, cause: str, error: str
) -> OpResult:
    """Quarantine ``op`` and open its exception at the device's store; its answer."""
    words = STEP_WORDS.get(op.type, "operation")
    qid = int(
        conn.execute(
            insert(quarantined)
            .values(
                device_id=device.device_id,
                device_seq=op.device_seq,
                op_id=op.op_id,
                type=storable_type(op.type),
                op=json.dumps(op.model_dump(mode="json"), separators=(",", ":")),
                cause=cause,
                error=error,
                status=HELD,
                attempts=1,
                created_at=batch.now,
            )
            .returning(quarantined.c.id)
        ).scalar_one()
    )
    exc_id = open_worded_exception(
        conn,
        batch,
        location_id=device.location_id,
        kind=HELD_AT_LEDGER,
        subject=Subject(steps=words, detail=str(qid)),
        op_id=op.op_id,
    )
    conn.execute(update(quarantined).where(quarantined.c.id == qid).values(exception_id=exc_id))
    _log.error(
        "push from %s: operation %s (%s, device_seq %d) is held in quarantine %d: %s",
        device.device_id, op.op_id, storable_type(op.type), op.device_seq, qid, error,
    )  # fmt: skip
    return held(op, qid)


@dataclass(frozen=True)
class HeldOp:
    """A quarantined operation as IT sees it."""

    id: int
    device_id: str
    device_seq: int
    op_id: str
    type: str
    cause: str
    error: str
    status: str
    attempts: int
    created_at: datetime


def list_held(engine: Engine, *, everything: bool = False) -> list[HeldOp]:
    """Quarantined operations still held (``everything``: replayed ones too), oldest first."""
    q = quarantined.c
    stmt = select(
        q.id, q.device_id, q.device_seq, q.op_id, q.type, q.cause, q.error, q.status,
        q.attempts, q.created_at,
    ).order_by(q.id)  # fmt: skip
    if not everything:
        stmt = stmt.where(q.status == HELD)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return [HeldOp(*row[:9], created_at=aware(row[9])) for row in rows]


@dataclass(frozen=True)
class Replayed:
    """What a replay did: ``status`` replayed (``result`` says how) or still held."""

    id: int
    status: str
    result: OpResult | None
    error: str = ""


def load_held(conn: Connection, quarantine_id: int) -> tuple[PushOp, DeviceRef, int | None]:
    """The held operation ``quarantine_id`` (locked), its device and its exception."""
    row = conn.execute(
        select(quarantined).where(quarantined.c.id == quarantine_id).with_for_update()
    ).first()
    if row is None:
        raise NotFound(f"No quarantined operation {quarantine_id}.")
    if row.status != HELD:
        raise KnownError(
            f"Quarantined operation {quarantine_id} was replayed already.",
            next_step="List what is still held with 'counterbench ledger quarantine list'.",
        )
    device = device_of(conn, row.device_id)
    return PushOp.model_validate(json.loads(row.op)), device, row.exception_id


def record_failure(conn: Connection, quarantine_id: int, error: str) -> None:
    """A replay failed again: keep the operation held with the new error."""
    q = quarantined.c
    conn.execute(
        update(quarantined)
        .where(q.id == quarantine_id)
        .values(error=error, attempts=q.attempts + 1)
    )


def record_replay(
    conn: Connection,
    batch: WriteBatch,
    quarantine_id: int,
    op: PushOp,
    device: DeviceRef,
    result: OpResult,
    exception_id: int | None,
) -> None:
    """A replay applied (or a rule refused) the operation: store the result the station
    gets if it sends the operation again, close the held exception, audit the replay."""
    conn.execute(
        update(received)
        .where(received.c.op_id == op.op_id)
        .values(
            status=result.status.value,
            ledger_seq=result.ledger_seq,
            result=result.model_dump_json(),
        )
    )
    conn.execute(
        update(quarantined)
        .where(quarantined.c.id == quarantine_id)
        .values(status=REPLAYED, replayed_at=batch.now)
    )
    if exception_id is not None:
        close_exception(conn, batch, exception_id)
    if result.status is OpStatus.REJECTED:
        words = STEP_WORDS.get(op.type, "operation")
        open_worded_exception(
            conn,
            batch,
            location_id=device.location_id,
            kind=STEP_REFUSED,
            subject=Subject(steps=words, detail=result.reason or ""),
            op_id=op.op_id,
            next_step=result.next_step,
        )
    batch.audit(
        actor="ledger:quarantine",
        approver=None,
        action="quarantine.replay",
        subject={
            "quarantine_id": quarantine_id,
            "op_id": op.op_id,
            "device_id": device.device_id,
            "status": result.status.value,
            "ledger_seq": result.ledger_seq,
        },
    )


class _StillUnknown(Exception):
    """The ledger still does not know the held operation's type."""


def replay(engine: Engine, quarantine_id: int, registry: Registry = LEDGER_OP_TYPES) -> Replayed:
    """Apply held operation ``quarantine_id`` once, as its station sent it (same op_id,
    device, actor and base), by ``registry``; if it fails again it stays held."""
    with engine.begin() as conn:
        op, device, exception_id = load_held(conn, quarantine_id)
        try:
            with conn.begin_nested():
                posting = Posting(conn, device, [op], alone=True)
                result = apply_op(posting, op, registry)
                if result is None:
                    raise _StillUnknown(unknown_type(op))
                posting.flush()
        except Exception as exc:
            if is_transient(exc):
                raise
            error = str(exc) if isinstance(exc, _StillUnknown) else describe(exc)
            record_failure(conn, quarantine_id, error)
            _log.error("quarantine %d: replay failed again: %s", quarantine_id, error)
            return Replayed(quarantine_id, HELD, None, error)
        batch = WriteBatch(conn)
        record_replay(conn, batch, quarantine_id, op, device, result, exception_id)
        batch.flush()
    _log.warning("quarantine %d: replayed, %s", quarantine_id, result.status.value)
    return Replayed(quarantine_id, REPLAYED, result)


def is_transient(exc: BaseException) -> bool:
    """True for a failure that is not the operation's: a lost connection, a deadlock, a
    serialization failure, a busy database. Nothing is held for it; the push is retried."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | DisconnectionError | PoolTimeout)
