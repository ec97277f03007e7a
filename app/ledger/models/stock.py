"""Where stock is and what it is: locations, items, and stock as append-only
movements with a balance per (location, item, bucket) kept beside them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import DEFAULT_REMINDER_DAYS, Base, SeqType


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
    # goods value (paise) above which an order needs an e-way bill; None: ₹50,000 (0024)
    eway_bill_threshold_minor: Mapped[int | None] = mapped_column(BigInteger)
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
