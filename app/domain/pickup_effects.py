"""What a pickup step's new line counters mean: the re-derived view, and stock effects;
and the checks every step makes of what it is asked.

Shared by the steps of :mod:`.pickup`, :mod:`.pickup_cancel` and :mod:`.pickup_transfer`.
Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import LineQty
from app.domain.pickup_view import PickupLine, PickupOrder, StockEffect, derive_state
from app.domain.stock import MovementKind
from app.errors import RuleRefused

S = FulfilmentState


def rederive(order: PickupOrder, lines: Iterable[PickupLine], **changes: Any) -> PickupOrder:
    """``order`` with ``lines`` (and any other ``changes``) in the state they derive."""
    new_lines = tuple(lines)
    draft = replace(order, lines=new_lines, **changes)
    return replace(draft, state=derive_state(draft, new_lines))


def reservation_effects(
    old: PickupOrder,
    new_lines: Sequence[PickupLine],
    kinds: dict[str, tuple[int, MovementKind | None]],
) -> tuple[StockEffect, ...]:
    """Effects per line: the movement in ``kinds`` (sku -> qty, kind) and reservation change."""
    effects = []
    for before, after in zip(old.lines, new_lines, strict=True):
        moved, kind = kinds.get(after.sku, (0, None))
        reserved = after.reserved_here - before.reserved_here
        if kind is not None or reserved:
            effects.append(StockEffect(after.item_id, after.sku, moved, reserved, kind))
    return tuple(effects)


def pick_room(line: PickupLine) -> int:
    """Units a pick may still take into the order's custody: picked less restocked never
    exceeds ordered (a handover after a cancel may have taken restocked units again)."""
    return max(0, line.ordered - (line.picked - line.restocked))


def picked_beyond(order: PickupOrder, asked: Iterable[LineQty]) -> dict[str, int]:
    """SKU -> units a pick of ``asked`` takes off the shelf beyond what ``order`` can hold:
    they stay sellable in the book, so they must go back on the shelf."""
    beyond = {}
    for want in asked:
        extra = want.quantity - min(want.quantity, pick_room(order.line(want.sku)))
        if extra:
            beyond[want.sku] = extra
    return beyond


def handed_beyond(order: PickupOrder, asked: Iterable[LineQty]) -> dict[str, int]:
    """SKU -> units a handover of ``asked`` gives beyond what ``order`` still holds (a
    second station handing the same order over): they left the store unbooked, so the
    item must be counted."""
    beyond = {}
    for want in asked:
        line = order.line(want.sku)
        extra = want.quantity - max(0, line.ordered - line.collected)
        if extra > 0:
            beyond[want.sku] = extra
    return beyond


def refuse_closed(order: PickupOrder, doing: str) -> None:
    """Refuse an intention (``doing``: "picked", "cancelled" …) on an order no longer open."""
    if order.state is S.REROUTED:
        raise RuleRefused(
            f"Order {order.order_number} was moved to another store; it cannot be {doing} here.",
            next_step="Put any items of this order back on the shelf.",
        )
    if not order.is_open:
        state = order.state.value.replace("_", " ")
        raise RuleRefused(f"Order {order.order_number} is {state}; it cannot be {doing} now.")


def asked_by_sku(lines: Sequence[LineQty]) -> dict[str, LineQty]:
    """The lines a step asks for, by SKU."""
    return {line.sku: line for line in lines}
