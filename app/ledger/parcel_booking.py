"""Booking a packed parcel with its carrier, and cancelling the booking of a void one.

The ledger never holds a transaction open while a carrier thinks: a booking claims the
parcel's row (``booking``, in a short transaction that locks the row, so one parcel is
never booked by two calls at once), asks the carrier outside any transaction, then
records what the carrier said in another. A claim left by a ledger that died while it
waited is taken over after ``STALE_CLAIM``; the carrier keys bookings by the parcel's
SSCC, so asking again finds the first booking, never a second.

Our own riders need no booking: their tracking number is the SSCC, known offline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, update

from app.carriers.adapter import CarrierAdapter, CarrierError, CarrierRefused
from app.carriers.choose import adapter_for
from app.errors import BadInput, NotFound, RuleRefused
from app.ledger.devices import DeviceRef
from app.ledger.parcel_booking_rows import (
    BOOKED,
    BOOKING,
    CANCELLED,
    REFUSED,
    WAITING,
    ParcelBooking,
    carrier_parcel,
    is_local,
    lock_order_of,
    parcel_query,
    parcels,
    record,
)
from app.ledger.writes import aware, utcnow

STALE_CLAIM = timedelta(minutes=2)  # longer than a booking's tries take (3 x 10 s)

AdapterOf = Callable[[Row[Any]], CarrierAdapter]  # the carrier row of a parcel -> adapter


def carrier_adapters(**http: Any) -> AdapterOf:
    """Adapters from the carriers master data; ``http``: the HTTP client's settings."""

    def adapter(row: Row[Any]) -> CarrierAdapter:
        return adapter_for(
            code=row.carrier, name=row.carrier_name, kind=row.carrier_kind,
            booking_url=row.booking_url, **http,
        )  # fmt: skip

    return adapter


class BookingUnderway(RuleRefused):
    """Another call is booking this parcel right now."""

    code = "booking_underway"


def book_parcel(engine: Engine, device: DeviceRef, sscc: str, adapters: AdapterOf) -> ParcelBooking:
    """The parcel's booking: the one recorded, or a new one from its carrier."""
    with engine.begin() as conn:
        row = _locked(conn, device, sscc)
        if row.booking_state == BOOKED or is_local(row):
            return ParcelBooking.of(row)
        if row.carrier_kind is None:
            raise BadInput(
                f"Parcel {sscc} goes with {row.carrier}, a carrier the ledger does not know.",
                next_step="Void the label and repack it with LOCAL, or ask HQ to add the carrier.",
            )
        claimed = row.booking_claimed_at
        now = utcnow()
        if row.booking_state == BOOKING and claimed and aware(claimed) > now - STALE_CLAIM:
            raise BookingUnderway(
                f"Parcel {sscc} is being booked with {row.carrier_name} right now.",
                next_step="Wait a moment: its label prints when the carrier answers.",
            )
        _set(conn, row.id, booking_state=BOOKING, booking_claimed_at=now)
        parcel = carrier_parcel(conn, row)
    adapter = adapters(row)
    try:
        booking = adapter.book(parcel)
    except CarrierError as exc:
        state = REFUSED if isinstance(exc, CarrierRefused) else WAITING
        with engine.begin() as conn:
            _set(conn, row.id, booking_state=state, booking_note=exc.message)
        raise
    with engine.begin() as conn:
        return record(conn, device, row, booking)


def cancel_booking(
    engine: Engine, device: DeviceRef, sscc: str, adapters: AdapterOf
) -> ParcelBooking:
    """Cancel the carrier's booking of a void parcel (its void pushed first); cancelling
    again is fine. ``CarrierRefused`` when the carrier has collected it already."""
    with engine.begin() as conn:
        row = _locked(conn, device, sscc, void=True)
    if row.booking_state not in (BOOKED, CANCELLED) or is_local(row):
        return ParcelBooking.of(row)  # nothing booked at a carrier: nothing to cancel
    try:
        adapters(row).cancel(row.tracking)
    except CarrierRefused as exc:
        with engine.begin() as conn:
            _set(conn, row.id, booking_note=exc.message)
        raise
    with engine.begin() as conn:
        _set(conn, row.id, booking_state=CANCELLED, booking_note=None)
        row = _locked(conn, device, sscc, void=True)
    return ParcelBooking.of(row)


def _locked(conn: Connection, device: DeviceRef, sscc: str, *, void: bool = False) -> Row[Any]:
    """The parcel ``sscc`` of the device's location with its carrier, its row locked;
    the live one (or, with ``void``, the last voided one)."""
    lock_order_of(conn, device.location_id, sscc)
    row = conn.execute(
        parcel_query(device.location_id, sscc, void=void).with_for_update(of=parcels)
    ).first()
    if row is None:
        raise NotFound(
            f"There is no {'void ' if void else ''}parcel {sscc} packed at {device.location_code}.",
            next_step="Scan the parcel's own label again; a parcel voided here is repacked "
            "under a new one."
            if not void
            else "Void the label first: the carrier is told once the void reaches the ledger.",
        )
    return row


def _set(conn: Connection, parcel_id: int, **values: Any) -> None:
    conn.execute(update(parcels).where(parcels.c.id == parcel_id).values(**values))
