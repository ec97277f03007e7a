"""What station services return: frozen dataclasses the UI shows as they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain.stock import Bucket


@dataclass(frozen=True)
class StaffSession:
    """Who is logged in at the station."""

    staff_id: int
    code: str
    name: str
    role: str  # associate | lead | manager
    logged_in_at: datetime


@dataclass(frozen=True)
class ItemSummary:
    """One line of a lookup result."""

    item_id: int
    sku: str
    gtin: str
    name: str
    price: str  # formatted, e.g. ₹1,299.00
    sellable_available: int  # here, confirmed base + pending operations
    count_due: bool = False  # not found at a short: nothing to promise until counted


@dataclass(frozen=True)
class BucketStock:
    bucket: Bucket
    on_hand: int
    reserved: int
    available: int
    pending_change: int  # part of on_hand that comes from operations not yet confirmed


@dataclass(frozen=True)
class NearbyStock:
    location_code: str
    location_name: str
    city: str
    distance_km: float
    available: int


@dataclass(frozen=True)
class ItemStock:
    """An item with its stock by bucket here and what nearby locations can promise."""

    item: ItemSummary
    category: str
    buckets: tuple[BucketStock, ...]
    nearby: tuple[NearbyStock, ...]


@dataclass(frozen=True)
class CountRecorded:
    """A count committed locally; it reaches the ledger with the next push."""

    op_id: str
    device_seq: int
    sku: str
    bucket: Bucket
    observed: int
    difference: int  # observed minus what the station showed before the count
    reason: str = ""  # the reason's words, when the count was far from the book


@dataclass(frozen=True)
class CountCheck:
    """A count far from the book is not recorded yet: count again without looking
    (``wants`` "recount"), then say why it differs ("reason", from ``reasons``)."""

    wants: str  # "recount" | "reason"
    reasons: tuple[tuple[str, str], ...] = ()  # (code, words) to choose from


@dataclass(frozen=True)
class ExceptionRow:
    """Something a person must resolve, one row per cause: rejected operations and ledger
    flags of one cause (e.g. an order cancelled while the station worked offline)."""

    key: str  # "op:<op_id>" for a rejected operation, "ledger:<id>" for a ledger flag
    kind: str  # an exception_texts kind: order_cancelled, oversell …
    title: str
    detail: str  # what happened
    next_step: str
    created_at: datetime
    status: str  # open | resolved
    ledger_flag: bool = False  # resolving it closes it at the ledger, for the whole store
    members: tuple[str, ...] = ()  # every key this row stands for (``key`` first)
    order_number: str = ""  # the order it is about (Enter opens it on Pickup) …
    sku: str = ""  # … or the item (Enter opens it in Stock lookup)
    about: str = ""  # the order or item in words: "WEB-240001", "Basmati rice (SKU-1)"
    age_s: float = 0.0  # how long it has been open, when listed


@dataclass(frozen=True)
class StationStatus:
    """What the status bar shows."""

    enrolled: bool
    location_code: str
    location_name: str
    station_name: str
    station_kind: str
    online: bool
    pending_ops: int
    oldest_pending_age_s: float | None
    last_sync_at: datetime | None
    cursor: int
    open_exceptions: int
    last_error: str
    sync_note: str = ""  # e.g. another Counterbench process is syncing this station
    sync_blocked: str = ""  # what stops sync until a person acts, e.g. "Update this terminal"
    as_of: datetime | None = None  # the station clock when this was read (ages count from it)
    clock_skew_s: float | None = None  # this clock minus the ledger's, as last measured
