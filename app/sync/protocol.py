"""The wire shapes of the sync protocol, shared by the station and the ledger.

DESIGN.md §4. The ledger serves these with FastAPI; the station sends and reads them with
requests. Change rows and snapshot rows use the same column names per scope, so the
station stores a pulled change and a snapshot row the same way.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/v1"

# The protocol version, sent by the station on every request in PROTOCOL_HEADER and by the
# ledger on every answer. A station that sends no header speaks version 1 (stations from
# before the header). Version 2: both sides read sync messages tolerantly (below). The
# ledger answers 426 to a station below its minimum (``ledger serve`` serves 1 and up).
PROTOCOL_VERSION = 2
MIN_PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "Counterbench-Protocol"
SEQ_MAX = 2**63 - 1  # sequence numbers and row ids are BIGINTs: larger ones are refused (422)
# The station's clock on each request (ISO 8601), so the ledger can say when it is off.
CLOCK_HEADER = "Counterbench-Clock"


class Scope(StrEnum):
    """Slices of the world a station holds. All but the shared ones are its location's."""

    LOCATIONS = "locations"  # every location: code, name, city, coordinates (shared)
    CATALOG = "catalog"  # every item (shared)
    STAFF = "staff"  # staff allowed at the device's location, with PIN hashes
    STOCK = "stock"  # balances at the device's location, per item and bucket
    NETWORK_STOCK = "network_stock"  # sellable available-to-promise at nearby locations
    FULFILMENT = "fulfilment"  # fulfilment orders routed to the device's location
    EXCEPTIONS = "exceptions"  # exceptions the ledger opened for the device's location
    REASONS = "reasons"  # the retailer's rejection reasons with their stock effects (shared)
    SHELF_BINS = "shelf_bins"  # the bins items sit in at the device's location (planogram)
    GST_RATES = "gst_rates"  # the GST rate table by HSN prefix, for invoices (shared)
    RETURNS = "returns"  # lines of returns taken in at the device's location (ledger 0025)
    SOLD_ORDERS = "sold_orders"  # orders sold at or sent from it in the last 90 days


# Columns of each scope's rows, in snapshot order; a pulled change's ``data`` has these keys.
SCOPE_COLUMNS: dict[Scope, tuple[str, ...]] = {
    Scope.LOCATIONS: (
        "id", "code", "name", "kind", "city", "latitude", "longitude", "timezone",
        "capabilities", "pickup_hold_days", "bins",
        "daily_capacity", "pincode", "gstin", "carriers",  # master data (ledger 0008)
        "boxes",  # the location's box catalogue, from box_types
        "eway_bill_threshold_minor",  # None: ₹50,000 (ledger 0024)
    ),
    Scope.CATALOG: (
        "id", "sku", "gtin", "name", "price_minor", "currency", "category", "weight_g",
        "return_days", "returnable",
        "length_mm", "width_mm", "height_mm", "hsn_code", "gst_rate_bp", "return_category",
    ),
    Scope.STAFF: ("id", "code", "name", "role", "pin_hash", "badge_hash", "active"),
    Scope.STOCK: (
        "id", "item_id", "bucket", "on_hand", "reserved", "safety_stock", "count_due",
    ),
    Scope.NETWORK_STOCK: ("id", "location_id", "item_id", "available"),
    Scope.FULFILMENT: (
        "id", "order_number", "channel", "method", "state", "customer_name",
        "customer_phone", "lines", "created_at", "updated_at", "location_code", "bin",
        "pickup_by", "pickup_code_hash", "pickup_code_salt", "pickup_log",
        "ship_to", "payment", "cod_minor", "carrier", "carrier_service", "promised_by",
        "ship_by", "route_note", "parcels",
        "picker_code", "transit_days",  # ledger 0020: who picks it, the carrier's days
        # a ship order's shares of its order's discount and shipping charge (paise), for
        # its tax invoice (app.ledger.order_charges)
        "discount_minor", "shipping_minor",
    ),
    Scope.EXCEPTIONS: (
        "id", "kind", "op_id", "message", "next_step", "status", "created_at",
        "order_number", "sku",
    ),
    Scope.REASONS: ("id", "code", "label", "effect", "applies_to", "active", "sort_order"),
    Scope.SHELF_BINS: ("id", "item_id", "bin_code", "sort_order"),
    Scope.GST_RATES: (
        "id", "hsn_prefix", "effective_from", "rate_bp", "band_limit_minor", "rate_above_bp",
    ),
    # One row per returned line (id: the ledger's line id), with its return's refund state.
    Scope.RETURNS: (
        "id", "return_id", "order_number", "line_no", "sku", "quantity", "grade",
        "disposition", "refund_minor", "refund_state", "recorded_at",
    ),
    # One row per order (id: the ledger's order id): the search keys beside the order as
    # the returns lookup answers it (``view``: a return_orders.ReturnOrder, customer masked).
    Scope.SOLD_ORDERS: ("id", "order_number", "sold_at", "phone_key", "email_key", "view"),
}  # fmt: skip

