"""Orders and their fulfilment: the order and its lines, each location's fulfilment
order with its line rows and events, reservations, customer messages, and the
warehouse transfers of ship-for-pickup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.till_sales import email_key, phone_key
from app.ledger.models.base import Base, SeqType


def _phone_key(context: DefaultExecutionContext) -> str:
    return phone_key(context.get_current_parameters().get("customer_phone") or "")


def _email_key(context: DefaultExecutionContext) -> str:
    return email_key(context.get_current_parameters().get("customer_email") or "")


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
    # Migration 0028: what a returns counter finds an order by, kept from the customer's
    # phone and e-mail as the order is inserted (an order's customer is never changed).
    phone_key: Mapped[str] = mapped_column(
        String(10), default=_phone_key, server_default="", index=True
    )
    email_key: Mapped[str] = mapped_column(
        String(200), default=_email_key, server_default="", index=True
    )


class OrderLine(Base):
    __tablename__ = "order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"), index=True)  # 0028: by item
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    paid_minor: Mapped[int | None] = mapped_column(BigInteger)  # per unit, after offers


class TillReceipt(Base):
    """A walk-in sale from the retailer's till system, kept as the order of the same
    number (channel store, method walkin): the store that sold it, how it was paid, and
    the digest of what the till sent, so the same receipt again is answered, not taken
    twice, and another sale under a number already used is refused (migration 0028)."""

    __tablename__ = "till_receipts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    payment: Mapped[str] = mapped_column(String(20))  # cash | card | upi | wallet | store_credit
    digest: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(10))  # api | import
    received_by: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


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
    # Migration 0020: the picker a bench gave the order (staff code; NULL: nobody) and
    # when, and the days the carrier takes from handover to delivery for the order's zone.
    picker_code: Mapped[str | None] = mapped_column(String(20))
    picker_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    transit_days: Mapped[int | None] = mapped_column(Integer)


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
    # Per unit: a ship order's price paid after offers (its tax invoice's), else the list price.
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
