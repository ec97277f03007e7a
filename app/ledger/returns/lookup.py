"""Finding what was bought, for a return at any store: by order or receipt number, the
customer's phone or e-mail, an item (recent orders containing it) or a returned parcel.

Only a station at a location that takes returns may look; it sees only what a return
needs (:mod:`app.sync.return_orders`), never the customer's full name, phone, e-mail or
address. Every lookup is written to the audit log: who asked, from which station, what
was asked and how many orders were found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, select

from app.domain.tax.states import STATE_NAMES
from app.domain.till_sales import email_key, first_name, phone_key, phone_last4
from app.errors import BadInput, KnownError
from app.ledger.devices import DeviceRef
from app.ledger.models import (
    FulfilmentLine,
    FulfilmentOrder,
    Item,
    Location,
    Order,
    OrderInvoice,
    OrderLine,
    Parcel,
    TillReceipt,
    table_of,
)
from app.ledger.returns.returned import earlier_returns, shipping_refunded
from app.ledger.tracking.delivered import delivered_lines
from app.ledger.writes import WriteBatch, aware
from app.sync.return_orders import (
    MAX_FOUND,
    EarlierReturnOut,
    FromLocation,
    MaskedCustomer,
    ReturnLine,
    ReturnOrder,
    ReturnOrdersFound,
)

Asked = Literal["order", "phone", "email", "gtin", "parcel"]
orders = table_of(Order)
order_lines = table_of(OrderLine)
items = table_of(Item)
locations = table_of(Location)
receipts = table_of(TillReceipt)
fulfilments = table_of(FulfilmentOrder)
fulfilment_lines = table_of(FulfilmentLine)
parcels = table_of(Parcel)
order_invoices = table_of(OrderInvoice)
GONE = ("rerouted", "cancelled", "rejected")  # fulfilment orders nothing left from


class ReturnsNotTaken(KnownError):
    """The asking station's location does not take returns (answered with 403)."""


@dataclass(frozen=True)
class Place:
    code: str
    gstin: str

    def out(self) -> FromLocation:
        code = self.gstin[:2]
        return FromLocation(code=self.code, state_code=code, state=STATE_NAMES.get(code, ""))


def find_orders(
    engine: Engine, device: DeviceRef, asked: Asked, value: str, *, by: str
) -> ReturnOrdersFound:
    """The orders ``value`` finds (newest first, at most :data:`MAX_FOUND`), audited."""
    with engine.begin() as conn:
        require_returns(conn, device)
        batch = WriteBatch(conn, locations=[device.location_id])
        found = order_views(conn, _found_ids(conn, asked, value.strip()))
        batch.audit(
            actor=by,
            approver=None,
            action="returns.lookup",
            subject={
                "device": device.device_id,
                "location": device.location_code,
                "asked": asked,
                "value": value,
                "found": len(found),
                "orders": [o.order_number for o in found],
            },
        )
        batch.flush()
    return ReturnOrdersFound(asked=asked, orders=found)


def require_returns(conn: Connection, device: DeviceRef) -> None:
    """``ReturnsNotTaken`` unless the asking station's location takes returns."""
    capabilities = conn.execute(
        select(locations.c.capabilities).where(locations.c.id == device.location_id)
    ).scalar_one()
    if "returns" not in (capabilities or []):
        raise ReturnsNotTaken(
            f"{device.location_code} does not take returns, so it cannot look orders up for one.",
            next_step="Send the customer to a store that takes returns, or ask HQ to "
            "give this location the returns capability.",
        )


