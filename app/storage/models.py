"""SQLAlchemy models of the station cache. The schema itself is made by migrations.py.

Tables mirrored from the ledger (locations, items, staff, stock_base, network_stock,
fulfilment_orders, ledger_exceptions) use the column names of protocol.SCOPE_COLUMNS, so
a pulled change, a snapshot row and a checksum aggregate all read the same columns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.storage.types import JsonText, UtcDateTime


class Base(DeclarativeBase):
    pass


# --- this station ------------------------------------------------------------------------


class Device(Base):
    """The enrolment of this station (one row, id 1). The token lives in a 0600 file."""

    __tablename__ = "device"
    id: Mapped[int] = mapped_column(primary_key=True)
    ledger_url: Mapped[str] = mapped_column(Text)
    device_id: Mapped[str] = mapped_column(Text)
    location_code: Mapped[str] = mapped_column(Text)
    location_name: Mapped[str] = mapped_column(Text)
    station_name: Mapped[str] = mapped_column(Text)
    station_kind: Mapped[str] = mapped_column(Text)
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    next_device_seq: Mapped[int] = mapped_column(Integer, default=1)
    adopted_device_id: Mapped[str | None] = mapped_column(Text)
    adopted_through_seq: Mapped[int] = mapped_column(Integer, default=0)
    station_number: Mapped[int | None] = mapped_column(Integer)  # from the ledger's enrolment


class SyncState(Base):
    """Where the station's sync stands (one row, id 1)."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    online: Mapped[bool] = mapped_column(default=False)
    ledger_applied_seq: Mapped[int] = mapped_column(Integer, default=0)
    push_blocked: Mapped[str] = mapped_column(Text, default="")
    snapshot_done: Mapped[bool] = mapped_column(default=False)
    clock_skew_s: Mapped[float | None] = mapped_column(default=None)


# --- mirrored from the ledger ---------------------------------------------------------------


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    timezone: Mapped[str | None] = mapped_column(Text)
    capabilities: Mapped[Any] = mapped_column(JsonText)
    pickup_hold_days: Mapped[int | None] = mapped_column(Integer)
    bins: Mapped[Any] = mapped_column(JsonText)  # hold-shelf bin codes
    daily_capacity: Mapped[int | None] = mapped_column(Integer)
    pincode: Mapped[str | None] = mapped_column(Text)
    gstin: Mapped[str | None] = mapped_column(Text)
    carriers: Mapped[Any] = mapped_column(JsonText)  # carrier codes that collect here
    boxes: Mapped[Any] = mapped_column(JsonText)  # the box catalogue (dicts), smallest first
    eway_bill_threshold_minor: Mapped[int | None] = mapped_column(Integer)  # None: ₹50,000


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (Index("ix_items_gtin", "gtin"), Index("ix_items_sku", "sku"))
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(Text)
    gtin: Mapped[str | None] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    price_minor: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    return_days: Mapped[int | None] = mapped_column(Integer)
    returnable: Mapped[bool | None]
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    hsn_code: Mapped[str | None] = mapped_column(Text)
    gst_rate_bp: Mapped[int | None] = mapped_column(Integer)  # 1800 = 18 %
    return_category: Mapped[str | None] = mapped_column(Text)


