"""``POST /v1/sync/push``: apply a device's operations exactly once, in device_seq order.

The whole batch runs in one transaction with the device row locked, so the same batch
pushed twice at the same time applies each operation once. Replay, reuse and gap checks
cover the whole batch before anything is applied, so a 409 or 422 changes nothing. Each
operation goes to its type's applier (:mod:`app.ledger.op_types`); a type this ledger
does not know is quarantined (:mod:`app.ledger.quarantine`). When an operation fails in a
way no rule foresaw, the batch is applied again with each operation in a SAVEPOINT of its
own (:mod:`app.ledger.push_fallback`): one that fails again is quarantined, and the
station's queue moves on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, insert, select

from app.errors import KnownError
from app.ledger.devices import DeviceRef, acting_device, set_last_applied
from app.ledger.models import Device, OpReceived, table_of
from app.ledger.op_types import LEDGER_OP_TYPES, Posting, Registry, apply_op
from app.ledger.push_fallback import apply_each, is_transient, warn_one_by_one
from app.ledger.quarantine import UNKNOWN_TYPE, hold, receipt, unknown_type
from app.ledger.sql_lists import one_of, one_of_param
from app.ledger.writes import WriteBatch
from app.sync.protocol import (
    GapError,
    OpResult,
    PushOp,
    PushRequest,
    PushResponse,
    ReusedOpError,
    op_fingerprint,
)

devices = table_of(Device)
received = table_of(OpReceived)
# Built once: a push's statements cost no building or cache key per request.
_LOCK_DEVICE = (
    select(devices.c.last_applied_seq, devices.c.revoked_at)
    .where(devices.c.device_id == bindparam("device_id"))
    .with_for_update()
)


@cache
def _used_op_ids(dialect: str) -> Select[str]:
    return select(received.c.op_id).where(one_of_param(dialect, received.c.op_id, "ids"))


@cache
def _lock_devices(dialect: str) -> Select[str, int, Any]:
    d = devices.c
    return (
        select(d.device_id, d.last_applied_seq, d.revoked_at)
        .where(one_of_param(dialect, d.device_id, "ids"))
        .order_by(d.device_id)
        .with_for_update()
    )


class PushGap(Exception):
    """The batch skips device_seq values: answered with 409 and ``GapError``."""

    def __init__(self, expected_seq: int) -> None:
        super().__init__(f"expected device_seq {expected_seq}")
        self.body = GapError(expected_seq=expected_seq)


class PushReused(Exception):
    """An op_id or device_seq came back saying something else: 422 and ``ReusedOpError``."""

    def __init__(self, op: PushOp, message: str) -> None:
        super().__init__(message)
        self.body = ReusedOpError(op_id=op.op_id, device_seq=op.device_seq, message=message)


class WrongDevice(KnownError):
    """A device pushed operations in another device's name."""


class DeviceRevoked(Exception):
    """The pushing device was revoked (seen under its locked row): answered with 401.

    Authentication of a push may come from a per-process cache
    (:mod:`app.ledger.api.auth`); this check keeps a revocation effective at once.
    """

    def __init__(self) -> None:
        super().__init__("This station's token is unknown or was revoked.")


@dataclass
class Plan:
    replays: dict[int, OpResult]  # index in the batch -> stored result
    new: list[tuple[int, PushOp, str]]  # index, op, fingerprint
    next_last: int


def push(
    engine: Engine,
    device: DeviceRef,
    request: PushRequest,
    registry: Registry = LEDGER_OP_TYPES,
) -> PushResponse:
    """Apply ``request`` for ``device``; raises PushGap or PushReused with nothing applied.

    ``registry``: the operation types this ledger knows (tests add their own).
    """
    acting = acting_device(engine, device, request)  # itself, or one it adopted
    if acting is None:
        raise WrongDevice(
            "These operations belong to another station.",
            next_step="Re-enrol this station; its data and token do not match.",
        )
    requester = device.device_id
    device = acting
    try:
        return _push_in_one(
            engine, device, request.ops, partial(_apply, registry=registry), requester
        )
    except (PushGap, PushReused, DeviceRevoked):
        raise
    except Exception as failure:
        if is_transient(failure):
            raise  # a lost connection, a deadlock: nothing is consumed, the station retries
        warn_one_by_one(device, len(request.ops), failure)
    return _push_in_one(
        engine, device, request.ops, partial(apply_each, registry=registry), requester
    )


