"""The steps of a pickup order at the counter: which comes next, what to tell the
associate before and after it. No Qt here: the Pickup screen shows these texts."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail, PickupLineView

S = FulfilmentState


class Step(Enum):
    """What the open order needs next."""

    ACCEPT = "Accept order"
    PICK = "Pick typed SKU"
    STAGE = "Stage to bin"
    READY = "Mark ready"
    HANDOVER = "Hand over"
    RESTOCK = "Restock typed item"
    NONE = "Nothing to do"


READY_DONE = "Ready for pickup: the customer will get the ready message."
HINTS = {
    Step.ACCEPT: "New order: press F9 to accept it, then pick its items.",
    Step.PICK: "Scan each item to pick it (or type its SKU and press Enter).",
    Step.STAGE: "All picked. Scan the hold-shelf bin label (or type the bin, e.g. H-01).",
    Step.READY: "On the hold shelf. Press F9 to mark it ready: the customer gets the message.",
    Step.HANDOVER: "Ready. When the customer comes, press F9 to verify and hand over.",
    Step.RESTOCK: "Cancelled: scan each item back onto the shelf.",
    Step.NONE: "Nothing left to do for this order.",
}
PLACEHOLDERS = {
    Step.PICK: "Scan an item, or type its SKU and press Enter",
    Step.STAGE: "Scan or type the bin, e.g. H-01, and press Enter",
    Step.RESTOCK: "Scan an item back, or type its SKU and press Enter",
}


def next_step(order: PickupDetail) -> Step:
    """The next thing to do for ``order`` at the counter."""
    state = order.summary.state
    if any(x.restock_due for x in order.lines):
        return Step.RESTOCK
    if state is S.ROUTED:
        return Step.ACCEPT
    if state in (S.ACCEPTED, S.PICKING):
        return Step.PICK if any(x.to_pick for x in order.lines) else Step.STAGE
    return {
        S.PICKED: Step.STAGE,
        S.STAGED: Step.READY,
        S.READY_FOR_PICKUP: Step.HANDOVER,
    }.get(state, Step.NONE)


def what_changed(before: PickupDetail | None, after: PickupDetail, done: str) -> str:
    """The message after a step: what moved, and the progress it makes."""
    s = after.summary
    if done == "Picked":
        moved = _moved(before, after, lambda x: x.picked)
        picked = sum(x.picked for x in after.lines)
        wanted = sum(x.ordered - x.short - x.cancelled for x in after.lines)
        return f"Picked {moved}. {picked} of {wanted} units picked."
    if done == "Staged":
        return f"{s.order_number} is on bin {s.bin}. Press F9 to mark it ready."
    if done == "Restocked":
        left = sum(x.restock_due for x in after.lines)
        return f"Back on the shelf: {_moved(before, after, lambda x: x.restocked)}. {left} left."
    return done


def _moved(before: PickupDetail | None, after: PickupDetail, count: Callable[[Any], int]) -> str:
    old = {x.sku: count(x) for x in before.lines} if before else {}
    for line in after.lines:
        if count(line) > old.get(line.sku, 0):
            return f"{count(line) - old.get(line.sku, 0)} × {line.name or line.sku}"
    return "one unit"


def line_for(order: PickupDetail, scan: str) -> PickupLineView | None:
    """The line a scanned barcode or typed SKU belongs to (GTIN compared without the
    leading zeros that GTIN-8/12/13/14 forms add)."""
    text = scan.strip()
    digits = text.lstrip("0") if text.isdigit() else None
    for line in order.lines:
        if not line.ready_waiting:
            continue
        if text.upper() == line.sku.upper():
            return line
        if digits is not None and line.gtin and line.gtin.lstrip("0") == digits:
            return line
    return None


def looks_like_item(text: str) -> bool:
    """An item barcode: GTIN-8 to GTIN-14 digits (never an order number to search)."""
    text = text.strip()
    return text.isdigit() and 8 <= len(text) <= 14


def is_store_bin(order: PickupDetail, text: str) -> bool:
    """A label of one of the store's hold-shelf bins as configured for the store (or the
    order's own bin). No pattern: another order's number (WEB-0044947) is not a bin."""
    code = text.strip().upper()
    own = (order.summary.bin or "").upper()
    return bool(code) and (code == own or code in (b.upper() for b in order.store_bins))
