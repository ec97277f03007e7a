"""What a location offers a delivery order: its best carrier and its score. Pure.

A location can ship to a customer when it can ship at all (a store with the
``ship_from_store`` capability, a warehouse or a dark store), has capacity left today,
did not refuse the order, and a carrier that collects there serves the customer's
pincode in the zone between them. The zone is the distance band from the location to the
customer (great-circle km): local up to LOCAL_KM, regional up to REGIONAL_KM, national
beyond; a carrier without a rate for a zone does not carry it.

The score is in paise the shop would rather not spend (lower wins): PAISE_PER_KM for
each km to the customer, the carrier's rate for the zone, LATE_DAY_PAISE for each day
the expected delivery falls after the promised date (a parcel handed over after the
carrier's cut-off ships the next day), and LOW_CAPACITY_PAISE for each order of capacity
below LOW_CAPACITY left today. Of the carriers able, the cheapest (rate plus lateness)
is chosen. Stock is not looked at here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum

from app.domain.geo import EARTH_RADIUS_KM

LOCAL_KM = 50.0
REGIONAL_KM = 500.0
PAISE_PER_KM = 100  # ₹1 a km: nearer is better even inside one zone
LATE_DAY_PAISE = 50_000  # ₹500 for each day past the promised delivery date
LOW_CAPACITY = 10  # fewer orders than this left today starts to count against a location
LOW_CAPACITY_PAISE = 1_000  # ₹10 for each order below LOW_CAPACITY
SHIP_FROM_STORE = "ship_from_store"
ALWAYS_SHIP = frozenset({"warehouse", "dark_store"})  # kinds that ship without the capability
IST = timezone(timedelta(hours=5, minutes=30), "IST")

Vector = tuple[float, float, float]


class Zone(StrEnum):
    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"


def zone_for(distance_km: float) -> Zone:
    """The carrier zone for a parcel travelling this far."""
    if distance_km <= LOCAL_KM:
        return Zone.LOCAL
    if distance_km <= REGIONAL_KM:
        return Zone.REGIONAL
    return Zone.NATIONAL


@dataclass(frozen=True)
class Carrier:
    """A carrier as master data: where it delivers, when it collects, what it charges."""

    code: str
    name: str
    kind: str  # "local" (riders in the city) | "booked" (a courier booked per parcel)
    pincodes: frozenset[str]  # pincodes or prefixes served: "560" serves 560001 to 560099
    cutoff: time  # local time of day; parcels handed over later ship the next day
    rate_paise: Mapping[Zone, int]  # a zone missing here is one it does not carry
    days: Mapping[Zone, int]  # days from handover to delivery

    def serves(self, pincode: str) -> bool:
        return any(pincode.startswith(prefix) for prefix in self.pincodes)


@dataclass(frozen=True)
class ShipCandidate:
    """A location as ship routing sees it."""

    code: str
    name: str
    kind: str  # store | warehouse | dark_store
    capabilities: frozenset[str]
    latitude: float
    longitude: float
    remaining_capacity: int  # fulfilment orders it can still take today
    available: Mapping[str, int]  # sku -> available to promise
    carriers: frozenset[str]  # codes of the carriers that collect here

    @property
    def can_ship(self) -> bool:
        return self.kind in ALWAYS_SHIP or SHIP_FROM_STORE in self.capabilities


@dataclass(frozen=True)
class ShipRequest:
    lines: tuple[tuple[str, int], ...]  # (sku, quantity)
    pincode: str
    latitude: float
    longitude: float
    promised_by: date  # the delivery date promised to the customer
    now: datetime  # timezone-aware
    refused_by: frozenset[str] = frozenset()  # locations that refused it: never again
    local_time: tzinfo = IST  # where carriers' cut-offs are read


@dataclass(frozen=True)
class ScoreParts:
    """What a parcel from one location costs the shop, part by part."""

    distance_km: float
    zone: Zone
    shipping_paise: int
    days_late: int
    low_capacity_paise: int

    @property
    def total_paise(self) -> float:
        return (
            self.distance_km * PAISE_PER_KM
            + self.shipping_paise
            + self.days_late * LATE_DAY_PAISE
            + self.low_capacity_paise
        )


@dataclass(frozen=True)
class Offer:
    """A location able to ship to this customer: its best carrier and its score."""

    candidate: ShipCandidate
    carrier: Carrier
    ship_on: date
    delivers_on: date
    score: ScoreParts

    @property
    def rank(self) -> tuple[float, str]:
        return (self.score.total_paise, self.candidate.code)


Located = tuple[ShipCandidate, Vector]
Verdict = Offer | str  # an offer, or why the location cannot ship to this customer


@dataclass(frozen=True)
class ShipOrder:
    request: ShipRequest
    demand: Mapping[str, int]
    point: Vector
    today: date
    clock: time

    @classmethod
    def of(cls, request: ShipRequest) -> ShipOrder:
        local = request.now.astimezone(request.local_time)
        point = unit_vector(request.latitude, request.longitude)
        return cls(request, demand_of(request.lines), point, local.date(), local.time())


def demand_of(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Quantities per SKU, lines of one SKU added up."""
    demand: dict[str, int] = {}
    for sku, quantity in lines:
        demand[sku] = demand.get(sku, 0) + quantity
    return demand