# Applies the new ops and records the device's new last_applied_seq (the int).
ApplyNew = Callable[
    [Connection, DeviceRef, list[tuple[int, PushOp, str]], int], dict[int, OpResult]
]


def _push_in_one(
    engine: Engine, device: DeviceRef, ops: list[PushOp], apply_new: ApplyNew, requester: str
) -> PushResponse:
    """Check ``ops`` and apply the new ones with ``apply_new``, in one transaction;
    ``requester``: the device sending them, refused here if it was revoked."""
    with engine.begin() as conn:
        plan = lock_and_check(conn, device, ops, requester)
        results: dict[int, OpResult] = dict(plan.replays)
        if plan.new:
            results.update(apply_new(conn, device, plan.new, plan.next_last))
    return answer(ops, results, plan)


def lock_and_check(conn: Connection, device: DeviceRef, ops: list[PushOp], requester: str) -> Plan:
    """Lock ``device``'s row and sort ``ops`` into replays and new ones; raises
    DeviceRevoked, PushGap or PushReused having written nothing."""
    last, revoked_at = conn.execute(_LOCK_DEVICE, {"device_id": device.device_id}).one()
    if requester != device.device_id:  # an adopted device: its row is revoked anyway
        revoked_at = _revoked_at(conn, requester)
    refuse_revoked(revoked_at)
    return check(conn, device.device_id, int(last), ops)


def refuse_revoked(revoked_at: object) -> None:
    """Raise DeviceRevoked when the station's row (read under lock) says it was revoked."""
    if revoked_at is not None:
        raise DeviceRevoked()


def answer(ops: list[PushOp], results: dict[int, OpResult], plan: Plan) -> PushResponse:
    """The push's answer: a result for each op of the batch, in the batch's order."""
    ordered = [results[i] for i in range(len(ops))]
    return PushResponse(results=ordered, last_applied_seq=plan.next_last)


def _revoked_at(conn: Connection, device_id: str) -> object:
    return conn.execute(
        select(devices.c.revoked_at).where(devices.c.device_id == device_id)
    ).scalar_one()


def check(
    conn: Connection, device_id: str, last: int, ops: list[PushOp], used: set[str] | None = None
) -> Plan:
    """Sort ``ops`` of ``device_id`` (its row locked, ``last`` applied) into replays and
    new ones; raises PushGap or PushReused. ``used``: the op ids among ``ops`` already
    received, when the caller read them (for a group of pushes)."""
    stored = _stored_results(
        conn, device_id, [op.device_seq for op in ops if op.device_seq <= last]
    )
    replays: dict[int, OpResult] = {}
    new: list[tuple[int, PushOp, str]] = []
    in_batch: dict[int, tuple[str, str]] = {}  # device_seq -> (op_id, fingerprint)
    expected = last + 1
    for index, op in enumerate(ops):
        fingerprint = op_fingerprint(op)
        if op.device_seq < expected:
            earlier = stored.get(op.device_seq)
            known = (earlier[0], earlier[1]) if earlier else in_batch.get(op.device_seq)
            if known is None or known != (op.op_id, fingerprint):
                raise PushReused(
                    op,
                    f"Operation number {op.device_seq} was already received with other "
                    "content; nothing from this batch was applied.",
                )
            if earlier:
                replays[index] = earlier[2].model_copy(update={"replayed": True})
            else:
                new.append((index, op, fingerprint))  # resent within one batch: marker
            continue
        if op.device_seq > expected:
            raise PushGap(expected)
        in_batch[op.device_seq] = (op.op_id, fingerprint)
        new.append((index, op, fingerprint))
        expected += 1
    _check_op_ids_unused(conn, [op for _, op, _ in new], used)
    return Plan(replays=replays, new=new, next_last=expected - 1)


