"""Ship-from-store master data and records: carriers and the pincodes they serve,
which carriers collect where, box types, routing decisions, refusals, and parcels
with their lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base


class Carrier(Base):
    """A carrier as master data (migration 0016): what it charges per zone, how many days
    it takes, and its usual cut-off. ``own_fleet`` is our local courier, ``partner`` a
    courier company; a zone with no rate is one it does not carry."""

    __tablename__ = "carriers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    service: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # partner | own_fleet
    cutoff: Mapped[str] = mapped_column(String(5))  # HH:MM, local time of each location
    rate_local: Mapped[int | None] = mapped_column(BigInteger)  # paise per parcel
    rate_regional: Mapped[int | None] = mapped_column(BigInteger)
    rate_national: Mapped[int | None] = mapped_column(BigInteger)
    days_local: Mapped[int] = mapped_column(Integer, default=1)
    days_regional: Mapped[int] = mapped_column(Integer, default=2)
    days_national: Mapped[int] = mapped_column(Integer, default=4)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Booking (migration 0022): where a partner is booked over HTTP ("": not bookable)
    booking_url: Mapped[str] = mapped_column(String(200), default="", server_default="")


class CarrierPincode(Base):
    """A pincode, or a prefix of pincodes ('5600' serves 560001 … 560099), a carrier
    delivers to: serviceability lists of thousands of pincodes stay a few rows."""

    __tablename__ = "carrier_pincodes"
    __table_args__ = (UniqueConstraint("carrier_id", "prefix", name="uq_carrier_prefix"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    prefix: Mapped[str] = mapped_column(String(6))


class LocationCarrier(Base):
    """A carrier that collects at a location, with that location's cut-off (None: the
    carrier's own)."""

    __tablename__ = "location_carriers"
    __table_args__ = (UniqueConstraint("location_id", "carrier_id", name="uq_location_carrier"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id"))
    cutoff: Mapped[str | None] = mapped_column(String(5))


class BoxType(Base):
    """A box a location packs parcels in: inner size, its own weight and what it holds."""

    __tablename__ = "box_types"
    __table_args__ = (UniqueConstraint("location_id", "code", name="uq_box_type"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    length_mm: Mapped[int] = mapped_column(Integer)
    width_mm: Mapped[int] = mapped_column(Integer)
    height_mm: Mapped[int] = mapped_column(Integer)
    tare_g: Mapped[int] = mapped_column(Integer)
    max_weight_g: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RouteDecision(Base):
    """Where routing sent a ship order, or what it rerouted, and why: the winner, the
    runner-up and why not (``explanation``, one sentence each)."""

    __tablename__ = "route_decisions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # routed | rerouted
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locations: Mapped[list[str]] = mapped_column(JSON)  # where it went; [] when nowhere
    explanation: Mapped[list[str]] = mapped_column(JSON)
    exception_id: Mapped[int | None] = mapped_column(Integer)  # HQ's, when nowhere can


class OrderRefusal(Base):
    """A location that refused (part of) an order: it is never routed that order again."""

    __tablename__ = "order_refusals"
    __table_args__ = (UniqueConstraint("order_id", "location_id", name="uq_order_refusal"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Parcel(Base):
    """A parcel packed for a ship order at the bench: its SSCC, box, weights (and the lead
    who accepted a weight outside the tolerance), carrier, tracking and label state."""

    __tablename__ = "parcels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    sscc: Mapped[str] = mapped_column(String(18), index=True)  # reuse is flagged, not refused
    box: Mapped[str] = mapped_column(String(20))
    weight_g: Mapped[int] = mapped_column(Integer)
    expected_g: Mapped[int] = mapped_column(Integer)
    override_by: Mapped[str | None] = mapped_column(String(40))  # the lead's staff code
    override_reason: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str] = mapped_column(String(20))
    tracking: Mapped[str] = mapped_column(String(40), index=True)
    void: Mapped[bool] = mapped_column(Boolean, server_default=false())
    voided_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    op_id: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(40))
    # Booking with the carrier (migration 0022; app.ledger.parcel_booking): its state, the
    # carrier's label data and last words; ``tracking`` is the carrier's once booked.
    booking_state: Mapped[str | None] = mapped_column(String(12))
    booking_claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    booked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    carrier_service: Mapped[str | None] = mapped_column(String(40))
    routing_code: Mapped[str | None] = mapped_column(String(20))
    sort_code: Mapped[str | None] = mapped_column(String(20))
    carrier_barcode: Mapped[str | None] = mapped_column(String(60))
    booking_note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str | None] = mapped_column(String(20))  # the carrier's last event (0023)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # ship.handover (migration 0024): scanned out to the carrier's driver
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_over_by: Mapped[str | None] = mapped_column(String(40))
    eway_bill: Mapped[str | None] = mapped_column(String(12))


class ParcelLine(Base):
    """Units of one SKU in a parcel."""

    __tablename__ = "parcel_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)


class ShipmentEvent(Base):
    """A tracking event a carrier pushed or we pulled (migration 0023), kept once; the
    parcel it matched, or None for a parcel the ledger does not know."""

    __tablename__ = "shipment_events"
    __table_args__ = (UniqueConstraint("carrier", "sscc", "kind", "at", name="uq_shipment_event"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(20))
    seq: Mapped[int | None] = mapped_column(BigInteger)  # the carrier's feed position
    sscc: Mapped[str] = mapped_column(String(40))
    tracking: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    place: Mapped[str] = mapped_column(String(80), server_default="")
    note: Mapped[str] = mapped_column(Text, server_default="")
    parcel_id: Mapped[int | None] = mapped_column(ForeignKey("parcels.id"), index=True)
    via: Mapped[str] = mapped_column(String(10))  # webhook | pull
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CarrierCursor(Base):
    """Where the ledger's pull of a carrier's event feed left off (migration 0023)."""

    __tablename__ = "carrier_cursors"
    carrier: Mapped[str] = mapped_column(String(20), primary_key=True)
    cursor: Mapped[int] = mapped_column(BigInteger)
    pulled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
