"""Where items sit on each location's shelves: the retailer's planogram as master data."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.ledger.models.base import Base


class ShelfBin(Base):
    """One bin an item sits in at one location; the lowest ``sort_order`` is its home bin
    (the import's rank), the others overflow. Sent to the location's stations."""

    __tablename__ = "shelf_bins"
    __table_args__ = (
        UniqueConstraint("location_id", "item_id", "bin_code", name="uq_shelf_bin"),
        Index("ix_shelf_bins_location_id", "location_id", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id"))
    bin_code: Mapped[str] = mapped_column(String(12))
    sort_order: Mapped[int] = mapped_column(Integer)
