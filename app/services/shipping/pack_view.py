"""The bench's view of a ship order at the pack step: the pulled base, the ship ops made
here replayed over it (the same :func:`app.domain.shipping.steps.apply_step` the ledger
applies), the parcel being filled, and the box suggested for it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from app.domain.shipping.boxes import BoxType, PackItem, suggest_boxes
from app.domain.shipping.ops import parse_ship
from app.domain.shipping.order_view import ShipOrder
from app.domain.shipping.rows import ship_order_from_row
from app.domain.shipping.steps import apply_step
from app.errors import BadInput, NotFound, RuleRefused
from app.services.shipping.pack_results import PackedParcelView, PackLine, PackView
from app.storage import packing, pickups, ship_orders

# Boxes are the ledger's master data, sent with the station's location row. A cache that
# has none for its location (not pulled yet, or a location with no boxes) uses this
# catalogue (inner mm, empty weight g, most it carries g).
DEFAULT_BOXES = (
    BoxType("BX-S", "Small box", 250, 200, 100, 150, 5_000),
    BoxType("BX-M", "Medium box", 350, 250, 150, 250, 10_000),
    BoxType("BX-L", "Large box", 450, 350, 250, 400, 20_000),
    BoxType("BX-XL", "Extra large box", 600, 400, 400, 700, 30_000),
)
OWN_BOX = "OWN"  # items with no size on record: the packer's choice of box
_BOX_FIELDS = ("code", "name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g")


@dataclass(frozen=True)
class Current:
    """A ship order at the pack step as this bench sees it now."""

    order: ShipOrder
    row: dict[str, Any]
    open_units: dict[str, int]


def current(conn: sqlite3.Connection, fulfilment_id: int) -> Current:
    """The order now; ``NotFound`` when it is not a ship order cached here."""
    row = ship_orders.by_id(conn, fulfilment_id)
    if row is None:
        raise NotFound(
            f"Ship order {fulfilment_id} is not at this bench.",
            next_step="Scan the tote or the order number again.",
        )
    order = ship_order_from_row({**row, "parcels": packing.parcels_text(conn, fulfilment_id)})
    for made in packing.unconfirmed_ship_ops(conn, pickups.sync_cursor(conn), fulfilment_id):
        try:
            order = apply_step(order, parse_ship(made.type, made.payload), recorded=True).order
        except (RuleRefused, BadInput, ValueError):
            continue  # the ledger refuses it too; it shows in Exceptions
    return Current(order, row, packing.open_units(conn, fulfilment_id))


def pack_items(
    conn: sqlite3.Connection, units: dict[str, int]
) -> tuple[list[PackItem], dict[str, str]]:
    """The items of ``units`` with their sizes and weights, and SKU -> name."""
    facts = packing.items_by_sku(conn, list(units))
    items, names = [], {}
    for sku, n in units.items():
        f = facts.get(sku)
        dims = (f.length_mm, f.width_mm, f.height_mm, f.weight_g) if f else (0, 0, 0, 0)
        items.append(PackItem(sku, f.name if f else sku, n, *dims))
        names[sku] = f.name if f else sku
    return items, names


def location_boxes(conn: sqlite3.Connection) -> tuple[BoxType, ...]:
    """The boxes of this station's location, or :data:`DEFAULT_BOXES` when none are cached."""
    cached = packing.location_boxes(conn)
    try:
        boxes = tuple(BoxType(**{f: b[f] for f in _BOX_FIELDS}) for b in cached)
    except (KeyError, TypeError, BadInput):
        return DEFAULT_BOXES  # a row this program cannot read: the built-in catalogue
    return boxes or DEFAULT_BOXES


def box_for(conn: sqlite3.Connection, units: dict[str, int]) -> tuple[str, int, int]:
    """(box code, expected weight g, parcels suggested) for ``units`` in one parcel."""
    if not units:
        return "", 0, 0
    items, _ = pack_items(conn, units)
    suggestion = suggest_boxes(items, location_boxes(conn))
    bare = sum(i.weight_g * i.quantity for i in items)
    if len(suggestion.parcels) == 1 and not suggestion.unboxed:
        return suggestion.parcels[0].box.code, bare + suggestion.parcels[0].box.tare_g, 1
    return OWN_BOX, bare, max(1, len(suggestion.parcels) + len(suggestion.unboxed))


def still_to_pack(view: Current) -> dict[str, int]:
    """SKU -> units picked for the order, in no parcel and not in the one being filled."""
    order = view.order
    left = {ln.sku: order.to_pack(ln) - view.open_units.get(ln.sku, 0) for ln in order.lines}
    return {sku: n for sku, n in left.items() if n > 0}


def next_step(view: Current, parcel_units: int, left: dict[str, int]) -> str:
    """The one line that says what the packer does next."""
    if view.order.closed_centrally:
        return "This order was closed by HQ: put its items back on the shelf (Unpick)."
    if parcel_units and left:
        return "Scan the next item, or weigh the parcel and press Enter to close it."
    if parcel_units:
        return "Everything is in the parcel: weigh it and press Enter to close and print."
    if left:
        return "Scan each item into the parcel."
    if any(view.order.unpick_due(ln) for ln in view.order.lines):
        return "Nothing is left to pack here; put the extra units back on the shelf."
    to_pick = sum(view.order.to_pick(ln) for ln in view.order.lines)
    if to_pick:
        return _still_to_pick(view.order, to_pick)
    return "Order packed. Stick the labels on, then scan the next tote or order."


def _still_to_pick(order: ShipOrder, to_pick: int) -> str:
    """What to do when units of the order are still on the shelf."""
    units = (
        f"{to_pick} unit of {order.order_number} is"
        if to_pick == 1
        else (f"{to_pick} units of {order.order_number} are")
    )
    if not any(ln.packed for ln in order.lines):
        return (
            f"Nothing of {order.order_number} is picked yet: pick it first (F10 Batch "
            "pick), then scan its tote here."
        )
    return f"Everything picked is packed; {units} still to pick (F10 Batch pick)."


def pack_view(conn: sqlite3.Connection, view: Current) -> PackView:
    """What the pack screen shows of ``view``."""
    order = view.order
    left = still_to_pack(view)
    suggest_for = view.open_units or left
    box, expected, _ = box_for(conn, suggest_for)
    facts = packing.items_by_sku(conn, [ln.sku for ln in order.lines])
    lines = tuple(
        PackLine(ln.sku, ln.name or (facts[ln.sku].name if ln.sku in facts else ln.sku),
                 ln.wanted, ln.packed, view.open_units.get(ln.sku, 0), left.get(ln.sku, 0),
                 facts[ln.sku].gtin if ln.sku in facts else ln.gtin)
        for ln in order.lines
    )  # fmt: skip
    parcels = tuple(
        PackedParcelView(p.sscc, sum(n for _, n in p.lines), p.void) for p in order.parcels
    )
    return PackView(
        fulfilment_id=order.id,
        order_number=order.order_number,
        state=order.state.value,
        carrier=str(view.row.get("carrier") or ""),
        lines=lines,
        parcel=tuple(view.open_units.items()),
        box=box,
        expected_g=expected if view.open_units else 0,
        parcels=parcels,
        next_step=next_step(view, sum(view.open_units.values()), left),
    )
