"""Fulfilment order states and the transitions between them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Protocol, TypeVar

from app.errors import RuleRefused


class Channel(StrEnum):
    WEB = "web"
    APP = "app"
    MARKETPLACE = "marketplace"
    STORE = "store"


class DeliveryMethod(StrEnum):
    PICKUP = "pickup"
    SHIP = "ship"


class FulfilmentState(StrEnum):
    ROUTED = "routed"
    ACCEPTED = "accepted"
    AWAITING_TRANSFER = "awaiting_transfer"  # ship-for-pickup: coming from the warehouse
    PICKING = "picking"
    PICKED = "picked"
    STAGED = "staged"
    READY_FOR_PICKUP = "ready_for_pickup"
    COLLECTED = "collected"
    PACKED = "packed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    SHORT = "short"
    REJECTED = "rejected"
    REROUTED = "rerouted"
    CANCELLED = "cancelled"
    RETURNED = "returned"  # every unit came back (a return, a parcel returned to origin)


S = FulfilmentState
# A pickup's state is derived from its line counters (app.domain.pickup_view.derive_state),
# so a step may skip ahead (a pick needs no accept; one pick may take the whole order) or
# move back (a partial handover leaves the rest to pick, stage or receive), and the
# ledger may reroute any open order. A final state changes only by a physical fact
# recorded after it (a handover after a cancel: collected, with an exception); that is
# not a move of this machine.
_NEXT: dict[FulfilmentState, frozenset[FulfilmentState]] = {
    S.ROUTED: frozenset(
        {S.ACCEPTED, S.AWAITING_TRANSFER, S.PICKING, S.PICKED, S.SHORT, S.REJECTED,
         S.REROUTED, S.CANCELLED}
    ),
    S.ACCEPTED: frozenset(
        {S.AWAITING_TRANSFER, S.PICKING, S.PICKED, S.SHORT, S.REJECTED, S.REROUTED,
         S.CANCELLED}
    ),
    S.AWAITING_TRANSFER: frozenset(
        {S.PICKING, S.PICKED, S.STAGED, S.READY_FOR_PICKUP, S.COLLECTED, S.CANCELLED,
         S.REROUTED}
    ),
    S.PICKING: frozenset(
        {S.AWAITING_TRANSFER, S.PICKED, S.STAGED, S.READY_FOR_PICKUP, S.COLLECTED, S.SHORT,
         S.REROUTED, S.CANCELLED}
    ),
    S.PICKED: frozenset({S.STAGED, S.PACKED, S.SHORT, S.REROUTED, S.CANCELLED}),
    S.STAGED: frozenset({S.READY_FOR_PICKUP, S.COLLECTED, S.REROUTED, S.CANCELLED}),
    S.READY_FOR_PICKUP: frozenset(
        {S.AWAITING_TRANSFER, S.PICKING, S.STAGED, S.COLLECTED, S.REROUTED, S.CANCELLED}
    ),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.SHORT: frozenset({S.REROUTED, S.CANCELLED, S.COLLECTED}),  # collected: handed over anyway
    S.REJECTED: frozenset({S.REROUTED, S.CANCELLED}),
    S.COLLECTED: frozenset(),
    S.DELIVERED: frozenset(),
    S.REROUTED: frozenset(),
    S.CANCELLED: frozenset(),
    S.RETURNED: frozenset(),  # set by a received return, a physical fact (as above)
}  # fmt: skip
OPEN_STATES = frozenset(s for s, nxt in _NEXT.items() if nxt)


def can_move(current: FulfilmentState, target: FulfilmentState) -> bool:
    return target in _NEXT[current]


def check_move(current: FulfilmentState, target: FulfilmentState) -> None:
    """Raise ``RuleRefused`` when a fulfilment order cannot go from ``current`` to ``target``."""
    if not can_move(current, target):
        raise RuleRefused(
            f"This order is {current.value.replace('_', ' ')}; it cannot become "
            f"{target.value.replace('_', ' ')}."
        )


class _Line(Protocol):
    @property
    def sku(self) -> str: ...


L = TypeVar("L", bound=_Line)


def line_of(lines: Iterable[L], sku: str, order_number: str) -> L:
    """The line of ``sku`` in an order (pickup or ship); refused when it has none."""
    for line in lines:
        if line.sku == sku:
            return line
    raise RuleRefused(
        f"Item {sku} is not part of order {order_number}.",
        next_step="Scan the items of this order only.",
    )
