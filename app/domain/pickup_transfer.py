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
  so the order is ready to stage. More than the transfer carries (``inbound`` −
  ``received``) is refused (a double scan or a miscount); a partial receipt leaves the
  rest to come. Units the warehouse has not been recorded as shipping are shipped by the
  receipt first: the truck often comes before the warehouse presses "ship" (the ledger
  opens a ``received_before_shipped`` exception once per transfer; the order's log keeps
  the count in ``transfer.shipped_on_receipt``).

Picked never exceeds ordered (less restocked; the station's restock list relies on it):
the store's shelf is not picked for units coming from the warehouse
(:func:`refuse_shelf_pick`), and units received beyond what the order can still hold
go into the store's sellable stock. A cancel before shipping releases the warehouse reservation
(:func:`source_effects`); units still arriving go to the order and become a restock
task at the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from app.domain.pickup_effects import pick_room, rederive
from app.domain.pickup_ops import LineQty
from app.domain.pickup_view import (
    Outcome,
    PickupLine,
    PickupOrder,
    StockEffect,
)
from app.domain.stock import Bucket, MovementKind
from app.errors import RuleRefused


def source(order: PickupOrder) -> str:
    """The code of the warehouse the order comes from ("" for an ordinary pickup)."""
    transfer = order.log.get("transfer") or {}
    return str(transfer.get("from", ""))


def is_ship_for_pickup(order: PickupOrder) -> bool:
    return any(line.inbound for line in order.lines)


def require_ship_for_pickup(order: PickupOrder) -> None:
    """Refuse receiving for an order that does not come from a warehouse."""
    if not is_ship_for_pickup(order):
        raise RuleRefused(
            f"Order {order.order_number} is not coming from a warehouse; nothing to receive.",
            next_step="Pick its items from the shelf instead.",
        )


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
    return Outcome(rederive(order, lines), tuple(effects), note=note)


def receivable(line: PickupLine) -> int:
    """Units of the line the transfer still carries, shipped or not: what may be received."""
    return max(0, line.inbound - line.received)


def refuse_shelf_pick(order: PickupOrder, asked: Iterable[LineQty]) -> None:
    """Refuse a pick (or short) of units that come from the warehouse on the transfer.

    They are reserved at the warehouse, not on this store's shelf; a line partly from
    the shelf may pick its shelf share (``reserved_here``) only.
    """
    for want in asked:
        line = order.line(want.sku)
        if line.coming and want.quantity + want.short > line.reserved_here:
            item = f"{line.name or line.sku} ({line.sku})"
            where = " ".join(("the warehouse", source(order))).strip()
            units = "1 unit comes" if line.coming == 1 else f"{line.coming} units come"
            raise RuleRefused(
                f"{item} of order {order.order_number}: {units} from {where}. Receive "
                f"{'it' if line.coming == 1 else 'them'} by scan when the transfer arrives.",
                next_step="Leave the store's shelf stock; scan these items as you unpack "
                "the transfer.",
            )


def receive(order: PickupOrder, received: Sequence[LineQty], *, recorded: bool = False) -> Outcome:
    """Units of the transfer scanned in at the store: a physical fact.

    Applied whatever the order's state, up to what the transfer still carries. At the
    counter more is refused (a double scan); once recorded (the ledger: another station
    received the same parcel too) the units beyond it move nothing and the ledger flags
    them to count (:func:`received_beyond`). Units
    beyond what is in transit were not recorded as shipped: they are shipped first
    (movement ``transfer`` into ``in_transit``; at the warehouse, :func:`source_effects`).
    Received units go into the order's custody (as picked) up to ``ordered − picked``;
    for a cancelled line they become a restock task. Any beyond go into the store's
    sellable stock (movement ``receipt``): picked never exceeds ordered.
    """
    require_ship_for_pickup(order)
    asked = {line.sku: line for line in received}
    for sku in asked:
        order.line(sku)
    lines = []
    effects = []
    unshipped: dict[str, int] = {}
    extra: dict[str, int] = {}
    for line in order.lines:
        want = asked.get(line.sku)
        if want is None:
            lines.append(line)
            continue
        qty = want.quantity
        if qty > receivable(line):
            if not recorded:
                raise _over_receipt(order, line, qty)
            qty = receivable(line)
        if not qty:
            lines.append(line)
            continue
        ship = max(0, qty - line.in_transit)
        held = min(qty, pick_room(line))
        new = replace(
            line,
            shipped=line.shipped + ship,
            received=line.received + qty,
            picked=line.picked + held,
        )
        item, sku = line.item_id, line.sku
        if ship:
            unshipped[sku] = ship
            effects.append(
                StockEffect(item, sku, ship, 0, MovementKind.TRANSFER, Bucket.IN_TRANSIT)
            )
        effects.append(StockEffect(item, sku, -qty, 0, MovementKind.RECEIPT, Bucket.IN_TRANSIT))
        reserved = new.reserved_here - line.reserved_here  # held on the store's shelf
        if qty > held:
            extra[sku] = qty - held
        if qty > held or reserved:
            kind = MovementKind.RECEIPT if qty > held else None
            effects.append(StockEffect(item, sku, qty - held, reserved, kind))
        lines.append(new)
    new_order = rederive(order, lines, log=_logged(order.log, unshipped))
    src = source(order) or "the warehouse"
    note = f"received from {src}: " + ", ".join(f"{sku} ×{a.quantity}" for sku, a in asked.items())
    if unshipped:
        note += f"; {src} had not recorded shipping {_listed(unshipped)}: recorded as shipped now"
    if extra:
        note += f"; more than the order holds, into the store's stock: {_listed(extra)}"
    beyond = received_beyond(order, received)
    if beyond:
        note += f"; beyond what the transfer carries, nothing moved: {_listed(beyond)}"
    left = sum(line.in_transit for line in new_order.lines)
    if left:
        note += f"; {left} still in transit"
    return Outcome(new_order, tuple(effects), note=note)


def received_beyond(order: PickupOrder, received: Iterable[LineQty]) -> dict[str, int]:
    """SKU -> units a receipt of ``received`` scans beyond what the transfer still carries."""
    beyond = {}
    for want in received:
        extra = want.quantity - receivable(order.line(want.sku))
        if extra > 0:
            beyond[want.sku] = extra
    return beyond


def _listed(quantities: dict[str, int]) -> str:
    return ", ".join(f"{sku} ×{q}" for sku, q in quantities.items())


def _over_receipt(order: PickupOrder, line: PickupLine, quantity: int) -> RuleRefused:
    item = f"{line.name or line.sku} ({line.sku})"
    left = receivable(line)
    if left == 0:
        return RuleRefused(
            f"All {line.inbound} of {item} coming for order {order.order_number} were "
            "received already.",
            next_step="Nothing more to receive for this item; keep any extra unit aside.",
        )
    return RuleRefused(
        f"Only {left} of {item} for order {order.order_number} "
        f"{'is' if left == 1 else 'are'} still to come from the warehouse, not {quantity}.",
        next_step="Count again and receive only what the transfer carries.",
    )


def _logged(log: dict[str, Any], unshipped: dict[str, int]) -> dict[str, Any]:
    """The order's log with units shipped by receipts added up in ``transfer``."""
    if not unshipped:
        return log
    transfer = dict(log.get("transfer") or {})
    total = dict(transfer.get("shipped_on_receipt") or {})
    for sku, qty in unshipped.items():
        total[sku] = int(total.get(sku, 0)) + qty
    return {**log, "transfer": {**transfer, "shipped_on_receipt": total}}


def shipped_on_receipt(old: PickupOrder, new: PickupOrder) -> dict[str, int]:
    """SKU -> units a receipt shipped because the warehouse had not recorded shipping them."""
    return {
        after.sku: after.shipped - before.shipped
        for before, after in zip(old.lines, new.lines, strict=True)
        if after.received > before.received and after.shipped > before.shipped
    }


def received_before_shipped(order: PickupOrder) -> bool:
    """Whether a receipt has shipped units of ``order`` the warehouse had not recorded
    shipping (the ledger flags a transfer once, not at every scan)."""
    return bool((order.log.get("transfer") or {}).get("shipped_on_receipt"))


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
