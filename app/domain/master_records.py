"""Master data records (items, locations, staff, opening stock, reasons) built from text
fields, each field checked. Pure: the CSV import and the admin API both build them here.

A builder takes a mapping of column name to text (a CSV row, or an API body turned into
text) and returns a frozen record, or raises ``BadInput`` naming the field to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain import master_fields as f
from app.domain.gtin import validate_gtin
from app.domain.reasons import Reason, ReasonEffect, parse_uses
from app.domain.stock import Bucket
from app.errors import BadInput

LOCATION_KINDS = ("store", "warehouse", "dark_store")
CAPABILITIES = ("bopis", "ship_from_store", "returns", "ship_for_pickup")
ROLES = ("associate", "lead", "manager")
CURRENCIES = ("INR",)


@dataclass(frozen=True)
class ItemRecord:
    sku: str
    gtin: str
    name: str
    price_minor: int
    currency: str
    category: str
    hsn_code: str
    gst_rate_bp: int  # 1800 = 18 %
    weight_g: int
    length_mm: int
    width_mm: int
    height_mm: int
    return_category: str
    return_days: int
    final_sale: bool  # stored as returnable = not final_sale


@dataclass(frozen=True)
class LocationRecord:
    code: str
    name: str
    kind: str
    city: str
    address: str
    pincode: str
    latitude: float
    longitude: float
    gstin: str  # "" when the location has none of its own
    capabilities: tuple[str, ...]
    daily_capacity: int
    carriers: tuple[str, ...]
    pickup_hold_days: int


@dataclass(frozen=True)
class StaffRecord:
    code: str
    name: str
    role: str
    store: str  # home location code; "" = regional, every store
    pin: str  # "" = keep the PIN it has (a new person has none until a manager sets one)
    badge: str  # "" = keep the badge it has
    active: bool


@dataclass(frozen=True)
class StockRecord:
    location: str
    sku: str
    bucket: str
    quantity: int


@dataclass(frozen=True)
class Columns:
    """A kind's CSV columns: those a row must have and those that may be left out."""

    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


def _get(fields: Mapping[str, str], name: str) -> str:
    return (fields.get(name) or "").strip()


def _field(name: str, check: Callable[[], Any]) -> Any:
    """Run one field's check; its error names the column."""
    try:
        return check()
    except BadInput as exc:
        raise BadInput(f"{name}: {exc.message}", next_step=exc.next_step) from None


def _choice(value: str, what: str, allowed: tuple[str, ...]) -> str:
    word = value.strip().lower()
    if word not in allowed:
        raise BadInput(f"'{value.strip()}' is not a {what}; use {', '.join(allowed)}.")
    return word


def _or(value: str, default: str) -> str:
    return value if value else default


ITEM_COLUMNS = Columns(
    required=("sku", "gtin", "name", "price", "category", "hsn_code", "gst_rate"),
    optional=(
        "currency", "weight_g", "length_mm", "width_mm", "height_mm", "return_category",
        "return_days", "final_sale",
    ),
)  # fmt: skip


def item_record(fields: Mapping[str, str]) -> ItemRecord:
    """An item from text fields (CSV columns of :data:`ITEM_COLUMNS`)."""

    def g(name: str) -> str:
        return _get(fields, name)

    def size(name: str) -> int:
        return int(_field(name, lambda: f.whole_number(_or(g(name), "0"), name, high=100_000)))

    return ItemRecord(
        sku=_field("sku", lambda: f.check_code(g("sku"), "SKU", 40).upper()),
        gtin=_field("gtin", lambda: validate_gtin(g("gtin"))),
        name=_field("name", lambda: f.check_text(g("name"), "name", 200)),
        price_minor=_field("price", lambda: f.price_minor(g("price"))),
        currency=_field("currency", lambda: _choice(_or(g("currency"), "INR").lower(), "currency",
                                                    tuple(c.lower() for c in CURRENCIES)).upper()),
        category=_field("category", lambda: f.check_text(g("category"), "category", 60)),
        hsn_code=_field("hsn_code", lambda: f.check_hsn(g("hsn_code"))),
        gst_rate_bp=_field("gst_rate", lambda: f.gst_rate_bp(g("gst_rate"))),
        weight_g=int(_field("weight_g", lambda: f.whole_number(
            _or(g("weight_g"), "0"), "weight in grams", high=1_000_000))),
        length_mm=size("length_mm"),
        width_mm=size("width_mm"),
        height_mm=size("height_mm"),
        return_category=_field("return_category", lambda: f.check_code(
            _or(g("return_category"), "standard"), "return category", 30).lower()),
        return_days=int(_field("return_days", lambda: f.whole_number(
            _or(g("return_days"), "30"), "return window in days", high=365))),
        final_sale=bool(_field("final_sale", lambda: f.yes_no(g("final_sale"), "final sale"))),
    )  # fmt: skip


LOCATION_COLUMNS = Columns(
    required=("code", "name", "kind", "city", "pincode", "latitude", "longitude"),
    optional=(
        "address", "gstin", "capabilities", "daily_capacity", "carriers", "pickup_hold_days",
    ),
)  # fmt: skip


def _capabilities(text: str) -> tuple[str, ...]:
    found = f.word_list(text.lower())
    unknown = [c for c in found if c not in CAPABILITIES]
    if unknown:
        raise BadInput(f"'{unknown[0]}' is not a capability; use {', '.join(CAPABILITIES)}.")
    return found


