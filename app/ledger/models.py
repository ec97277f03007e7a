"""The ledger's tables (SQLAlchemy 2 declarative). Alembic migrations mirror these.

Stock is the sum of append-only ``stock_movements``; ``stock_balances`` is kept in the
same transaction as each movement. Every change a station may pull gets a row in
``change_log`` under a ``ledger_seq`` allocated from the one-row ``ledger_head``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
SeqType = BigInteger().with_variant(Integer(), "sqlite")
DEFAULT_REMINDER_DAYS = (2, 4)  # a location's pickup reminders unless it sets its own


class Base(DeclarativeBase):
    pass


def table_of(model: type[Base]) -> Table:
    """The Core table of a model, for the Core statements of the hot paths."""
    return cast(Table, model.__table__)


class LedgerHead(Base):
    """One row: the last ledger_seq handed out (:mod:`app.ledger.sequencer`)."""

    __tablename__ = "ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(SeqType, default=0)


class SeqBlock(Base):
    """ledger_seq values handed to a location write still in flight (PostgreSQL): pulls
    stop below the lowest (:mod:`app.ledger.sequencer`)."""

    __tablename__ = "seq_blocks"
    id: Mapped[int] = mapped_column(SeqType, primary_key=True)
    lo: Mapped[int] = mapped_column(BigInteger)
    hi: Mapped[int] = mapped_column(BigInteger)
    xid: Mapped[int] = mapped_column(BigInteger)  # the writer's transaction id


class Location(Base):
    __tablename__ = "locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))  # store | warehouse | dark_store
    city: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(250), default="")
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Kolkata")
    capabilities: Mapped[list[str]] = mapped_column(JSON)
    pickup_hold_days: Mapped[int] = mapped_column(Integer, default=5)
    daily_capacity: Mapped[int] = mapped_column(Integer, default=200)
    carrier_cutoff: Mapped[str] = mapped_column(String(5), default="16:00")
    bins: Mapped[list[str]] = mapped_column(JSON, default=list)  # hold-shelf bin codes
    # Days after an order became ready on which the customer gets a pickup reminder.
    pickup_reminder_days: Mapped[list[int]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_REMINDER_DAYS)
    )
    # Master data (migration 0008): where it is, its GST registration, who collects there.
    pincode: Mapped[str] = mapped_column(String(6), default="", server_default="")
    gstin: Mapped[str] = mapped_column(String(15), default="", server_default="")
    carriers: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))


class Item(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(40), unique=True)
    gtin: Mapped[str] = mapped_column(String(14), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    category: Mapped[str] = mapped_column(String(60))
    weight_g: Mapped[int] = mapped_column(Integer, default=0)
    length_mm: Mapped[int] = mapped_column(Integer, default=0)
    width_mm: Mapped[int] = mapped_column(Integer, default=0)
    height_mm: Mapped[int] = mapped_column(Integer, default=0)
    return_days: Mapped[int] = mapped_column(Integer, default=30)
    returnable: Mapped[bool] = mapped_column(Boolean, default=True)  # False: final sale
    # Master data (migration 0008): GST invoice fields and the return policy it falls under.
    hsn_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    gst_rate_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # 1800=18%
    return_category: Mapped[str] = mapped_column(
        String(30), default="standard", server_default="standard"
    )


class StockMovement(Base):
    """Append-only. Stock at (location, item, bucket) is the sum of its movements."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_movements_key_seq", "location_id", "item_id", "bucket", "ledger_seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_seq: Mapped[int] = mapped_column(SeqType, index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    bucket: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[str | None] = mapped_column(String(40))
    op_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # A count: the base_ledger_seq its station had seen (app/domain/counting.py rule 3a).
    base_ledger_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class StockBalance(Base):
    __tablename__ = "stock_balances"
    __table_args__ = (
        UniqueConstraint("location_id", "item_id", "bucket", name="uq_balance_key"),
        Index("ix_balances_location_id", "location_id", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    bucket: Mapped[str] = mapped_column(String(20))
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    # Set by a short or refusal with a "not found" reason: nothing here is available to
    # promise until the item is counted again (a count of the sellable bucket clears it).
    count_due: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Order(Base):
    __tablename__ = "orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_number: Mapped[str] = mapped_column(String(40), unique=True)
    channel: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))
    pickup_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    customer_name: Mapped[str] = mapped_column(String(120))
    customer_phone: Mapped[str] = mapped_column(String(32), default="")
    customer_email: Mapped[str] = mapped_column(String(200), default="")
    customer_city: Mapped[str] = mapped_column(String(80), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    total_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="INR")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Ship orders (migration 0014): the delivery address (name, line1, line2, city, state,
    # pincode, phone), what the customer paid beyond the lines, and how they pay.
    ship_to: Mapped[dict[str, str] | None] = mapped_column(JSON)
    discount_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    shipping_minor: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    payment: Mapped[str | None] = mapped_column(String(10))  # prepaid | cod
    cod_minor: Mapped[int | None] = mapped_column(BigInteger)


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    paid_minor: Mapped[int | None] = mapped_column(BigInteger)  # per unit, after offers


class FulfilmentOrder(Base):
    """The part of an order one location fulfils; carries what a station shows."""

    __tablename__ = "fulfilment_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20))
    customer_name: Mapped[str] = mapped_column(String(120))
    customer_phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Pickup: hold-shelf bin, hold deadline (server time), salted hash of the pickup code,
    # and the log of ready messages, proofs of pickup and cancellations.
    bin: Mapped[str | None] = mapped_column(String(20))
    pickup_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    pickup_code_hash: Mapped[str] = mapped_column(String(64), default="")
    pickup_code_salt: Mapped[str] = mapped_column(String(32), default="")
    pickup_log: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Ship (migration 0014): where it goes, the COD it collects, the carrier and service
    # routing chose, the promised delivery date, the carrier cut-off it should leave by,
    # and routing's note on why here.
    ship_to: Mapped[dict[str, str] | None] = mapped_column(JSON)
    payment: Mapped[str | None] = mapped_column(String(10))
    cod_minor: Mapped[int | None] = mapped_column(BigInteger)
    carrier: Mapped[str | None] = mapped_column(String(20))
    carrier_service: Mapped[str | None] = mapped_column(String(40))
    promised_by: Mapped[date | None] = mapped_column(Date)
    ship_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    route_note: Mapped[str | None] = mapped_column(Text)


class FulfilmentLine(Base):
    """One line of a fulfilment order with its counters (``PickupLine``: quantity is
    what was ordered); written only by whoever holds the fulfilment order's row lock."""

    __tablename__ = "fulfilment_lines"
    __table_args__ = (
        UniqueConstraint("fulfilment_order_id", "line_no", name="uq_fulfilment_line_no"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)  # 1, 2 … in the order's line order
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    sku: Mapped[str] = mapped_column(String(40))
    gtin: Mapped[str] = mapped_column(String(14), server_default="")
    name: Mapped[str] = mapped_column(String(200), server_default="")
    price_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    quantity: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, server_default="0")
    short: Mapped[int] = mapped_column(Integer, server_default="0")
    ready: Mapped[int] = mapped_column(Integer, server_default="0")
    collected: Mapped[int] = mapped_column(Integer, server_default="0")
    cancelled: Mapped[int] = mapped_column(Integer, server_default="0")
    restocked: Mapped[int] = mapped_column(Integer, server_default="0")
    inbound: Mapped[int] = mapped_column(Integer, server_default="0")
    shipped: Mapped[int] = mapped_column(Integer, server_default="0")
    received: Mapped[int] = mapped_column(Integer, server_default="0")
    packed: Mapped[int] = mapped_column(Integer, server_default="0")  # ship: units in parcels
    cancel_reason: Mapped[str] = mapped_column(Text, server_default="")


class FulfilmentEvent(Base):
    __tablename__ = "fulfilment_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    ledger_seq: Mapped[int] = mapped_column(SeqType)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(String(30), default="")  # the step: pickup.pick …
    op_id: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(40))
    approver: Mapped[str | None] = mapped_column(String(40))


