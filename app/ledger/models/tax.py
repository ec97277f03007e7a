"""Tax master data: the GST rate table by HSN code prefix and price band (migration 0019)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base


class GstRateRow(Base):
    """A row of the GST rate table (:class:`app.domain.tax.rates.GstRate`): the rate of
    every HSN code starting with ``hsn_prefix`` from ``effective_from``; with a band,
    ``rate_bp`` up to ``band_limit_minor`` a unit (paise, tax included, after discount)
    and ``rate_above_bp`` above."""

    __tablename__ = "gst_rates"
    __table_args__ = (
        UniqueConstraint("hsn_prefix", "effective_from", name="uq_gst_rate_prefix_from"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hsn_prefix: Mapped[str] = mapped_column(String(8))
    effective_from: Mapped[date] = mapped_column(Date)
    rate_bp: Mapped[int] = mapped_column(Integer)
    band_limit_minor: Mapped[int | None] = mapped_column(BigInteger)
    rate_above_bp: Mapped[int | None] = mapped_column(Integer)
