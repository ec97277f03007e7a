"""Ship-from-store master data built from text fields, each field checked: carriers,
the pincodes each delivers to, which carriers collect at each location (with its
cut-off), and each location's boxes. Pure, like :mod:`app.domain.master_records`.

Rates are rupees per parcel for a zone (local, regional, national: the distance bands
ship routing uses); an empty rate is a zone the carrier does not carry. Cut-offs are
``HH:MM`` on a 24-hour clock, in the local time of the location.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.domain import master_fields as f
from app.domain.master_records import Columns, _choice, _Fields
from app.errors import BadInput

CARRIER_KINDS = ("partner", "own_fleet")
ZONES = ("local", "regional", "national")  # as app.domain.ship_offers.Zone
DEFAULT_DAYS = {"local": 1, "regional": 2, "national": 4}
MAX_DAYS = 30
MAX_RATE_PAISE = 10**8  # ₹10 lakh a parcel: anything above is a typo
MAX_BOX_MM = 5_000
MAX_BOX_G = 1_000_000
_CUTOFF = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")
_PREFIX = re.compile(r"^[1-9][0-9]{0,5}$")


@dataclass(frozen=True)
class CarrierRecord:
    code: str
    name: str
    service: str
    kind: str  # partner | own_fleet
    cutoff: str  # HH:MM
    rates: tuple[int | None, int | None, int | None]  # paise: local, regional, national
    days: tuple[int, int, int]
    active: bool
    booking_url: str = ""  # where a partner is booked over HTTP; "": keep the current one

    @property
    def key(self) -> tuple[str, ...]:
        return (self.code,)


@dataclass(frozen=True)
class CarrierPincodeRecord:
    carrier: str
    prefix: str  # a whole pincode, or its first 1-5 digits

    @property
    def key(self) -> tuple[str, ...]:
        return (self.carrier, self.prefix)


@dataclass(frozen=True)
class LocationCarrierRecord:
    location: str
    carrier: str
    cutoff: str  # HH:MM; "" = the carrier's own
    collects: bool  # False: the carrier no longer collects there

    @property
    def key(self) -> tuple[str, ...]:
        return (self.location, self.carrier)


@dataclass(frozen=True)
class BoxRecord:
    location: str
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int
    max_weight_g: int

    @property
    def key(self) -> tuple[str, ...]:
        return (self.location, self.code)


MAX_URL = 200


def check_cutoff(text: str) -> str:
    """A cut-off time as ``HH:MM`` ("9:30" -> "09:30")."""
    found = _CUTOFF.match(text.strip())
    if not found:
        raise BadInput(
            f"'{text.strip()}' is not a time of day.",
            next_step="Write it as HH:MM on a 24-hour clock, e.g. 16:30.",
        )
    return f"{int(found[1]):02d}:{found[2]}"


def check_prefix(text: str) -> str:
    """A pincode, or the first 1-5 digits of the pincodes served ("5600")."""
    prefix = text.strip().replace(" ", "")
    if not prefix.isascii() or not _PREFIX.match(prefix):
        raise BadInput(
            f"'{text.strip()}' is not a pincode or the start of one.",
            next_step="Write 1 to 6 digits, not starting with 0: 560095, or 560 for all "
            "pincodes starting 560.",
        )
    return prefix


def _rate(text: str, zone: str) -> int | None:
    """Rupees per parcel as paise; empty: the zone is not carried."""
    if not text:
        return None
    paise = f.price_minor(text)
    if paise > MAX_RATE_PAISE:
        raise BadInput(f"The {zone} rate ₹{paise // 100:,} is more than a parcel costs.")
    return paise


def _carrier_code(text: str) -> str:
    return f.check_code(text, "carrier code", 20).upper()


def _location_code(text: str) -> str:
    return f.check_code(text, "location code", 20).upper()


CARRIER_COLUMNS = Columns(
    required=("code", "name", "kind", "cutoff"),
    optional=(
        "service", "rate_local", "rate_regional", "rate_national", "days_local",
        "days_regional", "days_national", "active", "booking_url",
    ),
)  # fmt: skip


def carrier_record(fields: Mapping[str, str]) -> CarrierRecord:
    """A carrier from text fields (CSV columns of :data:`CARRIER_COLUMNS`)."""
    g = _Fields(fields)
    try:
        code = _carrier_code(g("code"))
        name = f.check_text(g("name"), "name", 80)
        kind = _choice(g("kind"), "carrier kind", CARRIER_KINDS)
        cutoff = check_cutoff(g("cutoff"))
        service = f.check_text(g("service", "Standard"), "service", 40)
        local, regional, national = (_rate(g(f"rate_{z}"), z) for z in ZONES)
        days_local, days_regional, days_national = (
            f.whole_number(g(f"days_{z}", str(DEFAULT_DAYS[z])), f"{z} days", high=MAX_DAYS)
            for z in ZONES
        )
        active = f.yes_no(g("active", "yes"), "active")
        booking_url = _booking_url(g("booking_url"))
        if (local, regional, national) == (None, None, None):
            g.at = "rate_local"
            raise BadInput(
                f"{code} has no rate for any zone, so it would carry nothing.",
                next_step="Give the rupees per parcel for each zone it carries.",
            )
    except BadInput as exc:
        raise g.named(exc) from None
    return CarrierRecord(
        code=code,
        name=name,
        service=service,
        kind=kind,
        cutoff=cutoff,
        rates=(local, regional, national),
        days=(days_local, days_regional, days_national),
        active=active,
        booking_url=booking_url,
    )


def _booking_url(text: str) -> str:
    """A carrier's booking address: an http(s) URL, or empty."""
    if text and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
        raise BadInput(
            f"'{text[:80]}' is not a web address.",
            next_step="Write the carrier's booking API address, e.g. https://api.carrier.in/.",
        )
    if len(text) > MAX_URL:
        raise BadInput(f"The booking address is longer than {MAX_URL} characters.")
    return text