def _stored_results(
    conn: Connection, device_id: str, seqs: list[int]
) -> dict[int, tuple[str, str, OpResult]]:
    found: dict[int, tuple[str, str, OpResult]] = {}
    unique = sorted(set(seqs))
    for start in range(0, len(unique), 500):
        rows = conn.execute(
            select(
                received.c.device_seq, received.c.op_id, received.c.fingerprint, received.c.result
            )
            .where(received.c.device_id == device_id)
            .where(one_of(conn, received.c.device_seq, unique[start : start + 500]))
        )
        for seq, op_id, fingerprint, result in rows:
            found[int(seq)] = (op_id, fingerprint, OpResult.model_validate_json(result))
    return found


def _check_op_ids_unused(conn: Connection, new: list[PushOp], used: set[str] | None) -> None:
    seen: dict[str, PushOp] = {}
    for op in new:
        other = seen.get(op.op_id)
        if other is not None and other.device_seq != op.device_seq:
            raise PushReused(op, f"Operation {op.op_id} appears twice under different numbers.")
        seen[op.op_id] = op
    ids = sorted(seen)
    if used is None:
        used = used_op_ids(conn, ids)
    for op_id in ids:
        if op_id in used:
            raise PushReused(
                seen[op_id],
                f"Operation {op_id} was already received under another number; nothing "
                "from this batch was applied.",
            )


def used_op_ids(conn: Connection, op_ids: list[str]) -> set[str]:
    """Those of ``op_ids`` already received (from any device)."""
    query = _used_op_ids(conn.dialect.name)
    found: set[str] = set()
    for start in range(0, len(op_ids), 500):
        found.update(conn.execute(query, {"ids": op_ids[start : start + 500]}).scalars())
    return found


def lock_devices(conn: Connection, device_ids: list[str]) -> dict[str, tuple[int, object]]:
    """Lock the rows of ``device_ids`` in id order: (last applied seq, revoked at) of each."""
    rows = conn.execute(_lock_devices(conn.dialect.name), {"ids": sorted(device_ids)})
    return {device_id: (int(last), revoked) for device_id, last, revoked in rows}


def _apply(
    conn: Connection,
    device: DeviceRef,
    new: list[tuple[int, PushOp, str]],
    last_applied: int,
    *,
    registry: Registry,
) -> dict[int, OpResult]:
    """Apply the batch's new ops together (the usual way): one write batch, one stock
    book, every row written once at the end (on PostgreSQL in one round trip, with the
    receipts and the device's ``last_applied`` seq). Any exception fails the whole batch."""
    posting = Posting(conn, device, [op for _, op, _ in new])
    results, receipts = post_new(posting, new, registry)
    if posting.batch.pipelined:
        receipts_later(posting.batch, device, receipts, last_applied)
        posting.flush()
        return results
    posting.flush()
    conn.execute(insert(received), receipts)
    set_last_applied(conn, device.device_id, last_applied)
    return results


def post_new(
    posting: Posting, new: list[tuple[int, PushOp, str]], registry: Registry
) -> tuple[dict[int, OpResult], list[dict[str, Any]]]:
    """Apply ``new`` through ``posting``: each op's result (by its index in the batch)
    and the receipt rows to store with them."""
    device = posting.device
    results: dict[int, OpResult] = {}
    applied_seqs: dict[int, OpResult] = {}
    receipts: list[dict[str, Any]] = []
    for index, op, fingerprint in new:
        if op.device_seq in applied_seqs:  # the same op twice in one batch: one effect
            results[index] = applied_seqs[op.device_seq].model_copy(update={"replayed": True})
            continue
        result = apply_op(posting, op, registry)
        if result is None:
            result = hold(posting.conn, posting.batch, device, op, UNKNOWN_TYPE, unknown_type(op))
        results[index] = applied_seqs[op.device_seq] = result
        receipts.append(receipt(device, op, fingerprint, result, posting.batch.now))
    return results, receipts


def receipts_later(
    batch: WriteBatch, device: DeviceRef, receipts: list[dict[str, Any]], last_applied: int
) -> None:
    """Hand the receipts and the device's new ``last_applied`` seq to a pipelined
    ``batch``, for its one round trip."""
    batch.insert_later(received, receipts)
    applied = {"device_id": device.device_id, "last_applied_seq": last_applied}
    batch.update_later(devices, "device_id", [applied])
