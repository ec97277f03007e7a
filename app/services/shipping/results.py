"""What the bench queue service returns: frozen dataclasses the bench screens show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.timeline import ParcelTimeline


@dataclass(frozen=True)
class ShipSummary:
    """One ship order as a row of the bench queue."""

    fulfilment_id: int
    order_number: str
    state: FulfilmentState
    units: int  # items to ship, all lines
    carrier: str
    ship_by: datetime | None  # the carrier cut-off it should leave by (UTC)
    promised_by: date | None
    created_at: datetime | None
    picker_code: str = ""
    picker_name: str = ""
    will_miss: bool = False  # today's cut-off passed, or too close and not packed
    late_for_promise: bool = False  # delivered after the promised date (domain.shipping.promise)


@dataclass(frozen=True)
class ShipLine:
    sku: str
    name: str
    quantity: int
    picked: int = 0


@dataclass(frozen=True)
class ShipAddress:
    name: str
    line1: str
    line2: str
    city: str
    state: str
    pincode: str
    phone: str

    def lines(self) -> tuple[str, ...]:
        """The address as it is written on a parcel, empty parts left out."""
        place = " ".join(p for p in (f"{self.city}," if self.city else "", self.state) if p)
        last = " ".join(p for p in (place.rstrip(","), self.pincode) if p)
        return tuple(p for p in (self.name, self.line1, self.line2, last, self.phone) if p)


@dataclass(frozen=True)
class ShipDetail:
    """One ship order opened at the bench: lines, address, payment, carrier and why here."""

    summary: ShipSummary
    lines: tuple[ShipLine, ...]
    address: ShipAddress
    payment: str  # prepaid | cod | "" when the ledger has not said
    cod_minor: int
    carrier_service: str
    route_note: str  # routing's "why this store", one sentence per line
    zone: tzinfo  # the store's time zone
    as_of: datetime  # when it was read: what "will miss" and "today" are against
    tracking: tuple[str, ...] = ()  # where each parcel is, by the carrier (delivered …)
    timeline: tuple[ParcelTimeline, ...] = ()  # each live parcel's steps and carrier events
    handed_over_at: datetime | None = None  # when its last live parcel left with the carrier
    carrier_name: str = ""  # the carrier's name as its parcels came ("": the code is all)


@dataclass(frozen=True)
class ShipQueue:
    """The open ship orders here in queue order, and what the summary line says."""

    orders: tuple[ShipSummary, ...]
    total: int  # open ship orders here (``orders`` may be the first page of them)
    due_today: int  # of them, to leave by the end of today (or already late)
    will_miss: int  # of them, marked as missing today's cut-off
    missed_cutoffs: tuple[datetime, ...]  # the cut-offs they miss, earliest first
    as_of: datetime
    zone: tzinfo  # the store's time zone: what "today" and the times shown are in
    late_for_promise: int = 0  # open ship orders here late for their delivery promise


@dataclass(frozen=True)
class Picker:
    """Someone of this location who may be given an order to pick."""

    code: str
    name: str
    role: str
