"""Ship-for-pickup: a warehouse ships a pickup order to the store, the store receives it.

Pure, like :mod:`app.domain.pickup`. A ship-for-pickup order is a pickup fulfilment
order at the store whose lines carry ``inbound`` units: all of them come from a
warehouse on a transfer (``log["transfer"]`` names it). Stock model:

* until shipped, the units are reserved at the warehouse (``PickupLine.to_ship``), not
  at the store (``reserved_here`` is 0);
* :func:`dispatch` (the ledger's step) moves them out of the warehouse's sellable stock
  (movement ``transfer``, reservation consumed) into the store's ``in_transit`` bucket;
* :func:`receive` (a station's ``pickup.receive``, a physical fact) moves them out of
  ``in_transit`` (movement ``receipt``) into the order's custody: they count as picked,
  so the order is ready to stage. More than was shipped is refused (a double scan or a
  miscount); a partial receipt leaves the rest in transit.

A cancel before shipping releases the warehouse reservation (:func:`source_effects`);
units already in transit still arrive and become a restock task at the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from app.domain.pickup_ops import LineQty
from app.domain.pickup_view import (
    Outcome,
    PickupLine,
    PickupOrder,
    StockEffect,
    derive_state,
)
from app.domain.stock import Bucket, MovementKind
from app.errors import RuleRefused


def _rederive(order: PickupOrder, lines: Iterable[PickupLine]) -> PickupOrder:
    new_lines = tuple(lines)
    draft = replace(order, lines=new_lines)
    return replace(draft, state=derive_state(draft, new_lines))


def source(order: PickupOrder) -> str:
    """The code of the warehouse the order comes from ("" for an ordinary pickup)."""
    transfer = order.log.get("transfer") or {}
    return str(transfer.get("from", ""))


def is_ship_for_pickup(order: PickupOrder) -> bool:
    return any(line.inbound for line in order.lines)


def dispatch(order: PickupOrder) -> Outcome:
    """The warehouse ships every unit it still owes for the order, to the store."""
    lines = []
    effects = []
    for line in order.lines:
        qty = line.to_ship
        if qty:
            kind = MovementKind.TRANSFER
            effects.append(StockEffect(line.item_id, line.sku, qty, 0, kind, Bucket.IN_TRANSIT))
        lines.append(replace(line, shipped=line.shipped + qty) if qty else line)
    if not effects:
        raise RuleRefused(
            f"Nothing of order {order.order_number} is left to ship from the warehouse.",
            next_step="Check the order: it may be shipped already or cancelled.",
        )
    what = ", ".join(f"{e.sku} ×{e.on_hand}" for e in effects)
    note = f"shipped from {source(order) or 'the warehouse'} to {order.location}: {what}"
    return Outcome(_rederive(order, lines), tuple(effects), note=note)


def receive(order: PickupOrder, received: Sequence[LineQty]) -> Outcome:
    """Units of the transfer scanned in at the store: into the order's custody.

    Applied whatever the order's state (the units are here: a cancelled order's become
    a restock task), but never more than the warehouse shipped and is still in transit.
    """
    if not is_ship_for_pickup(order):
        raise RuleRefused(
            f"Order {order.order_number} is not coming from a warehouse; nothing to receive.",
            next_step="Pick its items from the shelf instead.",
        )
    asked = {line.sku: line for line in received}
    for sku in asked:
        order.line(sku)
    lines = []
    effects = []
    for line in order.lines:
        want = asked.get(line.sku)
        if want is None:
            lines.append(line)
            continue
        if want.quantity > line.in_transit:
            raise _over_receipt(order, line, want.quantity)
        new = replace(
            line, received=line.received + want.quantity, picked=line.picked + want.quantity
        )
        reserved = new.reserved_here - line.reserved_here
        effects.append(
            StockEffect(
                line.item_id,
                line.sku,
                -want.quantity,
                reserved,
                MovementKind.RECEIPT,
                Bucket.IN_TRANSIT,
            )
        )
        lines.append(new)
    new_order = _rederive(order, lines)
    note = f"received from {source(order) or 'the warehouse'}: " + ", ".join(
        f"{sku} ×{a.quantity}" for sku, a in asked.items()
    )
    left = sum(line.in_transit for line in new_order.lines)
    if left:
        note += f"; {left} still in transit"
    return Outcome(new_order, tuple(effects), note=note)


def _over_receipt(order: PickupOrder, line: PickupLine, quantity: int) -> RuleRefused:
    item = f"{line.name or line.sku} ({line.sku})"
    if line.shipped == 0:
        return RuleRefused(
            f"{item} of order {order.order_number} has not been shipped from the warehouse yet.",
            next_step="Sync now and scan it again; if it is still refused, call the warehouse.",
        )
    if line.in_transit == 0:
        return RuleRefused(
            f"All {line.shipped} of {item} shipped for order {order.order_number} were "
            "received already.",
            next_step="Nothing more to receive for this item; keep any extra unit aside.",
        )
    return RuleRefused(
        f"Only {line.in_transit} of {item} shipped for order {order.order_number} "
        f"{'is' if line.in_transit == 1 else 'are'} still to be received, not {quantity}.",
        next_step="Count again and receive only what the warehouse shipped.",
    )


def source_effects(old: PickupOrder, new: PickupOrder) -> tuple[StockEffect, ...]:
    """What a step means at the warehouse: units shipped out, reservation changes."""
    effects = []
    for before, after in zip(old.lines, new.lines, strict=True):
        moved = after.shipped - before.shipped
        reserved = after.to_ship - before.to_ship
        if moved or reserved:
            kind = MovementKind.TRANSFER if moved else None
            effects.append(StockEffect(after.item_id, after.sku, -moved, reserved, kind))
    return tuple(effects)


def transfer_status(order: PickupOrder) -> str:
    """open (reserved at the warehouse), shipped (in transit), received or cancelled."""
    if any(line.to_ship for line in order.lines):
        return "open"
    if any(line.in_transit for line in order.lines):
        return "shipped"
    if any(line.shipped for line in order.lines):
        return "received"
    return "cancelled"
