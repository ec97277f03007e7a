"""The steps of a pickup order at the counter: which comes next, what to tell the
associate before and after it. No Qt here: the Pickup screen shows these texts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum, auto
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail, PickupLineView
from app.ui.screens.pickup_entry import is_store_bin, named_line

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


class Done(Enum):
    """What a step committed: the message after it says what moved, and what follows
    (the pickup tag prints after ``MADE_READY``)."""

    ACCEPTED = auto()
    PICKED = auto()
    MARKED_SHORT = auto()
    RECEIVED = auto()
    STAGED = auto()
    MADE_READY = auto()
    RESTOCKED = auto()


ACCEPTED = "Order accepted. Scan each item to pick it."
READY_DONE = "Ready for pickup: the customer will get the ready message."
OFFLINE_LATER = " once this terminal is back online"  # what waits for the ledger, offline
# The station's copy of an order holds the customer's phone number only (the ledger
# messages by email when there is no phone but an address): without a phone the
# message may not reach the customer, so the counter tells them.
READY_NO_CONTACT = (
    "Ready for pickup. No phone number on this order, so the customer may not get the "
    "ready message: tell them when they call or come in."
)
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


def units_text(n: int) -> str:
    """The count in words: 1 unit, 3 units."""
    return "1 unit" if n == 1 else f"{n} units"


def has_contact(order: PickupDetail) -> bool:
    """Whether the order names a way to message the customer (a phone number)."""
    return bool(order.summary.customer_phone.strip())


def ready_done(order: PickupDetail, *, online: bool = True) -> str:
    """What Mark ready says once done: the customer gets the message (the ledger sends
    it, so offline only once the terminal is back online), or is told here."""
    if not has_contact(order):
        return READY_NO_CONTACT
    return READY_DONE if online else f"{READY_DONE[:-1]}{OFFLINE_LATER}."


def hint_for(order: PickupDetail, step: Step, *, online: bool = True) -> str:
    """What to tell the associate about ``step`` of ``order``, with its progress (the
    ready message waits for the ledger while the terminal is offline)."""
    lines = order.lines
    source = order.from_warehouse
    if step is Step.PICK:
        return f"{_picked_so_far(lines)}. Scan the next item (or type its SKU, then Enter)."
    if step is Step.READY:
        where = f"On bin {order.summary.bin}" if order.summary.bin else "On the hold shelf"
        if has_contact(order):
            later = "" if online else OFFLINE_LATER
            return (
                f"{where}. Press F9 to mark it ready: the customer gets the ready message{later}."
            )
        return (
            f"{where}. Press F9 to mark it ready. No phone number on this order: tell the "
            "customer yourself."
        )
    if step is Step.NONE:
        return _nothing_left(order)
    if step is Step.RESTOCK:
        return restock_hint(order, bin_checked=True)
    received, so_far = sum(x.received for x in lines), _received_so_far(lines)
    if step is Step.RECEIVE and not order_wants_them(order):
        return (
            f"{why_back(order)}: receive each unit from {source} as you unpack the transfer, "
            f"then put it back on the shelf. {so_far}."
        )
    if step is Step.RECEIVE:
        hint = f"From {source}: scan each item as you unpack the transfer. {so_far}"
        stage = received and not order.summary.bin
        return hint + ("; scan a bin to stage them." if stage else ".")
    if step is Step.WAIT:
        done = f" {so_far}." if received else ""
        return (
            f"{HINTS[step]} It comes from {source}.{done} If the transfer is here already, "
            "scan each item as you unpack it."
        )
    if step is Step.STAGE and source:
        if any(x.coming for x in lines):
            return (
                f"{so_far}: scan the hold-shelf bin label to "
                "stage them, or more items as you unpack them."
            )
        return "All received from the warehouse. Scan the hold-shelf bin label (e.g. H-01)."
    return HINTS[step]


def order_wants_them(order: PickupDetail) -> bool:
    """Whether the units still on the warehouse's transfer are for the customer (else the
    order was cancelled, moved or marked short since: they go back to the shelf)."""
    return any(x.coming for x in order.lines)


def why_back(order: PickupDetail) -> str:
    """Why the order's units go back to the shelf, in a few words."""
    return {
        S.COLLECTED: "Left behind at the handover",
        S.REROUTED: "Moved to another store",
        S.SHORT: "Marked short",
    }.get(order.summary.state, "Cancelled")


