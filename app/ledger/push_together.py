"""Pushes of several stations, each for its own store, applied in one transaction.

Under load many stations push a few counts each at the same moment. On its own, each push
costs a transaction: a store lock, a block of ledger_seq, a flush and a commit.
:class:`app.ledger.push_queue.PushQueue` gathers pushes that arrive together, at most one
per station and one per store, and :func:`push_together` applies them in one transaction
with one :class:`~app.ledger.writes.WriteBatch`: the stations' rows locked in device id
order, then every store's lock in location id order, its seq blocks taken together, one
flush, one commit.

Each push keeps its own answer. Its checks (gap, reused op, revoked station) run on its
own, and a push refused there is answered with its refusal while the others go on, as
nothing was written for it. When anything else fails, the transaction rolls back as a
whole and each push is applied again on its own by :func:`app.ledger.push.push`, with
its fallback and quarantine: a group never changes what a push does, only its cost.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from app import log
from app.ledger.count_reads import counts_wanted, prepare_counts
from app.ledger.devices import DeviceRef
from app.ledger.op_types import LEDGER_OP_TYPES, Posting, Registry
from app.ledger.push import (
    DeviceRevoked,
    Plan,
    PushGap,
    PushReused,
    answer,
    check,
    lock_devices,
    post_new,
    push,
    receipts_later,
    refuse_revoked,
    used_op_ids,
)
from app.ledger.writes import WriteBatch, store_only
from app.sync.protocol import OpResult, PushOp, PushRequest, PushResponse

_log = log.get("ledger.push")

Outcome = PushResponse | Exception  # a push's answer, or what it raises


@dataclass(frozen=True)
class Pushed:
    """One station's push: ``device`` sent ``request`` for itself."""

    device: DeviceRef
    request: PushRequest


def push_together(
    engine: Engine, pushes: list[Pushed], registry: Registry = LEDGER_OP_TYPES
) -> list[Outcome]:
    """Apply ``pushes`` (distinct stations of distinct stores) in one transaction; the
    outcome of each, in the same order."""
    try:
        return _in_one(engine, pushes, registry)
    except DBAPIError as failure:  # a poison op, an op_id two stations share, a deadlock
        _log.info("a group of %d pushes failed (%s); applying each alone", len(pushes), failure)
    except Exception:  # nothing was written, but this is a bug to see: each goes alone
        _log.exception("a group of %d pushes failed; applying each alone", len(pushes))
    return [apply_alone(engine, pushed, registry) for pushed in pushes]


def apply_alone(engine: Engine, pushed: Pushed, registry: Registry) -> Outcome:
    """``pushed`` applied on its own: its answer, or what it raised."""
    try:
        return push(engine, pushed.device, pushed.request, registry)
    except Exception as failure:  # the push's own answer (a gap, a refusal, an outage)
        return failure


def _in_one(engine: Engine, pushes: list[Pushed], registry: Registry) -> list[Outcome]:
    stores = [pushed.device.location_id for pushed in pushes]
    devices = [pushed.device.device_id for pushed in pushes]
    if len(set(stores)) < len(stores) or len(set(devices)) < len(devices):
        raise ValueError("a group holds one push per station and per store")
    if not all(groupable(pushed) for pushed in pushes):
        raise ValueError("a group holds stations' own pushes of store-only operations")
    outcomes: dict[int, Outcome] = {}
    with engine.begin() as conn:
        plans = _checked(conn, pushes, outcomes)
        writing = [i for i, plan in plans.items() if plan.new]
        new_ops = sum(len(plans[i].new) for i in writing)
        where = [pushes[i].device.location_id for i in writing]
        batch = WriteBatch(conn, locations=where, seqs_hint=2 * new_ops) if writing else None
        if batch is not None and not batch.pipelined:
            raise ValueError("pushes are applied together on PostgreSQL only")
        wants = [counts_wanted(pushes[i].device, _ops(plans[i])) for i in writing]
        reads = prepare_counts(conn, wants)
        for i, plan in plans.items():
            results: dict[int, OpResult] = dict(plan.replays)
            if batch is not None and plan.new:
                posting = Posting(conn, pushes[i].device, _ops(plan), batch=batch, reads=reads)
                results.update(_post(posting, plan, registry))
            outcomes[i] = answer(pushes[i].request.ops, results, plan)
        if batch is not None:
            batch.flush()
    return [outcomes[i] for i in range(len(pushes))]


def groupable(pushed: Pushed) -> bool:
    """A push that may join a group: a station's own, writing only its store."""
    ops = pushed.request.ops
    return pushed.request.device_id == pushed.device.device_id and store_only(
        [op.type for op in ops]
    )


def _checked(
    conn: Connection, pushes: list[Pushed], refused: dict[int, Outcome]
) -> dict[int, Plan]:
    """Each push's plan, the stations' rows locked (in device id order); a push refused
    by its checks gets its refusal in ``refused`` instead."""
    rows = lock_devices(conn, [pushed.device.device_id for pushed in pushes])
    used = used_op_ids(conn, sorted({op.op_id for p in pushes for op in p.request.ops}))
    plans: dict[int, Plan] = {}
    for i in sorted(range(len(pushes)), key=lambda n: pushes[n].device.device_id):
        device, ops = pushes[i].device, pushes[i].request.ops
        last, revoked_at = rows[device.device_id]
        try:
            refuse_revoked(revoked_at)
            plans[i] = check(conn, device.device_id, last, ops, used)
        except (PushGap, PushReused, DeviceRevoked) as refusal:
            refused[i] = refusal
    return plans


def _ops(plan: Plan) -> list[PushOp]:
    return [op for _, op, _ in plan.new]


def _post(posting: Posting, plan: Plan, registry: Registry) -> dict[int, OpResult]:
    results, receipts = post_new(posting, plan.new, registry)
    receipts_later(posting.batch, posting.device, receipts, plan.next_last)
    posting.flush()
    return results
