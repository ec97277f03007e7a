"""Every operation type a station sends, in one table: its payload, what it is, its words.

An operation is either a **physical fact** (it happened in the shop: a pick, a handover,
a receipt, a count, a put-back) or an **intention** (accept, stage, ready, cancel, close
an exception). The ledger applies physical facts whatever the order's state and flags
what does not add up (DESIGN.md §4 rule 1); only intentions may be refused.

Each type names:

* ``parse``: the payload schema, validating the wire dictionary (``BadInput`` when bad);
* ``station_effect``: how a station shows the operation before the ledger confirms it —
  the pickup step rule it runs on its view of the order (:func:`app.domain.pickup.
  apply_step`, used by ``app.services.pickup_record`` and ``pickup_view.replay``), the
  ship step rule on a bench's ship view (:func:`app.domain.shipping.steps.apply_step`), or
  ``None`` when the station keeps a stock difference instead (a count:
  ``app.services.stock``), reads its own unanswered op (a picker assignment:
  ``app.storage.ship_orders``) or nothing (closing an exception);
* ``words``: how the associate says it ("the ledger refused your handover").

The ledger's applier for each type lives in :mod:`app.ledger.op_types`. There is no
default: a type missing here is unknown, and the ledger holds it until it is upgraded.
A received return (``return.intake``) is a physical fact: the units are in the store, so
the ledger records it and holds the refund when it does not add up (rule 4). So is a
returned unit put into a bin (``return.put_away``): the unit is there. An exchange's
replacement (``exchange.order``) is a new pickup order: an intention, refused when no
location has the item left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from app.domain.exception_ops import RESOLVE_EXCEPTION, ResolveException
from app.domain.exception_texts import STEP_WORDS
from app.domain.operations import OperationType, Payload, StockCount
from app.domain.pickup import apply_step
from app.domain.pickup_ops import PICKUP_PAYLOADS, PickupOp, parse_pickup
from app.domain.returns.exchange import EXCHANGE_ORDER, parse_exchange
from app.domain.returns.intake_op import RETURN_INTAKE, parse_return
from app.domain.returns.put_away import RETURN_PUT_AWAY, parse_put_away
from app.domain.shipping import steps as ship_steps
from app.domain.shipping.assign import ASSIGN, ShipAssign
from app.domain.shipping.ops import SHIP_PAYLOADS, ShipOp, parse_ship
from app.errors import BadInput


class OpKind(StrEnum):
    FACT = "physical fact"  # applied and flagged, never refused for the state of things
    INTENTION = "intention"  # may be refused by a rule


@dataclass(frozen=True)
class OpType:
    """One operation type: see the module docstring."""

    name: str
    kind: OpKind
    parse: Callable[[dict[str, Any]], Payload]
    station_effect: Callable[..., Any] | None
    words: str

    @property
    def is_fact(self) -> bool:
        return self.kind is OpKind.FACT


def _pickup(op: PickupOp, kind: OpKind) -> OpType:
    def parse(payload: dict[str, Any]) -> Payload:
        return parse_pickup(op, payload)

    return OpType(op.value, kind, parse, apply_step, STEP_WORDS[op.value])


def _ship(op: ShipOp, kind: OpKind) -> OpType:
    def parse(payload: dict[str, Any]) -> Payload:
        return parse_ship(op, payload)

    return OpType(op.value, kind, parse, ship_steps.apply_step, STEP_WORDS[op.value])


_FACT, _INTENTION = OpKind.FACT, OpKind.INTENTION
_TYPES = (
    OpType(
        OperationType.STOCK_COUNT.value, _FACT, StockCount.from_payload, None,
        STEP_WORDS["stock.count"],
    ),
    OpType(
        RESOLVE_EXCEPTION, _INTENTION, ResolveException.from_payload, None,
        STEP_WORDS[RESOLVE_EXCEPTION],
    ),
    _pickup(PickupOp.ACCEPT, _INTENTION),
    _pickup(PickupOp.PICK, _FACT),
    _pickup(PickupOp.STAGE, _INTENTION),
    _pickup(PickupOp.READY, _INTENTION),
    _pickup(PickupOp.HANDOVER, _FACT),
    _pickup(PickupOp.CANCEL, _INTENTION),
    _pickup(PickupOp.RESTOCK, _FACT),
    _pickup(PickupOp.RECEIVE, _FACT),
    _ship(ShipOp.PICK, _FACT),
    _ship(ShipOp.UNPICK, _FACT),
    _ship(ShipOp.REJECT, _INTENTION),
    _ship(ShipOp.PACK, _FACT),
    _ship(ShipOp.LABEL_VOID, _INTENTION),
    # the bench shows its own choice over the pulled one (app.storage.ship_orders)
    OpType(ASSIGN, _INTENTION, ShipAssign.from_payload, None, STEP_WORDS[ASSIGN]),
    _ship(ShipOp.HANDOVER, _FACT),
    # the station keeps its own return until the ledger's comes back (a later step)
    OpType(RETURN_INTAKE, _FACT, parse_return, None, STEP_WORDS[RETURN_INTAKE]),
    # the station keeps where each returned unit went itself (app.storage.rma_units)
    OpType(RETURN_PUT_AWAY, _FACT, parse_put_away, None, STEP_WORDS[RETURN_PUT_AWAY]),
    # a new order, refused when nothing is left anywhere; the station's slip names it
    OpType(EXCHANGE_ORDER, _INTENTION, parse_exchange, None, STEP_WORDS[EXCHANGE_ORDER]),
)  # fmt: skip

OP_TYPES: Mapping[str, OpType] = MappingProxyType({t.name: t for t in _TYPES})
assert set(PICKUP_PAYLOADS) <= set(OP_TYPES), "every pickup payload is a registered type"
assert set(SHIP_PAYLOADS) <= set(OP_TYPES), "every ship payload is a registered type"


def known(op_type: str) -> OpType | None:
    """The registered type named ``op_type``, or None for one this version does not know."""
    return OP_TYPES.get(op_type)


def parse_payload(op_type: str, payload: dict[str, Any]) -> Payload:
    """The validated payload of a wire operation; ``BadInput`` if unknown or malformed."""
    found = known(op_type)
    if found is None:
        raise BadInput(f"Unknown operation type '{op_type}'.")
    return found.parse(payload)
