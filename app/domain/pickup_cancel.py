"""Ending a pickup without a handover: cancelling units, the no-show expiry, the ledger
moving the order away, and putting units back on the shelf (the restock task).

The steps of :mod:`.pickup` (which dispatches to these too); same counters and stock
model. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_effects import (
    asked_by_sku,
    rederive,
    refuse_closed,
    reservation_effects,
)
from app.domain.pickup_ops import LineQty
from app.domain.pickup_view import Outcome, PickupOrder
from app.domain.stock import MovementKind
from app.errors import BadInput, RuleRefused

S = FulfilmentState


def cancel(
    order: PickupOrder, reason: str, lines: Sequence[LineQty] = (), *, by: str = "store"
) -> Outcome:
    """Cancel units not yet collected (all when ``lines`` is empty): an intention.

    Unpicked units release their reservation; picked ones become units to restock.
    """
    if not reason:
        raise BadInput("Give a reason for the cancellation.")
    refuse_closed(order, "cancelled")
    asked = asked_by_sku(lines)
    for sku in asked:
        order.line(sku)
    new_lines = []
    for line in order.lines:
        want = asked.get(line.sku)
        qty = line.cancellable if not asked else (want.quantity if want else 0)
        if qty > line.cancellable:
            raise RuleRefused(f"Only {line.cancellable} of {line.sku} can still be cancelled.")
        new_lines.append(
            replace(line, cancelled=line.cancelled + qty, cancel_reason=reason) if qty else line
        )
    if new_lines == list(order.lines):
        raise RuleRefused(f"Nothing of order {order.order_number} is left to cancel.")
    new = rederive(order, new_lines)
    log = dict(order.log)
    log["cancels"] = [*order.log.get("cancels", []), {"by": by, "reason": reason}]
    new = replace(new, log=log)
    return Outcome(
        new, reservation_effects(order, new.lines, {}), note=f"cancelled ({by}): {reason}"
    )


def expire_hold(order: PickupOrder, now: datetime) -> Outcome | None:
    """No-show: cancel what is uncollected once ``pickup_by`` has passed (server time)."""
    if not order.is_open or order.pickup_by is None or now < order.pickup_by:
        return None
    return cancel(order, "not collected by " + order.pickup_by.isoformat(), by="expiry")


def reroute_away(order: PickupOrder, reason: str) -> Outcome:
    """The ledger moves the order elsewhere: unpicked units free their reservation here."""
    refuse_closed(order, "moved")
    lines = [replace(line, cancelled=line.cancelled + line.to_pick) for line in order.lines]
    new = replace(order, lines=tuple(lines), state=S.REROUTED)
    return Outcome(new, reservation_effects(order, new.lines, {}), note=f"rerouted: {reason}")


def restock(order: PickupOrder, lines: Sequence[LineQty], *, recorded: bool = False) -> Outcome:
    """Units scanned back to the shelf (a physical fact), up to what is due back.

    At the counter refused when none of the scanned units was waiting to go back (a
    double scan). Once recorded (the ledger) it is applied all the same: units beyond
    what is due were never off the shelf in the book (a double scan, or units picked
    beyond the order), so they move nothing and the note says so.
    """
    asked = asked_by_sku(lines)
    new_lines = []
    kinds: dict[str, tuple[int, MovementKind | None]] = {}
    for sku in asked:
        order.line(sku)
    for line in order.lines:
        want = asked.get(line.sku)
        qty = min(want.quantity, line.restock_due) if want else 0
        if qty:
            kinds[line.sku] = (qty, MovementKind.RELEASE)
            line = replace(line, restocked=line.restocked + qty)
        new_lines.append(line)
    if not kinds and not recorded:
        raise RuleRefused(
            f"Nothing of order {order.order_number} is waiting to go back to the shelf.",
            next_step="Check the order's restock task; it may be done already.",
        )
    new = rederive(order, new_lines)
    note = "restocked " + ", ".join(f"{sku} ×{q}" for sku, (q, _) in kinds.items())
    beyond = {
        sku: a.quantity - kinds.get(sku, (0, None))[0]
        for sku, a in asked.items()
        if a.quantity > kinds.get(sku, (0, None))[0]
    }
    if beyond:
        note = (note + "; " if kinds else "") + "put back, the book had them on the shelf: "
        note += ", ".join(f"{sku} ×{n}" for sku, n in beyond.items())
    return Outcome(new, reservation_effects(order, new.lines, kinds), note=note)


def restock_due(order: PickupOrder) -> dict[str, int]:
    """SKU -> units of this order waiting to go back to the shelf (the restock task)."""
    return {line.sku: line.restock_due for line in order.lines if line.restock_due}
