"""The shelf checks of a handover and of a restock: the order's bin first, then each
unit taken, by scan.

No Qt here: the handover panel asks ``HandoverChecks`` what a scan means and shows the
answer. A scan that is neither the order's bin, one of its items, an item barcode nor
one of the store's bins is not for the handover (the screen searches it as an order).
The restock step asks ``restock_bin_check`` the same of a scan before the bin's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.services.pickup_results import PickupDetail, PickupLineView
from app.ui.screens.pickup_entry import is_store_bin, line_for, looks_like_item, named_line


@dataclass(frozen=True)
class Checked:
    """What a scan did at the handover: ``ok`` or an error with its next step."""

    ok: bool
    message: str
    next_step: str = ""


def restock_bin_check(order: PickupDetail, text: str, *, bin_checked: bool) -> Checked | None:
    """Restock takes the order's bin first (when it has one): what a scan does before
    then. None: the scan is for the restock step, an item to put back (or no item at
    all: the step refuses it and the screen finds it as an order)."""
    s = order.summary
    if not s.bin or bin_checked:
        return None
    if text.strip().upper() == s.bin.upper():
        return Checked(True, f"Bin {s.bin} checked. Now scan each item back onto the shelf.")
    if is_store_bin(order, text):
        return Checked(
            False,
            f"Wrong bin: {text}. Order {s.order_number} is on bin {s.bin}.",
            f"Find bin {s.bin} on the hold shelf and scan its label.",
        )
    if not looks_like_item(text):
        return None  # maybe another order's number: the step fails and finds it
    return Checked(
        False,
        f"Scan bin {s.bin} first.",
        "Scan the hold-shelf bin label, then each item back to the shelf.",
    )


class HandoverChecks:
    """Which bin and units of one order are scanned at its handover."""

    def __init__(self, order: PickupDetail) -> None:
        self.order = order
        self.bin_checked = not order.summary.bin
        self._scanned = {x.sku: 0 for x in order.lines}

    def scanned(self, sku: str) -> int:
        """Units of line ``sku`` scanned so far."""
        return self._scanned.get(sku, 0)

    def scan(self, code: str) -> Checked | None:
        """Check one scan; None when it is not for the handover."""
        text = code.strip()
        summary = self.order.summary
        bin_code = summary.bin or ""
        if bin_code and text.upper() == bin_code.upper():
            self.bin_checked = True
            return Checked(True, f"Bin {bin_code} checked. Now scan each item.")
        line = line_for(self.order, text)
        if line is not None:
            return self._tick(line.sku, line.name or line.sku, line.ready_waiting)
        other = named_line(self.order, text)
        if other is not None:
            return self._not_ready(other)
        if looks_like_item(text):
            return Checked(
                False,
                f"That item ({text}) is not in order {summary.order_number}.",
                "Leave it out and scan the items on the order's tag.",
            )
        if is_store_bin(self.order, text):
            return Checked(
                False,
                f"Wrong bin: {text}. Order {summary.order_number} is on "
                f"bin {bin_code or 'no bin'}.",
                f"Find bin {bin_code} on the hold shelf and scan its label.",
            )
        return None

    def missing(self, taken: list[str], units: Mapping[str, int] | None = None) -> str:
        """What still has to be scanned before handing over the lines ``taken`` (``units``
        of each when the customer takes fewer than are ready), or ''."""
        if not self.bin_checked:
            return f"Scan bin {self.order.summary.bin} first."
        ready = {x.sku: x for x in self.order.lines}
        wanted = {sku: ready[sku].ready_waiting for sku in taken}
        wanted.update({sku: n for sku, n in (units or {}).items() if sku in wanted})
        left = [sku for sku in taken if self.scanned(sku) < wanted[sku]]
        if not left:
            return ""
        line = ready[left[0]]
        return (
            f"Not every item is scanned: {self.scanned(line.sku)} of {wanted[line.sku]} "
            f"{line.name or line.sku}."
        )

    def _not_ready(self, line: PickupLineView) -> Checked:
        """An item of the order with nothing of its line waiting for the customer."""
        name, number = line.name or line.sku, self.order.summary.order_number
        later = "Only ready items can be handed over; the customer gets a message when it is."
        if line.on_hold_shelf > line.ready_waiting:
            bin_code = self.order.summary.bin
            put = f"Put it back on bin {bin_code}" if bin_code else "Put it back"
            return Checked(
                False, f"{name} is on order {number}, but not ready yet.", f"{put}. {later}"
            )
        if line.to_pick:
            return Checked(
                False,
                f"{name} is on order {number}, but not picked and ready yet.",
                f"Leave it out. {later}",
            )
        if line.collected:
            return Checked(
                False,
                f"{name} of order {number} is handed over already.",
                "Leave this one out: the customer has had every unit of it.",
            )
        return Checked(
            False,
            f"{name} is cancelled on order {number}.",
            "Leave it out: it goes back to the shelf with the order's restock task.",
        )

    def _tick(self, sku: str, name: str, wanted: int) -> Checked:
        if not self.bin_checked:
            return Checked(
                False,
                f"Scan bin {self.order.summary.bin} first.",
                "Scan the hold-shelf bin label, then the items.",
            )
        if self._scanned[sku] >= wanted:
            bin_code = self.order.summary.bin
            back = f"Put the extra unit back on bin {bin_code}" if bin_code else "Put it back"
            return Checked(
                False,
                f"All {wanted} of {name} are scanned already.",
                f"{back}; scan the other items.",
            )
        self._scanned[sku] += 1
        return Checked(True, f"{name}: {self._scanned[sku]} of {wanted} scanned.")
