"""What a scan or typed text is at the counter: which line of the open order it names,
a bin, an item barcode, and the quantity keyed with it. No Qt here.

A scan is one code, never split: a Code 128 may hold ``*`` or ``x`` (``12*345``,
``2XL-TEE``). A quantity comes only from what the associate keyed in the step field
before the scan (``3*`` or ``3x``), or from typed text ``3*CODE`` / ``3x CODE``, which the
service reads with the catalog (the whole text may itself be an SKU such as 2XL-TEE).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.gtin import names_item
from app.services.pickup_results import PickupDetail, PickupLineView
from app.services.pickup_scan import KEYED_QUANTITY, QUANTITY_FIRST


@dataclass(frozen=True)
class Entry:
    """An item entry of a quantity step: ``quantity`` units of ``item``.

    ``keyed``: a quantity was keyed, so the entry is an item, never an order number to
    find. ``typed``: typed text such as ``3x CODE`` whose quantity the service reads
    (``quantity`` is then 1 here, and ``item`` the whole text)."""

    item: str
    quantity: int = 1
    keyed: bool = False
    typed: bool = False

    @property
    def likely_item(self) -> str:
        """The item as the order's lines suggest: for typed ``3x CODE``, ``CODE``."""
        keyed = KEYED_QUANTITY.match(self.item) if self.typed else None
        return self.item if keyed is None else keyed.group(2).strip()


def read_entry(order: PickupDetail, text: str) -> Entry:
    """What text typed in the step field means at a quantity step: ``3*`` alone is a
    quantity for the scan to come; ``3*<item>`` or ``3x <item>`` goes to the service to
    read with the catalog; anything else (or one of the order's SKUs that only looks like
    that) is one unit of the item."""
    code = text.strip()
    if named_line(order, code) is not None:
        return Entry(code)
    first = QUANTITY_FIRST.match(code)
    if first is not None and first.group(2):
        return Entry("", int(first.group(1)), keyed=True)
    if KEYED_QUANTITY.match(code) is not None:
        return Entry(code, keyed=True, typed=True)
    return Entry(code)


def read_scan(field: str, code: str) -> Entry:
    """A scanned ``code``, whole, with the quantity keyed in the step ``field`` before the
    scanner typed: ``3*`` or ``3x``, or ``3`` when the quick ``*`` went into the scan."""
    code = code.strip()
    keyed = QUANTITY_FIRST.match(field)
    if keyed is not None and keyed.group(2):
        return Entry(code, int(keyed.group(1)), keyed=True)
    if keyed is not None and code.startswith("*") and len(code) > 1:
        return Entry(code[1:].strip(), int(keyed.group(1)), keyed=True)
    return Entry(code)


def named_line(order: PickupDetail, text: str) -> PickupLineView | None:
    """The order's line whose SKU or barcode ``text`` is (a GTIN in any of its forms)."""
    for line in order.lines:
        if names_item(text, line.sku, line.gtin):
            return line
    return None


def line_for(order: PickupDetail, scan: str) -> PickupLineView | None:
    """The line with units ready to hand over that a scanned barcode or typed SKU names."""
    for line in order.lines:
        if line.ready_waiting and names_item(scan, line.sku, line.gtin):
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
