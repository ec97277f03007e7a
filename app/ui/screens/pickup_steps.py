"""The steps of a pickup order at the counter: which comes next, what to tell the
associate before and after it. No Qt here: the Pickup screen shows these texts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail, PickupLineView

S = FulfilmentState


class Step(Enum):
    """What the open order needs next."""

    ACCEPT = "Accept order"
    PICK = "Pick typed SKU"
    RECEIVE = "Receive typed item"
    WAIT = "Wait for warehouse"
    STAGE = "Stage to bin"
    READY = "Mark ready"
    HANDOVER = "Hand over"
    RESTOCK = "Restock typed item"
    NONE = "Nothing to do"


READY_DONE = "Ready for pickup: the customer will get the ready message."
HINTS = {
    Step.ACCEPT: "New order: press F9 to accept it, then pick its items.",
    Step.PICK: "Scan each item to pick it (or type its SKU and press Enter).",
    Step.RECEIVE: "From the warehouse: scan each item as you unpack the transfer.",
    Step.WAIT: "Waiting for the warehouse to ship it.",
    Step.STAGE: "All picked. Scan the hold-shelf bin label (or type the bin, e.g. H-01).",
    Step.READY: "On the hold shelf. Press F9 to mark it ready: the customer gets the message.",
    Step.HANDOVER: "Ready. When the customer comes, press F9 to verify and hand over.",
    Step.RESTOCK: "Cancelled: scan each item back onto the shelf.",
    Step.NONE: "Nothing left to do for this order.",
}
KEYED = "key 3* first for 3 units"
PLACEHOLDERS = {
    Step.PICK: f"Scan or type an item; {KEYED}",
    Step.RECEIVE: f"Scan or type an item; {KEYED}",
    Step.STAGE: "Scan or type the bin, e.g. H-01, and press Enter",
    Step.RESTOCK: f"Scan an item back; {KEYED}",
}


def next_step(order: PickupDetail) -> Step:
    """The next thing to do for ``order`` at the counter."""
    state = order.summary.state
    if any(x.restock_due for x in order.lines):
        return Step.RESTOCK
    if state is S.ROUTED:
        return Step.ACCEPT
    in_transit = any(x.in_transit for x in order.lines)
    if in_transit and state not in (S.READY_FOR_PICKUP, S.COLLECTED):
        return Step.RECEIVE  # a cancelled order's units too: then they go back
    if state is S.AWAITING_TRANSFER:  # nothing in transit: the warehouse has yet to ship
        here = any(x.on_hold_shelf for x in order.lines)
        return Step.STAGE if here and not order.summary.bin else Step.WAIT
    if state in (S.ACCEPTED, S.PICKING):
        return Step.PICK if any(x.to_pick for x in order.lines) else Step.STAGE
    return {
        S.PICKED: Step.STAGE,
        S.STAGED: Step.READY,
        S.READY_FOR_PICKUP: Step.HANDOVER,
    }.get(state, Step.NONE)


def scan_means(order: PickupDetail, step: Step, item: str) -> Step:
    """What a scanned or typed ``item`` does at ``step``. While units are still coming
    from the warehouse, one of the store's bins stages what is here, and an item is
    received (the transfer may be unpacked before the ledger says it left) unless what
    is left of its line is on the store's shelf, to pick."""
    if step not in (Step.PICK, Step.RECEIVE, Step.WAIT, Step.STAGE):
        return step
    if not any(x.coming for x in order.lines):
        return step
    if is_store_bin(order, item):
        return Step.STAGE
    line = named_line(order, item)
    if line is None:
        return Step.PICK if step is Step.PICK else Step.RECEIVE
    shelf = line.to_pick > line.coming and not line.in_transit
    return Step.PICK if shelf else Step.RECEIVE


