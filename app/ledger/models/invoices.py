"""Tax invoice numbers (migration 0021): the blocks of each station's series handed out,
and the number each order was invoiced under. Credit notes number in blocks of their own
series (migration 0027)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base


class InvoiceBlock(Base):
    """Serials ``first_serial``..``last_serial`` of a station's ``series`` (tax invoices or
    credit notes) for the financial year starting in April of ``financial_year``, numbered
    under ``prefix``."""

    __tablename__ = "invoice_blocks"
    __table_args__ = (
        UniqueConstraint(
            "device_id", "series", "financial_year", "first_serial",
            name="uq_invoice_block_series_first",
        ),
    )  # fmt: skip
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(40))
    series: Mapped[str] = mapped_column(String(12), server_default="invoice")
    financial_year: Mapped[int] = mapped_column(Integer)
    prefix: Mapped[str] = mapped_column(String(8))
    first_serial: Mapped[int] = mapped_column(Integer)
    last_serial: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OrderInvoice(Base):
    """The tax invoice an order was packed under (one per order; a number once)."""

    __tablename__ = "order_invoices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fulfilment_order_id: Mapped[int] = mapped_column(
        ForeignKey("fulfilment_orders.id"), unique=True
    )
    number: Mapped[str] = mapped_column(String(16), unique=True)
    device_id: Mapped[str] = mapped_column(String(40))
    op_id: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the bench's time
