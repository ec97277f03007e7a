"""Returns taken in at a counter or a bench (migration 0025): one row per return with
its refund due and whether that refund is due, held for a manager, approved or
cancelled, and one row per returned line with its grade and where the units went."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base


class Return(Base):
    """One return, named by the station's own id (recorded once however often it is sent)."""

    __tablename__ = "returns"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[str] = mapped_column(String(32), unique=True)  # the station's uuid
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    order_number: Mapped[str | None] = mapped_column(String(40))  # as the station sent it
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(40))
    op_id: Mapped[str] = mapped_column(String(64), index=True)
    parcel: Mapped[str | None] = mapped_column(String(20))  # SSCC of a parcel sent back
    refund_method: Mapped[str] = mapped_column(String(20))  # original | store_credit
    shipping_minor: Mapped[int] = mapped_column(BigInteger)
    restocking_fee_minor: Mapped[int] = mapped_column(BigInteger)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    refund_state: Mapped[str] = mapped_column(String(12))  # due | held | approved | cancelled
    credit_note: Mapped[str | None] = mapped_column(String(40))
    held_reason: Mapped[str | None] = mapped_column(Text)  # why the refund waits
    customer_phone: Mapped[str | None] = mapped_column(String(32))
    approver: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(40))


class ReturnLine(Base):
    """Units of one SKU of a return: its order line (none without lookup), grade, where
    they went and the refund due for them."""

    __tablename__ = "return_lines"
    __table_args__ = (Index("ix_return_lines_order_line", "order_id", "line_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    line_no: Mapped[int | None] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id"))  # None: SKU unknown
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(10))
    disposition: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(40))
    refund_minor: Mapped[int] = mapped_column(BigInteger)


class ReturnPutAway(Base):
    """One returned unit put into a bin (migration 0029), by its RMA id: the bucket it
    left and the one it is in now (a quarantine or vendor-returns bin keeps it)."""

    __tablename__ = "return_put_aways"
    __table_args__ = (Index("ix_return_put_aways_rma", "rma_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rma_id: Mapped[str] = mapped_column(String(60))
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    bin_code: Mapped[str] = mapped_column(String(20))
    from_bucket: Mapped[str] = mapped_column(String(12))
    to_bucket: Mapped[str] = mapped_column(String(12))
    shelved: Mapped[bool] = mapped_column(Boolean)  # back on its shelf bin: done
    op_id: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(40))
    put_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    put_by: Mapped[str] = mapped_column(String(40))
