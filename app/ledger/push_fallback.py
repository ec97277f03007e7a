"""A push batch the database refused: apply its operations one per transaction.

A batch runs in one transaction (:mod:`app.ledger.push`). An operation that passes the
rules but whose data the database cannot store (a NUL character in a text column on
PostgreSQL, an integer beyond 64 bits on SQLite, a constraint a bug breaks) would fail the
batch each time the station sends it, and every later operation of that station would
wait behind it. After such a *data error* the batch is rolled back and applied again one
operation per transaction, in device_seq order, with fresh posters. An operation that
fails again on its own is recorded as ``rejected`` (its device_seq consumed, its result
stored for replays, an exception opened for the store, the full error in the log for IT);
the operations around it are applied as usual.

Only data errors are refused. A lost connection, a deadlock, a serialization failure or a
full disk may pass, and a bug in our code or a schema that does not match would refuse
every operation (and a handover that happened must not be thrown away): those propagate,
the station retries, and a repaired ledger applies the operations.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable

from sqlalchemy import Connection
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, StatementError

from app import log
from app.domain import exception_texts as texts
from app.ledger.devices import DeviceRef
from app.ledger.flags import open_exception
from app.ledger.outcomes import not_recorded
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp, PushResponse

_log = log.get("ledger.push")
NOT_RECORDED = texts.NOT_RECORDED  # the kind of the exception opened for the store
_TYPE_LENGTH = 40  # ops_received.type

# The answer recorded for an operation instead of applying it, in the push transaction.
Refusal = Callable[[Connection, WriteBatch, PushOp], OpResult]
# Push ops in one transaction: apply them, or record ``Refusal``'s answer for them.
PushInOne = Callable[[list[PushOp], Refusal | None], PushResponse]


def is_data_error(exc: BaseException) -> bool:
    """True for an error the same operation would meet again each time it is sent."""
    if isinstance(exc, DBAPIError):
        return isinstance(exc, DataError | IntegrityError) and not exc.connection_invalidated
    return isinstance(exc, OverflowError)  # sqlite3: an integer beyond 64 bits


def error_name(exc: BaseException) -> str:
    """The short class of a database error, e.g. ``NumericValueOutOfRange``."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    return type(orig or exc).__name__


def storable_type(op_type: str) -> str:
    """An operation type as ops_received can hold it, whatever the station sent."""
    return "".join(c for c in op_type if c.isprintable())[:_TYPE_LENGTH]


def apply_one_by_one(
    device: DeviceRef, ops: list[PushOp], failure: BaseException, push_in_one: PushInOne
) -> PushResponse:
    """Apply ``ops`` one per transaction after ``failure`` failed them as one batch."""
    _log.warning(
        "push from %s: a batch of %d operations failed with %s; applying them one by one",
        device.device_id,
        len(ops),
        error_name(failure),
    )
    answers = [_apply_alone(device, op, push_in_one) for op in ops]
    return PushResponse(
        results=[answer.results[0] for answer in answers],
        last_applied_seq=answers[-1].last_applied_seq,
    )


def _apply_alone(device: DeviceRef, op: PushOp, push_in_one: PushInOne) -> PushResponse:
    try:
        return push_in_one([op], None)
    except Exception as exc:
        if not is_data_error(exc):
            raise
        failure = exc
    what = (
        f"push from {device.device_id}: operation {op.op_id} "
        f"({storable_type(op.type)}, device_seq {op.device_seq})"
    )
    full = f"{error_name(failure)}: {_first_line(failure)}{_where(failure)}"
    try:
        # A replay of it pushed meanwhile, or a gap, is answered by the usual checks here.
        answer = push_in_one([op], _refusal(device, error_name(failure)))
    except Exception:
        _log.error("%s cannot be recorded, not even as rejected: %s", what, full)
        raise
    _log.error("%s cannot be recorded and is rejected: %s", what, full)
    return answer


def _refusal(device: DeviceRef, error: str) -> Refusal:
    def refuse(conn: Connection, batch: WriteBatch, op: PushOp) -> OpResult:
        result = not_recorded(op, error)
        open_exception(
            conn,
            batch,
            location_id=device.location_id,
            kind=NOT_RECORDED,
            message=(
                f"The ledger could not record operation {op.device_seq} "
                f"({storable_type(op.type)}) from station {device.device_id}: {error}. "
                "Nothing of it was applied."
            ),
            next_step="The station that sent it lists it under Exceptions: record it again "
            "there if it still applies. Ask IT to look up the operation in the ledger log.",
            op_id=op.op_id,
        )
        return result.model_copy(update={"exceptions": [NOT_RECORDED]})

    return refuse


def _first_line(exc: BaseException) -> str:
    # The driver's message without SQLAlchemy's "[parameters: …]", which may hold a
    # customer's name: enough for IT, and no contact details in the log.
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(orig).strip().splitlines()
    statement = exc.statement if isinstance(exc, StatementError) else None
    sql = f"; statement: {' '.join(statement.split())[:200]}" if statement else ""
    return (text[0] if text else "") + sql


def _where(exc: BaseException) -> str:
    """The innermost frame of our code the error passed through."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__) if "/app/" in f.filename]
    return f" (at {ours[-1].filename.rsplit('/app/', 1)[-1]}:{ours[-1].lineno})" if ours else ""
