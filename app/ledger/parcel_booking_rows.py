"""The rows of a parcel's booking: find a parcel with its carrier and order, tell a
carrier what it is booking, record the booking (tracking and label data) and send the
parcel's new tracking to the stations in the fulfilment scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, select, update

from app.carriers.adapter import Booking, Consignee, Parcel
from app.domain.shipping.parcels import LOCAL_COURIER
from app.errors import BadInput
from app.ledger.devices import DeviceRef
from app.ledger.models import Carrier, FulfilmentLine, FulfilmentOrder, ParcelLine, table_of
from app.ledger.models import Parcel as ParcelRow
from app.ledger.step_record import emit_fulfilment, locked_row
from app.ledger.writes import WriteBatch, iso

parcels = table_of(ParcelRow)
parcel_lines = table_of(ParcelLine)
carriers = table_of(Carrier)
fulfilments = table_of(FulfilmentOrder)
fulfilment_lines = table_of(FulfilmentLine)

# booking_state: see migration 0022
BOOKING, BOOKED, WAITING, REFUSED, CANCELLED = (
    "booking", "booked", "waiting", "refused", "cancelled",
)  # fmt: skip
LOCAL = "local"  # what a parcel with our own riders answers: no booking, tracking = SSCC


@dataclass(frozen=True)
class ParcelBooking:
    """A parcel's booking as the ledger answers it."""

    sscc: str
    carrier: str
    carrier_name: str
    state: str  # booked | local | cancelled | waiting | refused | "" (never asked)
    tracking: str
    service: str = ""
    routing_code: str = ""
    sort_code: str = ""
    barcode: str = ""
    booked_at: str = ""  # UTC ISO
    note: str = ""  # the carrier's last words (a refusal)

    @classmethod
    def of(cls, row: Row[Any]) -> ParcelBooking:
        """The booking of a parcel row of :func:`parcel_query`."""
        if is_local(row):
            name = row.carrier_name or "Our own riders"
            return cls(row.sscc, row.carrier, name, LOCAL, row.sscc, barcode=row.sscc)
        return cls(
            sscc=row.sscc,
            carrier=row.carrier,
            carrier_name=row.carrier_name,
            state=row.booking_state or "",
            tracking=row.tracking if row.booking_state in (BOOKED, CANCELLED) else "",
            service=row.carrier_service or "",
            routing_code=row.routing_code or "",
            sort_code=row.sort_code or "",
            barcode=row.carrier_barcode or "",
            booked_at=iso(row.booked_at) if row.booked_at else "",
            note=row.booking_note or "",
        )


def is_local(row: Row[Any]) -> bool:
    """Whether the parcel goes with our own riders (packed offline, or the order's carrier)."""
    return bool(row.carrier == LOCAL_COURIER or row.carrier_kind == LOCAL_COURIER)


def parcel_query(location_id: int, sscc: str, *, void: bool) -> Select[Any]:
    """The location's last parcel ``sscc`` (void or live) with its carrier and order."""
    p, c, f = parcels.c, carriers.c, fulfilments.c
    return (
        select(
            parcels,
            c.name.label("carrier_name"),
            c.kind.label("carrier_kind"),
            c.booking_url,
            f.order_number,
            f.ship_to,
            f.payment,
            f.location_id,
        )
        .join(fulfilments, f.id == p.fulfilment_order_id)
        .outerjoin(carriers, c.code == p.carrier)
        .where(p.sscc == sscc, f.location_id == location_id, p.void.is_(void))
        .order_by(p.id.desc())
        .limit(1)
    )


def lock_order_of(conn: Connection, location_id: int, sscc: str) -> None:
    """Lock the fulfilment order of the location's parcel ``sscc`` first, as every writer
    of parcels does (:mod:`app.ledger.parcel_rows`), so a booking never deadlocks a push."""
    fo_id = conn.execute(
        select(parcels.c.fulfilment_order_id)
        .join(fulfilments, fulfilments.c.id == parcels.c.fulfilment_order_id)
        .where(parcels.c.sscc == sscc, fulfilments.c.location_id == location_id)
        .limit(1)
    ).scalar()
    if fo_id is not None:
        locked_row(conn, int(fo_id))


def carrier_parcel(conn: Connection, row: Row[Any]) -> Parcel:
    """The parcel as its carrier books it: consignee, weight, declared value (what the
    customer paid for its units) and cash to collect (its value, for a COD order)."""
    pl, fl = parcel_lines.c, fulfilment_lines.c
    same_line = (fl.fulfilment_order_id == row.fulfilment_order_id) & (fl.sku == pl.sku)
    units = conn.execute(
        select(pl.quantity, fl.price_minor)
        .join(fulfilment_lines, same_line)
        .where(pl.parcel_id == row.id)
    ).all()
    value = sum(int(quantity) * int(price or 0) for quantity, price in units)
    to: dict[str, str] = dict(row.ship_to or {})
    if not to.get("pincode"):
        raise BadInput(
            f"Order {row.order_number} has no delivery address, so it cannot be booked.",
            next_step="Ask customer service to add the address, or send it with LOCAL.",
        )
    address = ", ".join(part for part in (to.get("line1", ""), to.get("line2", "")) if part)
    consignee = Consignee(
        name=to.get("name", ""), address=address, city=to.get("city", ""),
        pincode=to["pincode"], phone=to.get("phone", ""),
    )  # fmt: skip
    return Parcel(
        sscc=row.sscc,
        order_number=row.order_number,
        consignee=consignee,
        weight_g=int(row.weight_g),
        value_paise=value,
        cash_on_delivery_paise=value if row.payment == "cod" else 0,
    )


def record(conn: Connection, device: DeviceRef, row: Row[Any], booking: Booking) -> ParcelBooking:
    """Keep the carrier's booking on the parcel and tell the stations its tracking."""
    lock_order_of(conn, device.location_id, row.sscc)
    label = booking.label
    conn.execute(
        update(parcels)
        .where(parcels.c.id == row.id)
        .values(
            tracking=booking.tracking[:40], booking_state=BOOKED, booked_at=booking.booked_at,
            carrier_service=label.service[:40], routing_code=label.routing_code[:20],
            sort_code=label.sort_code[:20], carrier_barcode=label.barcode[:60], booking_note=None,
        )
    )  # fmt: skip
    batch = WriteBatch(conn, locations=[device.location_id])
    emit_fulfilment(conn, batch, int(row.fulfilment_order_id), device.location_id)
    batch.audit(
        actor=f"device:{device.device_id}",
        approver=None,
        action="parcel.booked",
        subject={"sscc": row.sscc, "carrier": row.carrier, "tracking": booking.tracking,
                 "found": booking.found},
    )  # fmt: skip
    batch.flush()
    at: datetime = booking.booked_at
    return ParcelBooking(
        sscc=row.sscc, carrier=row.carrier, carrier_name=row.carrier_name, state=BOOKED,
        tracking=booking.tracking, service=label.service, routing_code=label.routing_code,
        sort_code=label.sort_code, barcode=label.barcode, booked_at=iso(at),
    )  # fmt: skip
