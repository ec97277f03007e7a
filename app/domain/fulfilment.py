"""Fulfilment order states and the transitions between them."""

from __future__ import annotations

from enum import StrEnum

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


S = FulfilmentState
_NEXT: dict[FulfilmentState, frozenset[FulfilmentState]] = {
    S.ROUTED: frozenset({S.ACCEPTED, S.REJECTED, S.CANCELLED}),
    S.ACCEPTED: frozenset({S.PICKING, S.REJECTED, S.CANCELLED}),
    S.AWAITING_TRANSFER: frozenset(
        {S.PICKING, S.PICKED, S.STAGED, S.READY_FOR_PICKUP, S.CANCELLED, S.REROUTED}
    ),
    S.PICKING: frozenset({S.PICKED, S.SHORT, S.CANCELLED}),
    S.PICKED: frozenset({S.STAGED, S.PACKED, S.SHORT, S.CANCELLED}),
    S.STAGED: frozenset({S.READY_FOR_PICKUP, S.CANCELLED}),
    S.READY_FOR_PICKUP: frozenset({S.COLLECTED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.SHORT: frozenset({S.REROUTED, S.CANCELLED}),
    S.REJECTED: frozenset({S.REROUTED, S.CANCELLED}),
    S.COLLECTED: frozenset(),
    S.DELIVERED: frozenset(),
    S.REROUTED: frozenset(),
    S.CANCELLED: frozenset(),
}
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