def location_record(fields: Mapping[str, str]) -> LocationRecord:
    """A location from text fields (CSV columns of :data:`LOCATION_COLUMNS`)."""

    def g(name: str) -> str:
        return _get(fields, name)

    lat = _field("latitude", lambda: f.decimal_number(g("latitude"), "latitude"))
    lon = _field("longitude", lambda: f.decimal_number(g("longitude"), "longitude"))
    lat, lon = _field("latitude", lambda: f.check_coordinates(lat, lon))
    carriers = _field(
        "carriers",
        lambda: tuple(f.check_code(c, "carrier code", 30) for c in f.word_list(g("carriers"))),
    )
    return LocationRecord(
        code=_field("code", lambda: f.check_code(g("code"), "location code", 20).upper()),
        name=_field("name", lambda: f.check_text(g("name"), "name", 120)),
        kind=_field("kind", lambda: _choice(g("kind"), "location kind", LOCATION_KINDS)),
        city=_field("city", lambda: f.check_text(g("city"), "city", 80)),
        address=_field("address", lambda: f.check_text(g("address"), "address", 250,
                                                       required=False)),
        pincode=_field("pincode", lambda: f.check_pincode(g("pincode"))),
        latitude=lat,
        longitude=lon,
        gstin=_field("gstin", lambda: f.check_gstin(g("gstin")) if g("gstin") else ""),
        capabilities=_field("capabilities", lambda: _capabilities(g("capabilities"))),
        daily_capacity=int(_field("daily_capacity", lambda: f.whole_number(
            _or(g("daily_capacity"), "200"), "daily capacity", high=1_000_000))),
        carriers=carriers,
        pickup_hold_days=int(_field("pickup_hold_days", lambda: f.whole_number(
            _or(g("pickup_hold_days"), "5"), "pickup hold in days", low=1, high=60))),
    )  # fmt: skip


STAFF_COLUMNS = Columns(
    required=("code", "name", "role"), optional=("store", "pin", "badge", "active")
)


def staff_record(fields: Mapping[str, str], *, pin_length: tuple[int, int] = (4, 8)) -> StaffRecord:
    """A staff member from text fields (CSV columns of :data:`STAFF_COLUMNS`)."""

    def g(name: str) -> str:
        return _get(fields, name)

    pin = g("pin")
    return StaffRecord(
        code=_field("code", lambda: f.check_code(g("code"), "staff code", 20).upper()),
        name=_field("name", lambda: f.check_text(g("name"), "name", 120)),
        role=_field("role", lambda: _choice(g("role"), "role", ROLES)),
        store=_field("store", lambda: f.check_code(g("store"), "location code", 20).upper()
                     if g("store") else ""),
        pin=_field("pin", lambda: f.check_pin(pin, length=pin_length) if pin else ""),
        badge=_field("badge", lambda: f.check_text(g("badge"), "badge", 64, required=False)),
        active=bool(_field("active", lambda: f.yes_no(_or(g("active"), "yes"), "active"))),
    )  # fmt: skip


STOCK_COLUMNS = Columns(required=("location", "sku", "quantity"), optional=("bucket",))
BUCKETS = tuple(b.value for b in Bucket)


def stock_record(fields: Mapping[str, str]) -> StockRecord:
    """Opening stock of one item in one bucket at one location."""

    def g(name: str) -> str:
        return _get(fields, name)

    return StockRecord(
        location=_field("location", lambda: f.check_code(g("location"), "location code",
                                                         20).upper()),
        sku=_field("sku", lambda: f.check_code(g("sku"), "SKU", 40).upper()),
        bucket=_field("bucket", lambda: _choice(_or(g("bucket"), "sellable"), "bucket", BUCKETS)),
        quantity=int(_field("quantity", lambda: f.whole_number(g("quantity"), "quantity",
                                                               high=10_000_000))),
    )  # fmt: skip


REASON_COLUMNS = Columns(
    required=("code", "label", "effect", "applies_to"), optional=("active", "sort_order")
)


def reason_record(fields: Mapping[str, str]) -> Reason:
    """A reason of the retailer's table (short, reject, handover, count, return)."""

    def g(name: str) -> str:
        return _get(fields, name)

    def effect() -> ReasonEffect:
        word = g("effect").lower()
        try:
            return ReasonEffect(word)
        except ValueError:
            known = ", ".join(e.value for e in ReasonEffect)
            raise BadInput(f"'{word}' is not a stock effect; use {known}.") from None

    code = _field("code", lambda: f.check_code(g("code"), "reason code", 40).lower())
    label = _field("label", lambda: f.check_text(g("label"), "label", 120))
    uses = _field("applies_to", lambda: parse_uses(",".join(f.word_list(g("applies_to")))))
    return Reason(
        code=code,
        label=label,
        effect=_field("effect", effect),
        applies_to=uses or _field("applies_to", _no_uses),
        active=bool(_field("active", lambda: f.yes_no(_or(g("active"), "yes"), "active"))),
        sort_order=int(_field("sort_order", lambda: f.whole_number(
            _or(g("sort_order"), "0"), "sort order", high=100_000))),
    )  # fmt: skip


def _no_uses() -> Any:
    raise BadInput("Say where the reason is offered, e.g. short_pick;ship_reject.")
