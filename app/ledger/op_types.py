"""The ledger's applier for every registered operation type (:mod:`app.domain.op_types`).

An applier gets the push transaction's :class:`Posting` (its write batch and the posters
of counts and pickup steps), the operation and its parsed payload, and returns the
operation's result; a rule's refusal is a ``rejected`` result, never an exception. An
applier that raises met something no rule foresaw: the operation is quarantined
(:mod:`app.ledger.quarantine`). A type without an applier here is unknown to this ledger:
it is quarantined too, never rejected, and replayed once the ledger knows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from sqlalchemy import Connection

from app.domain.op_types import OP_TYPES, OpType
from app.domain.returns.exchange import EXCHANGE_ORDER
from app.domain.returns.intake_op import RETURN_INTAKE
from app.domain.returns.put_away import RETURN_PUT_AWAY
from app.domain.shipping.assign import ASSIGN
from app.errors import KnownError
from app.ledger.count_reads import CountReads, counts_wanted
from app.ledger.counts import CountPoster
from app.ledger.devices import DeviceRef
from app.ledger.flags import resolve_exception
from app.ledger.outcomes import rejected
from app.ledger.pickups import PickupPoster
from app.ledger.returns.approve import approve_held_refund, manager_needed
from app.ledger.returns.exchange import place_exchange
from app.ledger.returns.intake import take_in_return
from app.ledger.returns.put_away import put_unit_away
from app.ledger.ship_assign import assign_picker
from app.ledger.ship_steps import ShipPoster
from app.ledger.writes import WriteBatch, store_only
from app.sync.protocol import OpResult, OpStatus, PushOp


class Posting:
    """One push transaction's bookkeeping for one device: the write batch, the counts'
    stock book (shared with pickup and ship steps), the pickup and the ship posters."""

    def __init__(
        self,
        conn: Connection,
        device: DeviceRef,
        ops: list[PushOp],
        *,
        alone: bool = False,
        batch: WriteBatch | None = None,
        reads: CountReads | None = None,
    ) -> None:
        """``alone``: one op of a batch applied on its own (a savepoint, a replay), as a
        network-wide write; else a batch of only counts writes beside other stores.
        ``batch``: a write batch shared with other stations' pushes, already holding
        this store's lock; the caller flushes it (:mod:`app.ledger.push_together`).
        ``reads``: what the group's counts read, this push's among them."""
        self.conn = conn
        self.device = device
        self._own_batch = batch is None
        if batch is None:
            local = not alone and store_only([op.type for op in ops])
            where = [device.location_id] if local else []
            batch = WriteBatch(conn, locations=where, seqs_hint=2 * len(ops))
        else:
            batch.write_for(device.location_id)
        self.batch = batch
        want = reads.wants[device.device_id] if reads else counts_wanted(device, ops)
        self.counts = CountPoster(conn, self.batch, device, want, reads=reads)
        self.pickups = PickupPoster(conn, self.batch, device, self.counts.book)
        self.ships = ShipPoster(conn, self.batch, device, self.counts.book)

    def flush(self) -> None:
        """Write what the posting holds in memory, and the write batch when it is its
        own; call once, before commit."""
        self.counts.flush(with_batch=True)
        if self._own_batch:
            self.batch.flush()


Applier = Callable[[Posting, PushOp, Any], OpResult]


@dataclass(frozen=True)
class LedgerOpType:
    """A registered operation type and how the ledger applies it."""

    op: OpType
    apply: Applier


def _count(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    return posting.counts.post(op, payload)


def _resolve(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    refused = manager_needed(posting.conn, op, payload)  # a held refund: managers only
    if refused is not None:
        return refused
    result = resolve_exception(posting.conn, posting.batch, posting.device, op, payload)
    if result.status is OpStatus.APPLIED:
        approve_held_refund(posting.conn, posting.batch, payload.exception_id)
    return result


def _return(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    book = posting.counts.book  # the station's location's stock, shared with its counts
    return take_in_return(posting.conn, posting.batch, book, posting.device, op, payload)


def _exchange(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    book = posting.counts.book
    return place_exchange(posting.conn, posting.batch, book, posting.device, op, payload)


def _put_away(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    book = posting.counts.book
    return put_unit_away(posting.conn, posting.batch, book, posting.device, op, payload)


def _pickup_step(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    return posting.pickups.post(op, payload)


def _ship_step(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    return posting.ships.post(op, payload)


def _assign(posting: Posting, op: PushOp, payload: Any) -> OpResult:
    return assign_picker(posting.conn, posting.batch, posting.device, op, payload)


_APPLIERS: dict[str, Applier] = {
    "stock.count": _count,
    "exception.resolve": _resolve,
    **{name: _pickup_step for name in OP_TYPES if name.startswith("pickup.")},
    **{name: _ship_step for name in OP_TYPES if name.startswith("ship.") and name != ASSIGN},
    ASSIGN: _assign,
    RETURN_INTAKE: _return,
    RETURN_PUT_AWAY: _put_away,
    EXCHANGE_ORDER: _exchange,
}

Registry = Mapping[str, LedgerOpType]
LEDGER_OP_TYPES: Registry = MappingProxyType(
    {name: LedgerOpType(op, _APPLIERS[name]) for name, op in OP_TYPES.items()}
)


def apply_op(posting: Posting, op: PushOp, registry: Registry) -> OpResult | None:
    """Apply ``op`` by its type's applier: its result, or None for a type ``registry``
    does not know. A malformed payload is refused; anything the applier raises passes."""
    entry = registry.get(op.type)
    if entry is None:
        return None
    try:
        payload = entry.op.parse(op.payload)
    except KnownError as exc:
        return rejected(
            op,
            exc.message,
            exc.next_step or "Check the operation on this station and record it again.",
        )
    return entry.apply(posting, op, payload)
