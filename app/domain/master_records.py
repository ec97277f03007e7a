"""Master data records (items, locations, staff, opening stock, reasons, shelf bins) built
from text fields, each field checked. Pure: the CSV import and the admin API both build them here.

A builder takes a mapping of column name to text (a CSV row, or an API body turned into
text) and returns a frozen record, or raises ``BadInput`` naming the field to fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain import master_fields as f
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
    # goods value above which an order needs an e-way bill to leave (paise); None: the
    # law's ₹50,000 (app.domain.shipping.eway_bill.EWAY_BILL_THRESHOLD)
    eway_bill_threshold_minor: int | None = None


@dataclass(frozen=True)
class StaffRecord:
    code: str
    name: str
    role: str
    store: str  # home location code; "" = regional (works only at ``stores``)
    stores: tuple[str, ...]  # further stores this person works at
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
class BinRecord:
    """One shelf bin an item sits in at a location; rank 1 is its home bin."""

    location: str
    sku: str
    bin_code: str
    rank: int


@dataclass(frozen=True)
class Columns:
    """A kind's CSV columns: those a row must have and those that may be left out."""

    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


class _Fields:
    """The text fields of one row. Reading a field makes it the one an error names, so a
    builder reads its fields in order inside one ``try`` (no wrapper per field)."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self._fields = fields
        self.at = ""

    def __call__(self, name: str, default: str = "") -> str:
        self.at = name
        return (self._fields.get(name) or "").strip() or default

    def named(self, exc: BadInput) -> BadInput:
        """``exc`` with the column it is about in front."""
        return BadInput(f"{self.at}: {exc.message}", next_step=exc.next_step)


def _choice(value: str, what: str, allowed: tuple[str, ...]) -> str:
    word = value.strip().lower()
    if word not in allowed:
        raise BadInput(f"'{value.strip()}' is not a {what}; use {', '.join(allowed)}.")
    return word


def _currency(text: str) -> str:
    code = text.upper()
    if code not in CURRENCIES:
        raise BadInput(
            f"'{text}' is not a currency prices are kept in; use {', '.join(CURRENCIES)}."
        )
    return code


ITEM_COLUMNS = Columns(
    required=("sku", "gtin", "name", "price", "category", "hsn_code", "gst_rate"),
    optional=(
        "currency", "weight_g", "length_mm", "width_mm", "height_mm", "return_category",
        "return_days", "final_sale",
    ),
)  # fmt: skip


def item_record(fields: Mapping[str, str]) -> ItemRecord:
    """An item from text fields (CSV columns of :data:`ITEM_COLUMNS`)."""
    g = _Fields(fields)
    try:
        return ItemRecord(
            sku=f.check_code(g("sku"), "SKU", 40).upper(),
            gtin=f.check_gtin(g("gtin")),
            name=f.check_text(g("name"), "name", 200),
            price_minor=f.price_minor(g("price")),
            currency=_currency(g("currency", "INR")),
            category=f.check_text(g("category"), "category", 60),
            hsn_code=f.check_hsn(g("hsn_code")),
            gst_rate_bp=f.gst_rate_bp(g("gst_rate")),
            weight_g=f.whole_number(g("weight_g", "0"), "weight in grams", high=1_000_000),
            length_mm=f.whole_number(g("length_mm", "0"), "length in mm", high=100_000),
            width_mm=f.whole_number(g("width_mm", "0"), "width in mm", high=100_000),
            height_mm=f.whole_number(g("height_mm", "0"), "height in mm", high=100_000),
            return_category=f.check_code(
                g("return_category", "standard"), "return category", 30
            ).lower(),
            return_days=f.whole_number(g("return_days", "30"), "return window", high=365),
            final_sale=f.yes_no(g("final_sale"), "final sale"),
        )
    except BadInput as exc:
        raise g.named(exc) from None


LOCATION_COLUMNS = Columns(
    required=("code", "name", "kind", "city", "pincode", "latitude", "longitude"),
    optional=(
        "address", "gstin", "capabilities", "daily_capacity", "carriers", "pickup_hold_days",
        "eway_bill_threshold",  # whole rupees; empty: ₹50,000
    ),
)  # fmt: skip


def _capabilities(text: str) -> tuple[str, ...]:
    found = f.word_list(text.lower())
    unknown = [c for c in found if c not in CAPABILITIES]
    if unknown:
        raise BadInput(f"'{unknown[0]}' is not a capability; use {', '.join(CAPABILITIES)}.")
    return found


def _rupees(text: str, what: str) -> int | None:
    """Whole rupees as paise; None for an empty field."""
    return f.whole_number(text, what, high=10**9) * 100 if text.strip() else None


def location_record(fields: Mapping[str, str]) -> LocationRecord:
    """A location from text fields (CSV columns of :data:`LOCATION_COLUMNS`)."""
    g = _Fields(fields)
    try:
        code = f.check_code(g("code"), "location code", 20).upper()
        name = f.check_text(g("name"), "name", 120)
        kind = _choice(g("kind"), "location kind", LOCATION_KINDS)
        city = f.check_text(g("city"), "city", 80)
        address = f.check_text(g("address"), "address", 250, required=False)
        pincode = f.check_pincode(g("pincode"))
        latitude = f.decimal_number(g("latitude"), "latitude")
        longitude = f.decimal_number(g("longitude"), "longitude")
        g.at = "latitude"
        latitude, longitude = f.check_coordinates(latitude, longitude)
        return LocationRecord(
            code=code,
            name=name,
            kind=kind,
            city=city,
            address=address,
            pincode=pincode,
            latitude=latitude,
            longitude=longitude,
            gstin=f.check_gstin(gstin) if (gstin := g("gstin")) else "",
            capabilities=_capabilities(g("capabilities")),
            daily_capacity=f.whole_number(
                g("daily_capacity", "200"), "daily capacity", high=1_000_000
            ),
            carriers=tuple(f.check_code(c, "carrier code", 30) for c in f.word_list(g("carriers"))),
            pickup_hold_days=f.whole_number(
                g("pickup_hold_days", "5"), "pickup hold in days", low=1, high=60
            ),
            eway_bill_threshold_minor=_rupees(g("eway_bill_threshold"), "e-way bill threshold"),
        )
    except BadInput as exc:
        raise g.named(exc) from None


STAFF_COLUMNS = Columns(
    required=("code", "name", "role"), optional=("store", "stores", "pin", "badge", "active")
)


def staff_record(fields: Mapping[str, str]) -> StaffRecord:
    """A staff member from text fields (CSV columns of :data:`STAFF_COLUMNS`)."""
    g = _Fields(fields)
    try:
        code = f.check_code(g("code"), "staff code", 20).upper()
        name = f.check_text(g("name"), "name", 120)
        role = _choice(g("role"), "role", ROLES)
        store = f.check_code(home, "location code", 20).upper() if (home := g("store")) else ""
        stores = tuple(
            f.check_code(s, "location code", 20).upper() for s in f.word_list(g("stores"))
        )
        return StaffRecord(
            code=code,
            name=name,
            role=role,
            store=store,
            stores=tuple(s for s in stores if s != store),
            pin=f.check_pin(pin) if (pin := g("pin")) else "",
            badge=f.check_text(g("badge"), "badge", 64, required=False),
            active=f.yes_no(g("active", "yes"), "active"),
        )
    except BadInput as exc:
        raise g.named(exc) from None


STOCK_COLUMNS = Columns(required=("location", "sku", "quantity"), optional=("bucket",))
BUCKETS = tuple(b.value for b in Bucket)


def stock_record(fields: Mapping[str, str]) -> StockRecord:
    """Opening stock of one item in one bucket at one location."""
    g = _Fields(fields)
    try:
        return StockRecord(
            location=f.check_code(g("location"), "location code", 20).upper(),
            sku=f.check_code(g("sku"), "SKU", 40).upper(),
            bucket=_choice(g("bucket", "sellable"), "bucket", BUCKETS),
            quantity=f.whole_number(g("quantity"), "quantity", high=10_000_000),
        )
    except BadInput as exc:
        raise g.named(exc) from None


REASON_COLUMNS = Columns(
    required=("code", "label", "effect", "applies_to"), optional=("active", "sort_order")
)


def reason_record(fields: Mapping[str, str]) -> Reason:
    """A reason of the retailer's table (short, reject, handover, count, return)."""
    g = _Fields(fields)
    try:
        code = f.check_code(g("code"), "reason code", 40).lower()
        label = f.check_text(g("label"), "label", 120)
        effect = _effect(g("effect"))
        uses = parse_uses(",".join(f.word_list(g("applies_to"))))
        if not uses:
            raise BadInput("Say where the reason is offered, e.g. short_pick;ship_reject.")
        return Reason(
            code=code,
            label=label,
            effect=effect,
            applies_to=uses,
            active=f.yes_no(g("active", "yes"), "active"),
            sort_order=f.whole_number(g("sort_order", "0"), "sort order", high=100_000),
        )
    except BadInput as exc:
        raise g.named(exc) from None


def _effect(word: str) -> ReasonEffect:
    try:
        return ReasonEffect(word.lower())
    except ValueError:
        known = ", ".join(e.value for e in ReasonEffect)
        raise BadInput(f"'{word}' is not a stock effect; use {known}.") from None


BIN_COLUMNS = Columns(required=("location", "sku", "bin"), optional=("rank",))
MAX_RANK = 99  # bins of one item at one location, home bin first


def bin_record(fields: Mapping[str, str]) -> BinRecord:
    """A shelf bin of one item at one location (CSV columns of :data:`BIN_COLUMNS`)."""
    g = _Fields(fields)
    try:
        return BinRecord(
            location=f.check_code(g("location"), "location code", 20).upper(),
            sku=f.check_code(g("sku"), "SKU", 40).upper(),
            bin_code=f.check_bin_code(g("bin")),
            rank=f.whole_number(g("rank", "1"), "rank", low=1, high=MAX_RANK),
        )
    except BadInput as exc:
        raise g.named(exc) from None