CARRIER_PINCODE_COLUMNS = Columns(required=("carrier", "pincode"), optional=())


def carrier_pincode_record(fields: Mapping[str, str]) -> CarrierPincodeRecord:
    """A pincode (or prefix) a carrier delivers to."""
    g = _Fields(fields)
    try:
        return CarrierPincodeRecord(
            carrier=_carrier_code(g("carrier")), prefix=check_prefix(g("pincode"))
        )
    except BadInput as exc:
        raise g.named(exc) from None


LOCATION_CARRIER_COLUMNS = Columns(
    required=("location", "carrier"), optional=("cutoff", "collects")
)


def location_carrier_record(fields: Mapping[str, str]) -> LocationCarrierRecord:
    """A carrier collecting at a location, with the cut-off there."""
    g = _Fields(fields)
    try:
        return LocationCarrierRecord(
            location=_location_code(g("location")),
            carrier=_carrier_code(g("carrier")),
            cutoff=check_cutoff(cutoff) if (cutoff := g("cutoff")) else "",
            collects=f.yes_no(g("collects", "yes"), "collects"),
        )
    except BadInput as exc:
        raise g.named(exc) from None


BOX_COLUMNS = Columns(
    required=(
        "location", "code", "name", "length_mm", "width_mm", "height_mm", "tare_g",
        "max_weight_g",
    ),
    optional=(),
)  # fmt: skip


def box_record(fields: Mapping[str, str]) -> BoxRecord:
    """A box of a location's catalogue: inner size in mm, its own weight and the most it
    carries (with what is in it) in grams."""
    g = _Fields(fields)
    try:
        location = _location_code(g("location"))
        code = f.check_code(g("code"), "box code", 20).upper()
        name = f.check_text(g("name"), "name", 80)
        length, width, height = (
            f.whole_number(g(f"{d}_mm"), f"inner {d} in mm", low=1, high=MAX_BOX_MM)
            for d in ("length", "width", "height")
        )
        tare = f.whole_number(g("tare_g"), "empty box's weight in grams", high=MAX_BOX_G)
        most = f.whole_number(g("max_weight_g"), "most it carries in grams", low=1, high=MAX_BOX_G)
        if most <= tare:
            raise BadInput(
                f"{code} may carry {most} g but weighs {tare} g empty.",
                next_step="max_weight_g is the most the packed box may weigh, box included.",
            )
    except BadInput as exc:
        raise g.named(exc) from None
    return BoxRecord(location, code, name, length, width, height, tare, most)