def restock_hint(order: PickupDetail, *, bin_checked: bool) -> str:
    """Putting units back: the bin's label first (when the order has a bin), then items."""
    s = order.summary
    why = why_back(order)
    if s.bin and not bin_checked:
        return f"{why}: scan bin {s.bin} first, then each item back onto the shelf."
    if s.bin:
        return f"{why}: scan each item from bin {s.bin} back onto the shelf."
    return f"{why}: scan each item back onto the shelf."


def _nothing_left(order: PickupDetail) -> str:
    """What is said of an order with nothing left to do, with where work goes next."""
    then = "Scan the next customer's QR, type an order number, or choose one in the queue."
    said = {
        S.COLLECTED: "Collected: nothing left to do.",
        S.CANCELLED: "Cancelled, and nothing left to put back.",
        S.REROUTED: "Moved to another store: nothing left to do here.",
        S.SHORT: "Marked short: after the next sync, another store fills it or the customer "
        "gets less.",
    }.get(order.summary.state, HINTS[Step.NONE])
    return f"{said} {then}"


def what_changed(
    before: PickupDetail | None, after: PickupDetail, done: Done, *, online: bool = True
) -> str:
    """The message after a step: what moved, and the progress it makes."""
    s = after.summary
    if done is Done.ACCEPTED:
        return ACCEPTED
    if done is Done.MADE_READY:
        return ready_done(after, online=online)
    if done is Done.MARKED_SHORT:
        return f"Marked short: {_moved(before, after, lambda x: x.short)}."
    if done is Done.PICKED:
        moved = _moved(before, after, lambda x: x.picked)
        return f"Picked {moved}. {_picked_so_far(after.lines)}."
    if done is Done.RECEIVED:
        moved = _moved(before, after, lambda x: x.received)
        said = f"Received {moved}. {_received_so_far(after.lines)}."
        if _moved(before, after, lambda x: x.restock_due, nothing=""):  # not for the order
            return f"{said} {why_back(after)}: put it back on the shelf."
        return f"{said} Put it on bin {s.bin}." if s.bin else said
    if done is Done.STAGED:
        if next_step(after) is Step.RECEIVE:
            return f"{s.order_number} is on bin {s.bin}. Receive the rest as it is unpacked."
        return f"{s.order_number} is on bin {s.bin}. Press F9 to mark it ready."
    left = sum(x.restock_due for x in after.lines)
    back = _moved(before, after, lambda x: x.restocked)
    where = f" from bin {s.bin}" if s.bin and left else ""
    return f"Back on the shelf: {back}. {left} left{where}."


def changed_on_ledger(before: PickupDetail, after: PickupDetail) -> str:
    """What a sync brought for the open order, when it changed its state ("" when not):
    cancelled or moved while the counter had it open (the step hint says what now)."""
    old, new = before.summary.state, after.summary.state
    if old is new:
        return ""
    number = after.summary.order_number
    if new is S.CANCELLED:
        why = next((x.cancel_reason for x in after.lines if x.cancel_reason), "")
        said = f"Order {number} was cancelled while it was open here" + (f": {why}" if why else "")
    elif new is S.REROUTED:
        said = f"Order {number} was moved to another store while it was open here"
    else:
        said = f"Order {number} changed while it was open here"
    return f"{said}."


def _picked_so_far(lines: Sequence[PickupLineView]) -> str:
    """Progress of a pick: "2 of 5 units picked" (short and cancelled units not wanted)."""
    picked = sum(x.picked for x in lines)
    wanted = sum(x.ordered - x.short - x.cancelled for x in lines)
    return f"{picked} of {wanted} units picked"


def _received_so_far(lines: Sequence[PickupLineView]) -> str:
    """Progress of a transfer's receipt: "1 of 3 units received"."""
    received, coming = sum(x.received for x in lines), sum(x.inbound for x in lines)
    return f"{received} of {coming} units received"


def _moved(
    before: PickupDetail | None,
    after: PickupDetail,
    count: Callable[[Any], int],
    nothing: str = "one unit",
) -> str:
    """The first line whose ``count`` went up, as "2 × Kurta" (else ``nothing``)."""
    old = {x.sku: count(x) for x in before.lines} if before else {}
    for line in after.lines:
        if count(line) > old.get(line.sku, 0):
            return f"{count(line) - old.get(line.sku, 0)} × {line.name or line.sku}"
    return nothing