# BOPIS pickup columns (locations: pickup_hold_days, bins; fulfilment: location_code …
# pickup_log) were sent as extensions ahead of the station caches; they are part of
# SCOPE_COLUMNS now. Fulfilment ``lines`` items also carry the pickup counters (picked,
# short, ready, collected, cancelled, restocked, cancel_reason; ``quantity`` = ordered).
# Kept empty for callers that still name it; ``extended`` changes nothing any more.
SCOPE_EXTENSIONS: dict[Scope, tuple[str, ...]] = {}


def scope_columns(scope: Scope, *, extended: bool = False) -> tuple[str, ...]:
    """A scope's columns (``extended`` is accepted for old callers and ignored)."""
    return SCOPE_COLUMNS[scope]


# Per-scope checksum: SQL aggregates both sides run over their copy of the scope's rows
# (same column names). Joined with ':' they form the checksum string. A mismatch after a
# complete pull makes the station take a fresh snapshot of that scope.
CHECKSUM_AGGREGATES: dict[Scope, str] = {
    Scope.LOCATIONS: "count(*), coalesce(sum(id), 0)",
    Scope.CATALOG: "count(*), coalesce(sum(id), 0), coalesce(sum(price_minor), 0)",
    Scope.STAFF: "count(*), coalesce(sum(id), 0), coalesce(sum(active), 0)",
    Scope.STOCK: (
        "count(*), coalesce(sum(on_hand), 0), coalesce(sum(reserved), 0), "
        "coalesce(sum(id * (on_hand + 7 * reserved)), 0)"
    ),
    Scope.NETWORK_STOCK: "count(*), coalesce(sum(available), 0)",
    Scope.FULFILMENT: "count(*), coalesce(sum(id), 0)",
    Scope.EXCEPTIONS: "count(*), coalesce(sum(id), 0)",
    Scope.REASONS: "count(*), coalesce(sum(id), 0), coalesce(sum(active * (id + 1)), 0)",
    Scope.SHELF_BINS: (
        "count(*), coalesce(sum(id), 0), coalesce(sum(item_id), 0), "
        "coalesce(sum(id * sort_order), 0), coalesce(sum(length(bin_code) * id), 0)"
    ),
    Scope.GST_RATES: (
        "count(*), coalesce(sum(id), 0), coalesce(sum(id * rate_bp), 0), "
        "coalesce(sum(coalesce(rate_above_bp, 0)), 0), coalesce(sum(band_limit_minor), 0)"
    ),
    Scope.RETURNS: "count(*), coalesce(sum(id), 0), coalesce(sum(id * quantity), 0)",
    Scope.SOLD_ORDERS: "count(*), coalesce(sum(id), 0)",
}


SOLD_DAYS = 90  # how far back a station keeps its location's sales (Scope.SOLD_ORDERS)


def sold_since(now: datetime) -> datetime:
    """The first moment of the sales a station keeps: midnight UTC :data:`SOLD_DAYS` days
    back. A whole day, so the ledger and a station agree on it all day long (their
    checksums differ only while their clocks sit either side of a midnight)."""
    day = (now.astimezone(UTC) - timedelta(days=SOLD_DAYS)).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def checksum(aggregates: tuple[Any, ...] | list[Any]) -> str:
    """The checksum string for one scope from the values of its aggregates."""
    return ":".join(str(int(v or 0)) for v in aggregates)


