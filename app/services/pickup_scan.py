"""What a scan or typed text names in a pickup order: a line, an item of the catalog not
in the order, or nothing known; and a quantity keyed in typed text (``3*SKU``).

A scanned code is one code, whatever characters it holds (a Code 128 may be ``12*345``
or ``2XL-TEE``): only typed text may carry a keyed quantity, and only when the whole
text is not itself an item here (the catalog decides: SKU ``2XL-TEE`` is one T-shirt,
``2x L-TEE`` two of another).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from app.domain.gtin import gtin_forms, names_item
from app.domain.pickup import PickupLine, PickupOrder
from app.errors import NotFound, RuleRefused
from app.storage import catalog

# "3*SKU", "3x 8901234567893", "12 × SKU": a quantity of up to 4 digits, then the item
KEYED_QUANTITY = re.compile(r"^\s*(\d{1,4})\s*[*xX×]\s*(.*)$")
# "3*" or "3x" keyed before a scan; a bare "3" when a quick "*" went into the scan
QUANTITY_FIRST = re.compile(r"^\s*(\d{1,4})\s*([*xX×]?)\s*$")
KEY_A_QUANTITY = "For 3 units: type 3* and scan the item, or 3x and its SKU."

Needed = Callable[[PickupLine], int]


def line_for_scan(order: PickupOrder, scan: str) -> str:
    """The SKU of the order's line a scanned GTIN or typed SKU names."""
    text = scan.strip()
    for line in order.lines:
        if names_item(text, line.sku, line.gtin):
            return line.sku
    raise RuleRefused(
        f"{text} is not an item of order {order.order_number}.",
        next_step="Put it back and scan the items of this order only.",
    )


def catalog_items(conn: sqlite3.Connection, code: str) -> list[catalog.ItemRow]:
    """The catalog's items a scanned GTIN (in any of its forms) or typed SKU names."""
    text = code.strip()
    forms = sorted(gtin_forms(text))
    return (forms and catalog.by_gtin(conn, forms)) or catalog.by_sku(conn, text)


def line_of_scan(
    conn: sqlite3.Connection, order: PickupOrder, scan: str, needed: Needed | None = None
) -> str:
    """The SKU of the order's line a scan names. An unknown code is ``NotFound``; an item
    of the catalog that is not in the order is refused naming it and, with ``needed``
    (units a line still needs in this step), what the order needs instead."""
    try:
        return line_for_scan(order, scan)
    except RuleRefused as refused:
        text = scan.strip()
        known = catalog_items(conn, text)
        if not known:
            raise NotFound(
                f"No item with barcode or SKU '{text}' is known here.",
                next_step="Scan the barcode again, or key the SKU from the label.",
            ) from None
        if needed is None:
            raise refused from None
        raise wrong_item(order, f"{known[0].name} ({known[0].sku})", needed) from None


def read_typed(
    conn: sqlite3.Connection, order: PickupOrder, text: str, quantity: int = 1
) -> tuple[str, int]:
    """Text the associate typed at a quantity step: (item, quantity). The whole text when
    it names an item (a line of the order or an item of the catalog), else ``3*CODE`` or
    ``3x CODE`` is 3 units of CODE (the keyed number replaces ``quantity``)."""
    code = text.strip()
    keyed = KEYED_QUANTITY.match(code)
    if keyed is None or names_a_line(order, code) or catalog_items(conn, code):
        return code, quantity
    if int(keyed.group(1)) < 1:
        raise RuleRefused("Key a quantity of 1 or more before the *.", next_step=KEY_A_QUANTITY)
    return keyed.group(2).strip(), int(keyed.group(1))


def names_a_line(order: PickupOrder, code: str) -> bool:
    return any(names_item(code, line.sku, line.gtin) for line in order.lines)


def wrong_item(order: PickupOrder, scanned: str, needed: Needed) -> RuleRefused:
    """The refusal of an item that is not in ``order``: what was scanned, what is needed."""
    wants = [f"{needed(x)} × {x.name or x.sku}" for x in order.lines if needed(x) > 0]
    if not wants:
        return RuleRefused(
            f"Wrong item: {scanned} is not in order {order.order_number}, "
            "and nothing more is needed for it.",
            next_step="Put it back.",
        )
    shown = ", ".join(wants[:3]) + (f" and {len(wants) - 3} more" if len(wants) > 3 else "")
    return RuleRefused(
        f"Wrong item: {scanned} is not in order {order.order_number}. It needs {shown}.",
        next_step="Put it back and scan one of the order's items.",
    )


def more_than_needed(
    order: PickupOrder, line: PickupLine, quantity: int, left: int, done: str
) -> RuleRefused:
    """A keyed quantity (or one scan too many) over what the line still needs."""
    item = f"{line.name or line.sku} ({line.sku})"
    if left == 0:
        return RuleRefused(
            f"{item} of order {order.order_number} is {done} already: no more is needed.",
            next_step="Put the extra unit back on the shelf.",
        )
    return RuleRefused(
        f"Only {left} more of {item} {'is' if left == 1 else 'are'} to be {done} for order "
        f"{order.order_number}, not {quantity}.",
        next_step=("Scan it once" if left == 1 else f"Key {left}* and scan it")
        + (", and put the extra back on the shelf." if done == "picked" else "."),
    )
