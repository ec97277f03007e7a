"""The ship network as routing sees it now, read from the ledger: every location with its
stock of an order's items and capacity left today (as pickup routing counts them), the
carriers collecting there with their cut-offs, and where each carrier delivers.

Also where the customer is (their coordinates, else their city, else the location whose
pincode shares the most leading digits with theirs) and when a parcel must leave a
location to make its carrier's cut-off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from app.domain.ship_offers import Carrier, ShipCandidate, Zone
from app.domain.ship_routing import ShipNetwork
from app.errors import BadInput
from app.ledger.models import (
    Carrier as CarrierRow,
)
from app.ledger.models import (
    CarrierPincode,
    Location,
    LocationCarrier,
    table_of,
)
from app.ledger.orders import _candidates

carriers = table_of(CarrierRow)
carrier_pincodes = table_of(CarrierPincode)
location_carriers = table_of(LocationCarrier)
locations = table_of(Location)
MIN_PINCODE_DIGITS = 3  # a shared sorting district: near enough to place a customer by


@dataclass(frozen=True)
class Place:
    """A location's facts routing needs beside its candidate."""

    id: int
    code: str
    timezone: str
    city: str
    pincode: str
    latitude: float
    longitude: float
    cutoffs: dict[str, time]  # carrier code -> this location's cut-off


@dataclass(frozen=True)
class ShipPlaces:
    network: ShipNetwork
    places: dict[str, Place]  # by location code
    carriers: dict[str, tuple[Carrier, str]]  # code -> (carrier, service)

    def ship_by(self, location: str, carrier: str, now: datetime) -> datetime:
        """The cut-off a parcel must make: today's at the location, or tomorrow's when
        today's has passed (in the location's time zone), in UTC."""
        place = self.places[location]
        cutoff = place.cutoffs.get(carrier) or self.carriers[carrier][0].cutoff
        local = now.astimezone(ZoneInfo(place.timezone))
        leave = datetime.combine(local.date(), cutoff, tzinfo=local.tzinfo)
        if local > leave:
            leave += timedelta(days=1)
        return leave.astimezone(UTC)


def load_ship_places(conn: Connection, item_ids: list[int], now: datetime) -> ShipPlaces:
    """The network for an order of ``item_ids`` as it stands at ``now``."""
    found = _candidates(conn, item_ids, now)[0]
    by_carrier = _carriers(conn)
    collecting = _collecting(conn)
    places = {
        row.code: Place(
            row.id,
            row.code,
            row.timezone,
            row.city,
            row.pincode,
            row.latitude,
            row.longitude,
            collecting.get(row.id, {}),
        )
        for row in conn.execute(select(locations))
    }
    candidates = [
        ShipCandidate(
            code=c.code,
            name=c.name,
            kind=c.kind,
            capabilities=c.capabilities,
            latitude=c.latitude,
            longitude=c.longitude,
            remaining_capacity=c.remaining_capacity,
            available=c.available,
            carriers=frozenset(places[c.code].cutoffs),
        )
        for c in found
    ]
    network = ShipNetwork(candidates, [carrier for carrier, _ in by_carrier.values()])
    return ShipPlaces(network, places, by_carrier)


def locate_customer(
    places: ShipPlaces, latitude: float | None, longitude: float | None, city: str, pincode: str
) -> tuple[float, float, str]:
    """Where the customer is, and a sentence when it was guessed (empty when given)."""
    if latitude is not None and longitude is not None:
        return latitude, longitude, ""
    for place in places.places.values():
        if city and place.city.casefold() == city.casefold():
            note = f"No coordinates given: the customer is placed in {city}."
            return place.latitude, place.longitude, note
    shared, near = max(
        ((_shared_digits(pincode, p.pincode), p) for p in places.places.values()),
        key=lambda pair: (pair[0], -pair[1].id),
        default=(0, None),
    )
    if near is None or shared < MIN_PINCODE_DIGITS:
        raise BadInput(
            f"customer.latitude: pincode {pincode} in {city or 'no city'} is not near any "
            "of our locations, and no coordinates were sent.",
            next_step="Send the customer's latitude and longitude with the order.",
        )
    note = (
        f"No coordinates given: the customer is placed at {near.code} in {near.city}, "
        f"whose pincode {near.pincode} shares {shared} digits with {pincode}."
    )
    return near.latitude, near.longitude, note


def _shared_digits(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _carriers(conn: Connection) -> dict[str, tuple[Carrier, str]]:
    prefixes: dict[int, set[str]] = {}
    for carrier_id, prefix in conn.execute(
        select(carrier_pincodes.c.carrier_id, carrier_pincodes.c.prefix)
    ):
        prefixes.setdefault(carrier_id, set()).add(prefix)
    found = {}
    for row in conn.execute(select(carriers).where(carriers.c.active.is_(True))):
        rates = {
            zone: rate
            for zone, rate in (
                (Zone.LOCAL, row.rate_local),
                (Zone.REGIONAL, row.rate_regional),
                (Zone.NATIONAL, row.rate_national),
            )
            if rate is not None
        }
        days = {
            Zone.LOCAL: row.days_local,
            Zone.REGIONAL: row.days_regional,
            Zone.NATIONAL: row.days_national,
        }
        carrier = Carrier(
            code=row.code,
            name=row.name,
            kind="local" if row.kind == "own_fleet" else "booked",
            pincodes=frozenset(prefixes.get(row.id, ())),
            cutoff=_hhmm(row.cutoff),
            rate_paise=rates,
            days=days,
        )
        found[row.code] = (carrier, row.service)
    return found


def _collecting(conn: Connection) -> dict[int, dict[str, time]]:
    """location id -> carrier code -> cut-off there (the carrier's own unless set)."""
    found: dict[int, dict[str, time]] = {}
    rows = conn.execute(
        select(location_carriers.c.location_id, carriers.c.code, carriers.c.cutoff)
        .add_columns(location_carriers.c.cutoff.label("here"))
        .join(carriers, carriers.c.id == location_carriers.c.carrier_id)
        .where(carriers.c.active.is_(True))
    )
    for location_id, code, usual, here in rows:
        found.setdefault(location_id, {})[code] = _hhmm(here or usual)
    return found


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))
