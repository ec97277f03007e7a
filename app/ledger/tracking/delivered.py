"""When an order's lines reached the customer: the return window of a shipped line starts
on the day its parcel was delivered."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from app.ledger.models import FulfilmentOrder, Parcel, ParcelLine, table_of
from app.ledger.writes import aware

parcels = table_of(Parcel)
parcel_lines = table_of(ParcelLine)
fulfilments = table_of(FulfilmentOrder)


def delivered_lines(conn: Connection, order_number: str) -> dict[str, datetime]:
    """Each SKU of ``order_number`` delivered so far, with the day of its first delivered
    parcel (a SKU in no delivered parcel is not there)."""
    p, pl, f = parcels.c, parcel_lines.c, fulfilments.c
    rows = conn.execute(
        select(pl.sku, p.delivered_at)
        .join(parcels, p.id == pl.parcel_id)
        .join(fulfilments, f.id == p.fulfilment_order_id)
        .where(f.order_number == order_number, p.void.is_(False), p.delivered_at.is_not(None))
        .order_by(p.delivered_at)
    ).all()
    found: dict[str, datetime] = {}
    for sku, day in rows:
        found.setdefault(sku, aware(day))
    return found
