"""Printing a parcel's shipping label and packing slip at the bench, and reprinting them.

The documents come from the cached order (:mod:`app.labels.parcel_documents`) and the
parcel as the bench packed it (its ``ship.pack`` operation in the outbox). The sender is
this location as the ledger sent it. A failed print leaves the pack recorded: the
packer reprints.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.domain.labels import Address, LabelKind, SlipLine
from app.domain.tax.document import TaxInvoice
from app.errors import BadInput, KnownError, NotFound
from app.labels import parcel_documents as docs
from app.services.printing import PrintService
from app.storage import packing, ship_orders
from app.storage.types import from_text

RETURNS_URL = "https://counterbench.example/returns"  # until the retailer's is master data


@dataclass(frozen=True)
class ParcelPrint:
    """What the label and the slip of one parcel need, read in one transaction."""

    order: docs.ShipOrder
    parcel: docs.Parcel
    ship_from: Address
    store_name: str
    slip: tuple[SlipLine, ...]
    invoice: TaxInvoice | None = None  # the order's, on the slip of its invoiced parcel


def packed_parcel(conn: sqlite3.Connection, sscc: str) -> tuple[dict[str, Any], int]:
    """The parcel payload of the ``ship.pack`` made here for ``sscc``, and its order."""
    row = conn.execute(
        "SELECT payload FROM outbox WHERE type = 'ship.pack' "
        "AND json_extract(payload, '$.parcel.sscc') = ? ORDER BY device_seq DESC LIMIT 1",
        (sscc,),
    ).fetchone()
    if row is None:
        raise NotFound(
            f"Parcel {sscc} was not packed at this bench.",
            next_step="Reprint it at the bench that packed it.",
        )
    payload = json.loads(row[0])
    return payload["parcel"], int(payload["fulfilment_id"])


def sender(conn: sqlite3.Connection) -> tuple[Address, str]:
    """This location as the sender of its parcels, and its name."""
    place = packing.location_row(conn) or {}
    name, city = str(place.get("name") or ""), str(place.get("city") or "")
    pincode = str(place.get("pincode") or "")
    if not (name and city and pincode):
        raise BadInput(
            "This store has no city or pincode on record for the label's sender.",
            next_step="Ask HQ to fill in the store's address, then sync.",
        )
    return Address(name=name, lines=(f"Store {place['code']}",), city=city, postcode=pincode), name


def parcel_print(conn: sqlite3.Connection, sscc: str, number: int, count: int) -> ParcelPrint:
    """The documents' data for parcel ``sscc`` (``number`` of ``count`` of its order)."""
    parcel, fulfilment_id = packed_parcel(conn, sscc)
    row = ship_orders.by_id(conn, fulfilment_id)
    if row is None:
        raise NotFound(f"The order of parcel {sscc} is no longer at this bench.")
    ship_to = row["ship_to"] if isinstance(row["ship_to"], dict) else json.loads(row["ship_to"])
    created = from_text(row["created_at"]).date() if row["created_at"] else date.today()
    order = docs.ShipOrder(
        order_number=str(row["order_number"]),
        ordered_on=created,
        ship_to=ship_to,
        payment=row["payment"],
        cod_minor=row["cod_minor"],
        carrier=str(parcel["carrier"]),
        service=str(row["carrier_service"] or ""),
    )
    items = packing.items_by_sku(conn, [line["sku"] for line in parcel["lines"]])
    slip = tuple(
        SlipLine(int(line["quantity"]), str(line["sku"]), items[line["sku"]].gtin,
                 items[line["sku"]].name)
        for line in parcel["lines"]
    )  # fmt: skip
    ship_from, store = sender(conn)
    sheet = docs.Parcel(sscc, str(parcel["tracking"]), int(parcel["weight_g"]), number, count)
    return ParcelPrint(order, sheet, ship_from, store, slip)


def print_parcel(
    printing: PrintService | None,
    data: ParcelPrint,
    *,
    ship_date: date,
    staff_code: str,
    reprint: bool | None = None,
) -> str:
    """Print the shipping label, then the packing slip; what happened, in words."""
    if printing is None:
        return "Label printing is off at this station; see Printers."
    label = docs.shipping_label(data.order, data.parcel, ship_from=data.ship_from,
                                ship_date=ship_date)  # fmt: skip
    slip = docs.packing_slip(data.order, data.slip, store_name=data.store_name,
                             returns_url=RETURNS_URL, invoice=data.invoice)  # fmt: skip
    said = []
    for kind, document in ((LabelKind.SHIPPING, label), (LabelKind.PACKING_SLIP, slip)):
        try:
            outcome = printing.print_label(kind, document, staff_code=staff_code, reprint=reprint)
        except KnownError as exc:
            said.append(f"{kind.value}: {exc}")
        else:
            said.append(f"{kind.value}: {outcome.said}")
    return " ".join(said)