def unit_vector(latitude: float, longitude: float) -> Vector:
    lat, lon = math.radians(latitude), math.radians(longitude)
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def chord2(a: Vector, b: Vector) -> float:
    """Squared chord between two unit vectors: orders places as distance does, cheaply."""
    dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    return dx * dx + dy * dy + dz * dz


def km_between(a: Vector, b: Vector) -> float:
    """Great-circle distance in km between two unit vectors."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(chord2(a, b)) / 2))


def ship_date(order: ShipOrder, carrier: Carrier) -> date:
    """Today if handed over by the carrier's cut-off, else tomorrow."""
    return order.today if order.clock <= carrier.cutoff else order.today + timedelta(days=1)


def offer_from(order: ShipOrder, located: Located, serving: Mapping[str, Carrier]) -> Verdict:
    """The location's offer with its best carrier, or why it cannot ship to this customer.
    Stock is not looked at here."""
    cand, vector = located
    if cand.code in order.request.refused_by:
        return "it refused this order"
    if not cand.can_ship:
        return "it does not ship orders"
    if cand.remaining_capacity <= 0:
        return "it is at capacity today"
    carriers = [serving[code] for code in cand.carriers if code in serving]
    if not carriers:
        return f"no carrier that collects there serves pincode {order.request.pincode}"
    km = km_between(order.point, vector)
    zone = zone_for(km)
    best: tuple[int, str, Carrier, date, date, int] | None = None
    for carrier in carriers:
        if zone not in carrier.rate_paise:
            continue
        ship_on = ship_date(order, carrier)
        delivers_on = ship_on + timedelta(days=carrier.days[zone])
        late = max(0, (delivers_on - order.request.promised_by).days)
        cost = carrier.rate_paise[zone] + late * LATE_DAY_PAISE
        if best is None or (cost, carrier.code) < best[:2]:
            best = (cost, carrier.code, carrier, ship_on, delivers_on, late)
    if best is None:
        return f"its carriers for pincode {order.request.pincode} do not carry the {zone} zone"
    _, _, carrier, ship_on, delivers_on, late = best
    low = max(0, LOW_CAPACITY - cand.remaining_capacity) * LOW_CAPACITY_PAISE
    parts = ScoreParts(km, zone, carrier.rate_paise[zone], late, low)
    return Offer(cand, carrier, ship_on, delivers_on, parts)


def has_all(cand: ShipCandidate, demand: Mapping[str, int]) -> bool:
    return all(cand.available.get(sku, 0) >= q for sku, q in demand.items())


def holds_any(cand: ShipCandidate, demand: Mapping[str, int]) -> bool:
    return any(cand.available.get(sku, 0) > 0 for sku in demand)