class Reservation(Base):
    """Stock held for a fulfilment order line; expires by server time only."""

    __tablename__ = "reservations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="active")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CustomerMessage(Base):
    """The notification outbox: one message to a customer (ready, reminder, cancelled).

    ``dedupe_key`` is unique, so the step that causes a message never queues it twice; a
    dispatcher claims a row (queued → sending) before it sends, so none goes out twice.
    """

    __tablename__ = "customer_messages"
    __table_args__ = (Index("ix_customer_messages_state_id", "state", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # ready | reminder | cancelled
    channel: Mapped[str] = mapped_column(String(10))  # sms | email | whatsapp
    recipient: Mapped[str] = mapped_column(String(200))  # phone number or email address
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    reminder_day: Mapped[int | None] = mapped_column(Integer)  # N of reminder N, else None
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # queued, sending, sent, failed, skipped
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Device(Base):
    """An enrolled station. Its token is kept only as a sha256 hash."""

    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("adopted_by", name="uq_devices_adopted_by"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(10))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_applied_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Re-enrolment: the device that adopted this one's unsent operations, and the last
    # device_seq it may push in this device's name (app.ledger.adoption).
    adopted_by: Mapped[str | None] = mapped_column(String(40))
    adopted_through_seq: Mapped[int | None] = mapped_column(BigInteger)
    # The open exception saying this station's clock is off (app.ledger.clock_skew).
    clock_exception_id: Mapped[int | None] = mapped_column(Integer)


class EnrolCode(Base):
    __tablename__ = "enrol_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    device_id: Mapped[str | None] = mapped_column(String(40))


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(12))  # associate | lead | manager
    pin_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    badge_hash: Mapped[str] = mapped_column(String(200))  # domain.badges: salted sha256
    home_location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StaffStore(Base):
    """A store a staff member may work at besides their home (a regional manager's
    stores). A station receives only the staff of its location: home or assigned here."""

    __tablename__ = "staff_stores"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id"), primary_key=True, index=True
    )


