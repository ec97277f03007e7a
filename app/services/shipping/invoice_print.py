"""The order's tax invoice as its packing slip prints it, made offline at the bench.

The invoice is the order's (one per order) under the number its first pack took; it
prints with the slip of the parcel whose ``ship.pack`` carried the number, and a reprint
of that parcel prints it again, same number and date. Amounts come from
:mod:`app.domain.tax` with the GST rates the ledger sent (scope ``gst_rates``): the
seller is this location with its GSTIN, the buyer the delivery address, whose state is
the place of supply. The order's units are what it ships from here (ordered less
refused: the line's ``short``), at the prices the order line carries (tax included).
This location's shares of the order's discount and shipping charge come with the order
(the ledger shares them over the locations shipping it, :mod:`app.ledger.order_charges`):
the discount is shared over the lines by their value and the shipping charge is a
taxable line of its own at the highest rate of the goods (:mod:`app.domain.tax.invoice`).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.domain.labels import Address
from app.domain.tax.document import Seller, TaxInvoice, tax_invoice
from app.domain.tax.invoice import Sale, SaleLine
from app.errors import BadInput, KnownError
from app.labels.parcel_documents import delivery_address
from app.storage import invoices, ship_orders


def order_tax_invoice(conn: sqlite3.Connection, fulfilment_id: int) -> TaxInvoice | None:
    """The order's tax invoice, or None when it was packed without a number."""
    kept = invoices.order_invoice(conn, fulfilment_id)
    row = ship_orders.by_id(conn, fulfilment_id)
    if kept is None or row is None:
        return None
    number, on = kept
    return tax_invoice(
        _sale(conn, row),
        invoices.gst_rate_table(conn),
        number=number,
        on=on,
        order_number=str(row["order_number"]),
        seller=_seller(conn),
        buyer=delivery_address(_json(row["ship_to"]) or {}),
    )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _sale(conn: sqlite3.Connection, row: dict[str, Any]) -> Sale:
    """What the customer bought from here: the lines' units still leaving (a unit this
    location refused is shipped and invoiced by another), with this location's shares
    of the order's discount and shipping charge."""
    lines: list[dict[str, Any]] = _json(row["lines"]) or []
    facts = invoices.item_tax_facts(conn, [str(line["sku"]) for line in lines])
    sold = []
    for line in lines:
        sku = str(line["sku"])
        units = int(line.get("quantity") or 0) - int(line.get("short") or 0)
        name, hsn, own_rate = facts.get(sku, (str(line.get("name") or sku), "", None))
        if units > 0:
            sold.append(
                SaleLine(str(line.get("name") or name), hsn, units,
                         int(line.get("price_minor") or 0), sku=sku, item_rate_bp=own_rate)
            )  # fmt: skip
    return Sale(
        tuple(sold),
        discount_minor=int(row.get("discount_minor") or 0),
        shipping_minor=int(row.get("shipping_minor") or 0),
    )


def _seller(conn: sqlite3.Connection) -> Seller:
    place = invoices.seller_row(conn)
    if not place.get("gstin") or not place.get("pincode"):
        raise BadInput(
            "This store has no GSTIN or pincode on record, so its tax invoice cannot print.",
            next_step="Ask HQ to fill in the store's GSTIN and address, then sync and reprint.",
        )
    address = Address(
        name=place["name"], lines=(f"Store {place['code']}",), city=place["city"] or "-",
        postcode=place["pincode"],
    )  # fmt: skip
    return Seller(place["name"], address, place["gstin"])


def slip_invoice(
    conn: sqlite3.Connection, sscc: str, fulfilment_id: int
) -> tuple[TaxInvoice | None, str]:
    """The invoice to print on parcel ``sscc``'s slip (the order's, when this parcel's
    pack carried its number: the first parcel), and why it cannot print, in words. The
    label and a plain slip print either way; the invoice is reprinted once fixed."""
    carried = conn.execute(
        "SELECT 1 FROM outbox WHERE type = 'ship.pack' AND json_extract(payload, "
        "'$.parcel.sscc') = ? AND json_extract(payload, '$.invoice') IS NOT NULL",
        (sscc,),
    ).fetchone()
    if not carried:
        return None, ""
    try:
        return order_tax_invoice(conn, fulfilment_id), ""
    except KnownError as exc:
        step = f" {exc.next_step}" if exc.next_step else ""
        return None, f"Its tax invoice did not print: {exc.message}{step}"