def _found_ids(conn: Connection, asked: Asked, value: str) -> list[int]:
    o = orders.c
    newest = (o.created_at.desc(), o.id.desc())
    query: Select[Any]
    if asked == "order":
        query = select(o.id).where(o.order_number == value)
    elif asked == "phone":
        key = phone_key(value)
        if not key:
            raise BadInput(f"'{value}' is not a phone number.", next_step="Type all 10 digits.")
        query = select(o.id).where(o.phone_key == key).order_by(*newest)
    elif asked == "email":
        query = select(o.id).where(o.email_key == email_key(value)).order_by(*newest)
    elif asked == "gtin":
        item_ids = select(items.c.id).where(items.c.gtin.in_(_gtin_forms(value)))
        with_item = select(order_lines.c.order_id).where(order_lines.c.item_id.in_(item_ids))
        query = select(o.id).where(o.id.in_(with_item)).order_by(*newest)
    else:
        sscc = value[2:] if len(value) == 20 and value.startswith("00") else value  # AI (00)
        p, f = parcels.c, fulfilments.c
        in_parcel = (
            select(f.order_id)
            .join(parcels, p.fulfilment_order_id == f.id)
            .where((p.sscc == sscc) | (p.tracking == value))
        )
        query = select(o.id).where(o.id.in_(in_parcel)).order_by(*newest)
    return [int(i) for i in conn.execute(query.limit(MAX_FOUND)).scalars()]


def _gtin_forms(value: str) -> list[str]:
    """A scanned GTIN as the catalogue may hold it: as scanned, as 14 digits, or an
    EAN-13 in a GTIN-14 with a leading 0."""
    forms = {value, value.zfill(14)}
    if len(value) == 14 and value.startswith("0"):
        forms.add(value[1:])
    return sorted(forms)


def order_views(conn: Connection, ids: Sequence[int]) -> list[ReturnOrder]:
    """The orders ``ids`` as a return reads them, in that order: the lookup's answer and
    the rows of the sold-orders scope a station keeps (one shape, built here only)."""
    if not ids:
        return []
    places = {
        int(r.id): Place(r.code, r.gstin or "")
        for r in conn.execute(select(locations.c.id, locations.c.code, locations.c.gstin))
    }
    tills = {
        int(r.order_id): r
        for r in conn.execute(
            select(receipts.c.order_id, receipts.c.location_id, receipts.c.payment).where(
                receipts.c.order_id.in_(ids)
            )
        )
    }
    sent_from, invoiced = _sent_from(conn, ids, places), _invoices(conn, ids)
    lines = _lines(conn, ids)
    earlier, shipped_back = earlier_returns(conn, ids), shipping_refunded(conn, ids)
    codes = _parcel_codes(conn, ids)
    rows = {int(r.id): r for r in conn.execute(select(orders).where(orders.c.id.in_(ids)))}
    found = []
    for order_id in ids:  # newest first, as found
        row = rows[order_id]
        till = tills.get(order_id)
        if till is not None:
            from_codes = {"": places[till.location_id]}
            bills: Bills = {"": [(str(row.order_number), aware(row.created_at))]}  # receipt
        else:
            from_codes, bills = sent_from.get(order_id, {}), invoiced.get(order_id, {})
        delivered = delivered_lines(conn, row.order_number) if till is None else {}
        view = _view(row, till, from_codes, lines.get(order_id, []), delivered)
        for line in view.lines:
            line.invoice, line.invoiced_at = _invoice_of(bills.get(line.sku) or bills.get(""))
            line.earlier = [
                EarlierReturnOut(
                    quantity=b.quantity, location=b.location, recorded_at=b.recorded_at
                )
                for b in earlier.get((order_id, line.line_no), [])
            ]
        view.shipping_refunded = order_id in shipped_back
        view.parcels = codes.get(order_id, [])
        found.append(view)
    return found


def _view(
    row: Any,
    till: Any,
    from_codes: dict[str, Place],
    lines: list[Any],
    delivered: dict[str, datetime],
) -> ReturnOrder:
    default = next(iter(from_codes.values()), None)
    out_lines = [
        ReturnLine(
            line_no=n,
            sku=line.sku,
            gtin=line.gtin,
            name=line.name,
            quantity=line.quantity,
            unit_paid_minor=line.paid_minor if line.paid_minor is not None else line.price_minor,
            hsn_code=line.hsn_code,
            gst_rate_bp=line.gst_rate_bp,
            return_days=line.return_days,
            returnable=bool(line.returnable),
            return_category=line.return_category,
            from_location=(from_codes.get(line.sku) or default or Place("", "")).code,
            delivered_at=delivered.get(line.sku),
        )
        for n, line in enumerate(lines, start=1)
    ]
    days = [x.delivered_at for x in out_lines]
    unique = {p.code: p for p in from_codes.values()}
    return ReturnOrder(
        order_number=row.order_number,
        channel=row.channel,
        method=row.method,
        sold_at=aware(row.created_at),
        delivered_at=max(d for d in days if d) if days and all(days) else None,
        from_locations=[p.out() for p in unique.values()],
        payment=till.payment if till is not None else (row.payment or "prepaid"),
        discount_minor=row.discount_minor,
        shipping_minor=row.shipping_minor,
        currency=row.currency,
        customer=MaskedCustomer(
            first_name=first_name(row.customer_name), phone_last4=phone_last4(row.customer_phone)
        ),
        lines=out_lines,
    )