def known_scope(name: str) -> Scope | None:
    """The scope called ``name``, or None for a scope this program does not know (a newer
    ledger's, or a newer station's)."""
    try:
        return Scope(name)
    except ValueError:
        return None


class _Wire(BaseModel):
    """Order intake, imports and admin: a misspelt field is refused, not guessed at."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _SyncWire(BaseModel):
    """Sync messages, read tolerantly: fields this program does not know are ignored, so a
    ledger or a station one version ahead adds fields without breaking the other side.
    Scopes travel as names; a reader skips the scopes it does not know (``known_scope``)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- enrolment -------------------------------------------------------------------------


class PreviousEnrolment(_SyncWire):
    """The enrolment a re-enrolling station leaves behind, with operations still unsent.

    The new device adopts them (they reach the ledger once, under the old device's
    numbering) unless ``discard``: then they are dropped, and the ledger audits that.
    """

    device_id: str = Field(min_length=1, max_length=40)
    token: str = Field(min_length=1, max_length=200)  # proves the station held it
    through_seq: int = Field(ge=0, le=2**62)  # the last device_seq made under it
    pending: int = Field(ge=0, le=2**62)  # how many of those the ledger has not confirmed
    discard: bool = False


class EnrolRequest(_SyncWire):
    code: str = Field(min_length=4, max_length=64)
    station_name: str = Field(min_length=1, max_length=80)
    station_kind: Literal["counter", "bench"] = "counter"
    previous: PreviousEnrolment | None = None


class EnrolResponse(_SyncWire):
    device_id: str
    token: str
    location_code: str
    location_name: str
    station_kind: str
    # The device whose unsent operations this one adopted: push them under that id.
    adopted_device_id: str | None = None
    # This enrolment's number (its row in the ledger's devices): the station block of its
    # SSCCs. None from a ledger that does not number stations yet.
    station_number: int | None = None


# --- push ------------------------------------------------------------------------------


class Approval(_SyncWire):
    approver: str  # staff code of the lead or manager who approved
    approval_id: str  # single-use, bound to one operation


class PushOp(_SyncWire):
    op_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")  # a UUID
    device_seq: int = Field(ge=1, le=SEQ_MAX)
    type: str  # any type: one the ledger does not know yet is held, not refused
    payload: dict[str, Any]
    actor: str | None = None
    approval: Approval | None = None
    device_time: datetime
    base_ledger_seq: int = Field(ge=0, le=SEQ_MAX)


class PushRequest(_SyncWire):
    device_id: str
    ops: list[PushOp] = Field(max_length=2000)


class OpStatus(StrEnum):
    APPLIED = "applied"
    REJECTED = "rejected"


class OpResult(_SyncWire):
    op_id: str
    device_seq: int
    status: OpStatus
    reason: str | None = None  # why it was rejected, in words for a store associate
    next_step: str | None = None
    ledger_seq: int | None = None  # the change it made, when applied
    exceptions: list[str] = Field(default_factory=list)  # kinds of exceptions it opened
    replayed: bool = False  # True when this is the stored result of an earlier push


class PushResponse(_SyncWire):
    results: list[OpResult]
    last_applied_seq: int


class GapError(_SyncWire):
    """Body of a 409: the ledger expected another device_seq next."""

    error: Literal["gap"] = "gap"
    expected_seq: int


class ReusedOpError(_SyncWire):
    """Body of a 422: an op_id (or device_seq) came back with another payload."""

    error: Literal["op_reused"] = "op_reused"
    op_id: str
    device_seq: int
    message: str


def op_fingerprint(op: PushOp) -> str:
    """A stable hash of everything an operation says, to tell a replay from a reuse."""
    body = op.model_dump(mode="json", exclude={"device_seq"})
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# --- pull and snapshot -----------------------------------------------------------------


class Change(_SyncWire):
    seq: int  # ledger_seq of the change
    scope: str  # a Scope's name; a newer ledger's scopes are skipped by the station
    key: str  # the row's id, as text
    data: dict[str, Any] | None  # full new row (SCOPE_COLUMNS[scope]); None when deleted