class ShelfReprint(Base):
    """An item whose price changed in a pull: its shelf label waits to be reprinted."""

    __tablename__ = "shelf_reprints"
    item_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    old_price_minor: Mapped[int] = mapped_column(Integer)
    new_price_minor: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[str] = mapped_column(Text)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (Index("ix_staff_code", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    pin_hash: Mapped[str | None] = mapped_column(Text)
    badge_hash: Mapped[str | None] = mapped_column(Text)
    active: Mapped[int] = mapped_column(Integer)


class StockBase(Base):
    """Confirmed balances here, as the ledger last sent them."""

    __tablename__ = "stock_base"
    __table_args__ = (Index("ix_stock_base_item", "item_id", "bucket"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[str] = mapped_column(Text)
    on_hand: Mapped[int] = mapped_column(Integer)
    reserved: Mapped[int] = mapped_column(Integer)
    safety_stock: Mapped[int] = mapped_column(Integer)
    count_due: Mapped[int | None] = mapped_column(Integer)


class ReasonRow(Base):
    """The retailer's rejection reasons, as the ledger last sent them (reasons.py)."""

    __tablename__ = "reasons"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text)
    applies_to: Mapped[str] = mapped_column(Text)
    active: Mapped[int] = mapped_column(Integer)
    sort_order: Mapped[int] = mapped_column(Integer)


class NetworkStock(Base):
    __tablename__ = "network_stock"
    __table_args__ = (Index("ix_network_stock_item", "item_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)


class FulfilmentOrder(Base):
    __tablename__ = "fulfilment_orders"
    __table_args__ = (
        Index("ix_fulfilment_orders_number", "order_number"),
        Index("ix_fulfilment_orders_state", "state"),
        Index("ix_ship_queue", "method", "state", "ship_by"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)
    customer_name: Mapped[str | None] = mapped_column(Text)
    customer_phone: Mapped[str | None] = mapped_column(Text)
    lines: Mapped[Any] = mapped_column(JsonText)
    created_at: Mapped[str | None] = mapped_column(Text)  # ledger time, ISO text
    updated_at: Mapped[str | None] = mapped_column(Text)
    location_code: Mapped[str | None] = mapped_column(Text)
    bin: Mapped[str | None] = mapped_column(Text)
    pickup_by: Mapped[str | None] = mapped_column(Text)  # ledger time, ISO text
    pickup_code_hash: Mapped[str | None] = mapped_column(Text)
    pickup_code_salt: Mapped[str | None] = mapped_column(Text)
    pickup_log: Mapped[Any] = mapped_column(JsonText)
    phone_key: Mapped[str | None] = mapped_column(Text)  # kept by the cache, not pulled
    ship_to: Mapped[Any] = mapped_column(JsonText)  # name, line1, line2, city, state, pincode …
    payment: Mapped[str | None] = mapped_column(Text)  # prepaid | cod
    cod_minor: Mapped[int | None] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(Text)
    carrier_service: Mapped[str | None] = mapped_column(Text)
    promised_by: Mapped[str | None] = mapped_column(Text)  # ISO date
    ship_by: Mapped[str | None] = mapped_column(Text)  # ledger time, ISO text: carrier cut-off
    route_note: Mapped[str | None] = mapped_column(Text)
    parcels: Mapped[str | None] = mapped_column(Text)  # JSON list (domain.shipping.rows)
    picker_code: Mapped[str | None] = mapped_column(Text)  # who picks it (step 20)
    transit_days: Mapped[int | None] = mapped_column(Integer)  # the carrier's days (step 20)
    # its shares of the order's discount and shipping charge, paise (step 27)
    discount_minor: Mapped[int | None] = mapped_column(Integer)
    shipping_minor: Mapped[int | None] = mapped_column(Integer)


class LedgerException(Base):
    __tablename__ = "ledger_exceptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    op_id: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str | None] = mapped_column(Text)  # ledger time, ISO text
    order_number: Mapped[str | None] = mapped_column(Text)  # what it is about, if an order
    sku: Mapped[str | None] = mapped_column(Text)  # … or an item


# --- the station's own work -----------------------------------------------------------------


class OutboxOp(Base):
    """An operation made here, kept until 30 days after the ledger confirmed it."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_seq", "status", "device_seq"),
        Index("ix_outbox_ledger_seq", "ledger_seq"),
    )
    op_id: Mapped[str] = mapped_column(Text, primary_key=True)
    device_seq: Mapped[int] = mapped_column(Integer, unique=True)
    type: Mapped[str] = mapped_column(Text)
    payload: Mapped[Any] = mapped_column(JsonText)
    actor: Mapped[str | None] = mapped_column(Text)
    approval: Mapped[Any] = mapped_column(JsonText)
    device_time: Mapped[datetime] = mapped_column(UtcDateTime)
    base_ledger_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)  # pending | applied | rejected
    result: Mapped[Any] = mapped_column(JsonText)
    ledger_seq: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    effects: Mapped[Any] = mapped_column(JsonText)  # [[item_id, bucket, delta], ...]


class PendingStock(Base):
    """The local effect of an operation, shown on top of stock_base until pulled back."""

    __tablename__ = "pending_stock"
    __table_args__ = (Index("ix_pending_stock_item", "item_id", "bucket"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    op_id: Mapped[str] = mapped_column(Text, ForeignKey("outbox.op_id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(Integer)
    bucket: Mapped[str] = mapped_column(Text)
    delta: Mapped[int] = mapped_column(Integer)


class LoginAttempts(Base):
    """PIN failures per staff code; a lockout here survives a restart."""

    __tablename__ = "login_attempts"
    staff_code: Mapped[str] = mapped_column(Text, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ExceptionResolution(Base):
    __tablename__ = "exception_resolutions"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    staff_code: Mapped[str] = mapped_column(Text)
    resolved_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PrintJob(Base):
    """A label or document printed here, so reprints are visible and counted."""

    __tablename__ = "print_jobs"
    __table_args__ = (Index("ix_print_jobs_reference", "reference"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(Text)
    profile: Mapped[str] = mapped_column(Text)
    format: Mapped[str] = mapped_column(Text)
    copies: Mapped[int] = mapped_column(Integer)
    reprint: Mapped[bool]
    staff_code: Mapped[str | None] = mapped_column(Text)
    printed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(Text)
    error: Mapped[str] = mapped_column(Text, default="")