class OpReceived(Base):
    """Every operation a device pushed, with the result sent back. Kept forever."""

    __tablename__ = "ops_received"
    __table_args__ = (UniqueConstraint("device_id", "device_seq", name="uq_ops_device_seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10))
    ledger_seq: Mapped[int | None] = mapped_column(BigInteger)
    result: Mapped[str] = mapped_column(Text)  # OpResult JSON
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeLog(Base):
    """What stations pull: one row per changed scope row, in ledger_seq order."""

    __tablename__ = "change_log"
    ledger_seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[int | None] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    data: Mapped[str | None] = mapped_column(Text)  # the row as JSON text; NULL = deleted


class LedgerException(Base):
    """Something a manager must look at (oversell, collected after cancel …)."""

    __tablename__ = "exceptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    op_id: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    next_step: Mapped[str] = mapped_column(Text, default="")
    order_number: Mapped[str | None] = mapped_column(String(40))  # what it is about, if
    sku: Mapped[str | None] = mapped_column(String(40))  # an order or an item
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Hash-chained: hash = sha256(prev_hash + body), body the canonical JSON of the entry.
    One chain per location, chain 0 for network-wide writes (:mod:`app.ledger.audit`)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_chain_id", "chain", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chain: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(40))
    approver: Mapped[str | None] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Transfer(Base):
    """Ship-for-pickup: stock a warehouse sends to a store for one pickup order.

    status: open (reserved at the warehouse) → shipped (in transit) → received; or
    cancelled (the order was cancelled before anything shipped).
    """

    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(ForeignKey("fulfilment_orders.id"), index=True)
    order_number: Mapped[str] = mapped_column(String(40))
    from_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    to_location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_by: Mapped[str | None] = mapped_column(String(40))
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TransferLine(Base):
    """Units of one item on a transfer: asked for, shipped, received at the store."""

    __tablename__ = "transfer_lines"
    __table_args__ = (UniqueConstraint("transfer_id", "item_id", name="uq_transfer_line_item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    shipped: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[int] = mapped_column(Integer, default=0)


class RejectionReason(Base):
    """The retailer's reasons for shorts, refusals, units left at the handover and count
    differences, each with its stock effect (:mod:`app.domain.reasons`)."""

    __tablename__ = "rejection_reasons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    effect: Mapped[str] = mapped_column(String(20))  # ReasonEffect
    applies_to: Mapped[str] = mapped_column(String(120))  # ReasonUse values, comma separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class ApprovalUse(Base):
    """A lead's or manager's approval id, once an operation used it: an approval counts
    for one operation only (:mod:`app.ledger.approvals`)."""

    __tablename__ = "approvals_used"
    approval_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    op_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(40))
    approver: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuarantinedOp(Base):
    """An operation the ledger could not apply (a bug, a database error, a type it does
    not know yet), held for a replay after a fix (:mod:`app.ledger.quarantine`)."""

    __tablename__ = "quarantined_ops"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40), index=True)
    device_seq: Mapped[int] = mapped_column(BigInteger)
    op_id: Mapped[str] = mapped_column(String(64), unique=True)
    type: Mapped[str] = mapped_column(String(40))  # as ops_received holds it
    op: Mapped[str] = mapped_column(Text)  # the whole PushOp as ASCII JSON
    cause: Mapped[str] = mapped_column(String(20))  # unknown_type | failed
    error: Mapped[str] = mapped_column(Text)  # the last error, for IT
    status: Mapped[str] = mapped_column(String(10), default="held")  # held | replayed
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    exception_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
    tracking: Mapped[str] = mapped_column(String(40))
    void: Mapped[bool] = mapped_column(Boolean, server_default=false())
    voided_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    op_id: Mapped[str | None] = mapped_column(String(64))
    device_id: Mapped[str | None] = mapped_column(String(40))


class ParcelLine(Base):
    """Units of one SKU in a parcel."""

    __tablename__ = "parcel_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