def hint_for(order: PickupDetail, step: Step) -> str:
    """What to tell the associate about ``step`` of ``order``, with its progress."""
    lines = order.lines
    source = order.from_warehouse
    if step is Step.PICK:
        picked = sum(x.picked for x in lines)
        wanted = sum(x.ordered - x.short - x.cancelled for x in lines)
        return f"{HINTS[step]}  {picked} of {wanted} units picked."
    received, coming = sum(x.received for x in lines), sum(x.inbound for x in lines)
    if step is Step.RECEIVE:
        hint = f"From {source}: scan each item as you unpack the transfer."
        hint += f" {received} of {coming} units received"
        stage = received and not order.summary.bin
        return hint + ("; scan a bin to stage them." if stage else ".")
    if step is Step.WAIT:
        done = f" {received} of {coming} units received." if received else ""
        return (
            f"{HINTS[step]} It comes from {source}.{done} If the transfer is here already, "
            "scan each item as you unpack it."
        )
    if step is Step.STAGE and source:
        if any(x.coming for x in lines):
            return (
                f"{received} of {coming} units received: scan the hold-shelf bin label to "
                "stage them, or more items as you unpack them."
            )
        return "All received from the warehouse. Scan the hold-shelf bin label (e.g. H-01)."
    return HINTS[step]


def what_changed(before: PickupDetail | None, after: PickupDetail, done: str) -> str:
    """The message after a step: what moved, and the progress it makes."""
    s = after.summary
    if done == "Picked":
        moved = _moved(before, after, lambda x: x.picked)
        picked = sum(x.picked for x in after.lines)
        wanted = sum(x.ordered - x.short - x.cancelled for x in after.lines)
        return f"Picked {moved}. {picked} of {wanted} units picked."
    if done == "Received":
        moved = _moved(before, after, lambda x: x.received)
        received = sum(x.received for x in after.lines)
        coming = sum(x.inbound for x in after.lines)
        put = f" Put it on bin {s.bin}." if s.bin else ""
        return f"Received {moved}. {received} of {coming} units received.{put}"
    if done == "Staged":
        if next_step(after) is Step.RECEIVE:
            return f"{s.order_number} is on bin {s.bin}. Receive the rest as it is unpacked."
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


_KEYED_QUANTITY = re.compile(r"^\s*(\d{1,4})\s*[*xX×]\s*(.*)$")
_QUANTITY_FIRST = re.compile(r"^\s*(\d{1,4})\s*([*xX×]?)\s*$")


@dataclass(frozen=True)
class Entry:
    """An item entry of a quantity step: ``quantity`` units of ``item``; ``keyed`` when
    the associate keyed the quantity (``3*8901234567890``, ``3x SKU-1``)."""

    item: str
    quantity: int = 1
    keyed: bool = False


def read_entry(order: PickupDetail, text: str) -> Entry:
    """What typed text means in a quantity step: ``3*<item>`` or ``3x <item>`` is 3 units
    of the item; anything else (an SKU that only looks like it too) is one unit."""
    match = _KEYED_QUANTITY.match(text)
    if match is None or names_a_line(order, text):
        return Entry(text.strip())
    return Entry(match.group(2).strip(), int(match.group(1)), keyed=True)


def read_scan(order: PickupDetail, field: str, code: str) -> Entry:
    """A scanned ``code`` with what the step field held before the scanner typed: a keyed
    ``3*`` (or ``3`` when a quick ``*`` went into the scan) sets the quantity."""
    match = _QUANTITY_FIRST.match(field)
    if match is not None and match.group(2):
        return Entry(code.strip(), int(match.group(1)), keyed=True)
    if match is not None and code.startswith("*"):
        return Entry(code[1:].strip(), int(match.group(1)), keyed=True)
    return read_entry(order, code)  # "3*…" typed as fast as a scanner types


def names_a_line(order: PickupDetail, text: str) -> bool:
    """Whether ``text`` is the SKU or barcode of one of the order's lines."""
    return named_line(order, text) is not None


def named_line(order: PickupDetail, text: str) -> PickupLineView | None:
    """The order's line whose SKU or barcode ``text`` is (GTINs without leading zeros)."""
    code = text.strip()
    digits = code.lstrip("0") if code.isdigit() else None
    for x in order.lines:
        if code.upper() == x.sku.upper() or (bool(digits) and x.gtin.lstrip("0") == digits):
            return x
    return None