def _invoice_of(bills: list[tuple[str, datetime]] | None) -> tuple[str, datetime | None]:
    """A line's invoice numbers, comma-separated, and the first one's time."""
    if not bills:
        return "", None
    return ", ".join(number for number, _ in bills), bills[0][1]


Bills = dict[str, list[tuple[str, datetime]]]  # SKU -> (invoice number, time) oldest first


def _invoices(conn: Connection, ids: Sequence[int]) -> dict[int, Bills]:
    """Order -> SKU -> (number, time) of the tax invoices its units left under, oldest
    first: one per fulfilment order packed at a bench (not one rerouted, cancelled or
    rejected), so units split over two benches name two."""
    f, fl, oi = fulfilments.c, fulfilment_lines.c, order_invoices.c
    query = (
        select(f.order_id, fl.sku, oi.number, oi.recorded_at)
        .join(fulfilment_lines, fl.fulfilment_order_id == f.id)
        .join(order_invoices, oi.fulfilment_order_id == f.id)
        .where(f.order_id.in_(ids), f.state.not_in(GONE))
        .order_by(oi.recorded_at, oi.id, fl.line_no)
    )
    found: dict[int, Bills] = {}
    for order_id, sku, number, at in conn.execute(query):
        bills = found.setdefault(int(order_id), {}).setdefault(sku, [])
        if all(number != held for held, _ in bills):
            bills.append((str(number), aware(at)))
    return found


def _lines(conn: Connection, ids: Sequence[int]) -> dict[int, list[Any]]:
    """Each order's lines in its line order, with the item's tax and return terms."""
    ol, i = order_lines.c, items.c
    query = (
        select(
            ol.order_id, ol.sku, ol.quantity, ol.price_minor, ol.paid_minor, i.gtin, i.name,
            i.hsn_code, i.gst_rate_bp, i.return_days, i.returnable, i.return_category,
        )
        .join(items, i.id == ol.item_id)
        .where(ol.order_id.in_(ids))
        .order_by(ol.order_id, ol.id)
    )  # fmt: skip
    found: dict[int, list[Any]] = {}
    for row in conn.execute(query):
        found.setdefault(int(row.order_id), []).append(row)
    return found


def _parcel_codes(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    """Each order's parcels (not voided) by SSCC and carrier tracking number, so a parcel
    coming back finds its order at a station too."""
    f, p = fulfilments.c, parcels.c
    query = (
        select(f.order_id, p.sscc, p.tracking)
        .join(parcels, p.fulfilment_order_id == f.id)
        .where(f.order_id.in_(ids), p.void.is_(False))
        .order_by(p.id)
    )
    found: dict[int, list[str]] = {}
    for order_id, sscc, tracking in conn.execute(query):
        codes = found.setdefault(int(order_id), [])
        codes.extend(c for c in (sscc, tracking) if c and c not in codes)
    return found


def _sent_from(
    conn: Connection, ids: Sequence[int], places: dict[int, Place]
) -> dict[int, dict[str, Place]]:
    """Order -> SKU -> the location its units left from (the fulfilment order that kept
    them: not one rerouted, cancelled or rejected)."""
    f, fl = fulfilments.c, fulfilment_lines.c
    query = (
        select(f.order_id, f.location_id, fl.sku)
        .join(fulfilment_lines, fl.fulfilment_order_id == f.id)
        .where(f.order_id.in_(ids), f.state.not_in(GONE))
        .order_by(f.id, fl.line_no)
    )
    found: dict[int, dict[str, Place]] = {}
    for order_id, location_id, sku in conn.execute(query):
        found.setdefault(int(order_id), {}).setdefault(sku, places[int(location_id)])
    return found
