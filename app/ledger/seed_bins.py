"""The demo retailer's planogram: shelf bins for what each location that ships stocks.

Laid out by :func:`app.domain.planogram.plan_bins` over the items a location holds stock
of (a balance row in any bucket): an aisle per category, a home bin per item, every third
item an overflow bin in aisle Z. A location that has bins already (seeded before, or its
planogram imported) is left as it is, so seeding again adds nothing. The bench volume
profile (no change feed) gets none: its benches use the stand-in planogram.
"""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from app.domain.planogram import plan_bins
from app.domain.ship_offers import ALWAYS_SHIP, SHIP_FROM_STORE
from app.ledger.models import Item, Location, ShelfBin, StockBalance, table_of
from app.ledger.scopes import row_data, scope_rows
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

shelf_bins = table_of(ShelfBin)
locations = table_of(Location)
items = table_of(Item)
balances = table_of(StockBalance)


def seed_bins(conn: Connection, batch: WriteBatch, *, feed: bool = True) -> int:
    """Bins for every location that ships and has none yet; how many were inserted. Each
    goes to the location's stations as a change row. Nothing without ``feed``."""
    if not feed:
        return 0
    planned = set(conn.execute(select(shelf_bins.c.location_id).distinct()).scalars())
    added = 0
    for loc_id, kind, capabilities in conn.execute(
        select(locations.c.id, locations.c.kind, locations.c.capabilities).order_by(locations.c.id)
    ).all():
        ships = kind in ALWAYS_SHIP or SHIP_FROM_STORE in (capabilities or [])
        if ships and loc_id not in planned:
            added += _plan_location(conn, batch, int(loc_id))
    return added


def _plan_location(conn: Connection, batch: WriteBatch, location_id: int) -> int:
    stocked = conn.execute(
        select(items.c.id, items.c.category)
        .where(
            items.c.id.in_(select(balances.c.item_id).where(balances.c.location_id == location_id))
        )
        .order_by(items.c.id)
    ).all()
    rows = [
        {"location_id": location_id, "item_id": item_id, "bin_code": code, "sort_order": rank}
        for item_id, code, rank in plan_bins((int(i), str(c)) for i, c in stocked)
    ]
    if not rows:
        return 0
    conn.execute(insert(shelf_bins), rows)
    stmt = scope_rows(Scope.SHELF_BINS, location_id).order_by(shelf_bins.c.id)
    for row in conn.execute(stmt):
        batch.change(Scope.SHELF_BINS, location_id, row[0], row_data(row, Scope.SHELF_BINS))
    return len(rows)
