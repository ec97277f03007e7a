"""A push batch that failed: apply its operations again, each in a SAVEPOINT of its own.

A batch runs as one unit (:mod:`app.ledger.push`), with one write batch and one stock
book held in memory. When anything in it raises — a bug in an applier, a database that
refuses an operation's data (a NUL on PostgreSQL, an integer beyond 64 bits on SQLite, a
lone surrogate no driver can encode), a constraint — the batch is rolled back and applied
again in the same order, in one transaction, each operation in a SAVEPOINT with its own
write batch and posters, written out before the next one starts. An operation that fails
again on its own is rolled back to its savepoint and quarantined (:mod:`.quarantine`):
its device_seq is consumed, it is held for a replay, and the operations around it apply.
An error that passes (an IntegrityError of a race) applies on the second try.

A lost connection, a deadlock or a serialization failure is not the operation's fault:
those propagate, nothing is consumed, and the station sends the batch again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert

from app import log
from app.ledger.devices import DeviceRef, set_last_applied
from app.ledger.models import OpReceived, table_of
from app.ledger.op_types import Posting, Registry, apply_op
from app.ledger.quarantine import (
    FAILED,
    UNKNOWN_TYPE,
    describe,
    hold,
    is_transient,
    receipt,
    unknown_type,
)
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp

_log = log.get("ledger.push")
received = table_of(OpReceived)

__all__ = ["apply_each", "is_transient", "warn_one_by_one"]


def warn_one_by_one(device: DeviceRef, count: int, failure: BaseException) -> None:
    _log.warning(
        "push from %s: a batch of %d operations failed with %s; applying them one by one",
        device.device_id,
        count,
        describe(failure),
    )


def apply_each(
    conn: Connection,
    device: DeviceRef,
    new: list[tuple[int, PushOp, str]],
    last_applied: int,
    *,
    registry: Registry,
) -> dict[int, OpResult]:
    """Apply each new op in its own savepoint; hold the ones that fail (see above);
    then record the device's ``last_applied`` seq."""
    WriteBatch(conn)  # the network-wide write lock, held to commit across the savepoints
    results: dict[int, OpResult] = {}
    applied_seqs: dict[int, OpResult] = {}
    for index, op, fingerprint in new:
        if op.device_seq in applied_seqs:  # the same op twice in one batch: one effect
            results[index] = applied_seqs[op.device_seq].model_copy(update={"replayed": True})
            continue
        result, at = _apply_alone(conn, device, op, registry)
        results[index] = applied_seqs[op.device_seq] = result
        conn.execute(insert(received).values(receipt(device, op, fingerprint, result, at)))
    set_last_applied(conn, device.device_id, last_applied)
    return results


def _apply_alone(
    conn: Connection, device: DeviceRef, op: PushOp, registry: Registry
) -> tuple[OpResult, datetime]:
    try:
        with conn.begin_nested():
            posting = Posting(conn, device, [op], alone=True)
            result = apply_op(posting, op, registry)
            if result is None:
                result = hold(conn, posting.batch, device, op, UNKNOWN_TYPE, unknown_type(op))
            posting.flush()
            return result, posting.batch.now
    except Exception as exc:
        if is_transient(exc):
            raise
        error = describe(exc)
    batch = WriteBatch(conn)  # the failed op's savepoint is rolled back: start afresh
    result = hold(conn, batch, device, op, FAILED, error)
    batch.flush()
    return result, batch.now