class PullResponse(_SyncWire):
    changes: list[Change]
    cursor: int  # pull from here next time
    has_more: bool
    last_applied_seq: int  # the device's last applied device_seq, as the ledger holds it
    # by scope name, only when has_more is False; names the station does not know are skipped
    checksums: dict[str, str] = Field(default_factory=dict)


class SnapshotPage(_SyncWire):
    scope: str  # the scope asked for; a scope the ledger does not know has no rows
    columns: list[str]
    rows: list[list[Any]]
    next_after: int | None  # pass as ``after`` for the next page; None on the last page
    as_of_seq: int  # pull changes from here once every page is stored


# --- orders ----------------------------------------------------------------------------


class Customer(_Wire):
    name: str = Field(min_length=1, max_length=120)
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=200)
    city: str = ""
    latitude: float | None = None
    longitude: float | None = None


class OrderLineIn(_Wire):
    sku: str
    quantity: int = Field(ge=1, le=1000)
    paid_minor: int | None = Field(default=None, ge=0, le=SEQ_MAX)  # ship: per unit, paid


class ShipTo(_Wire):
    """A ship order's delivery address; what must be filled is checked by
    :func:`app.domain.ship_intake.check_ship_terms`, which names the missing field."""

    name: str = Field(default="", max_length=120)
    line1: str = Field(default="", max_length=200)
    line2: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=80)
    state: str = Field(default="", max_length=80)
    pincode: str = Field(default="", max_length=12)
    phone: str = Field(default="", max_length=32)


class OrderIntake(_Wire):
    order_number: str = Field(min_length=1, max_length=40)
    channel: Literal["web", "app", "marketplace", "store"]
    method: Literal["pickup", "ship"]
    pickup_location: str | None = None  # location code the customer chose, for pickup
    customer: Customer
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)
    # When the chosen store cannot fill a pickup and it allows ship-for-pickup (capability
    # ``ship_for_pickup``), take it from a warehouse; False: refuse with the alternatives.
    ship_for_pickup: bool = True
    # Ship orders (required there, see app.domain.ship_intake): where it goes, what the
    # customer pays beyond the lines, and how; ``promised_by`` defaults to the standard
    # delivery promise.
    ship_to: ShipTo | None = None
    discount_minor: int = Field(default=0, ge=0, le=SEQ_MAX)
    shipping_minor: int = Field(default=0, ge=0, le=SEQ_MAX)
    payment: Literal["prepaid", "cod"] | None = None
    cod_minor: int | None = Field(default=None, ge=0, le=SEQ_MAX)
    promised_by: date | None = None


class FulfilmentOut(_Wire):
    id: int
    location: str
    state: str  # routed; awaiting_transfer for ship-for-pickup
    lines: list[dict[str, Any]]
    transfer_id: int | None = None  # ship-for-pickup: the warehouse's transfer to ship


class PickupAlternative(_Wire):
    """A pickup store that can fill the whole order the chosen store cannot."""

    code: str
    name: str
    city: str
    distance_km: float | None
    measured_from: Literal["customer", "store"]  # from the customer, or the chosen store


class OrderRefused(_Wire):
    """Body of a refused order intake (409); ``alternatives`` when the pickup store is short."""

    error: str  # store_cannot_fill, duplicate_order, rule_refused …
    message: str
    next_step: str = ""
    alternatives: list[PickupAlternative] = Field(default_factory=list)


class OrderAccepted(_Wire):
    order_number: str
    fulfilment_orders: list[FulfilmentOut]
    explanation: list[str]
    # Pickup orders: the customer's pickup code (shown once; the ledger keeps only a
    # salted hash) and the text of the QR for the customer's message.
    pickup_code: str | None = None
    pickup_qr: str | None = None


class PickupLocated(_SyncWire):
    """``GET /v1/pickups/locate``: which store holds a pickup order, nothing more."""

    location_code: str
    location_name: str


class Health(_SyncWire):
    status: Literal["ok"] = "ok"
    ledger_seq: int
    database: str
    protocol: int = PROTOCOL_VERSION
