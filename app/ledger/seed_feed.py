"""Change rows for what a seed inserted (locations with their boxes, catalog, staff at
their places, stock and network stock), so a station pulling from cursor 0 rebuilds
everything (:mod:`.seed`)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.domain.stock import Bucket
from app.ledger.master_data.locations import feed_locations
from app.ledger.models import Staff, StockBalance, table_of
from app.ledger.scopes import available_expr, id_column, row_data, scope_rows
from app.ledger.staff_places import staff_places
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

balances = table_of(StockBalance)
staff_table = table_of(Staff)


def feed_seeded(
    conn: Connection,
    batch: WriteBatch,
    new_locs: list[int],
    new_items: list[int],
    new_staff: list[int],
    new_bals: list[int],
) -> None:
    """Change rows for what was seeded, so pulling from cursor 0 rebuilds everything."""
    feed_locations(conn, batch, new_locs)  # with their boxes
    key = id_column(Scope.CATALOG)
    for start in range(0, len(new_items), 5000):
        stmt = scope_rows(Scope.CATALOG, None)
        stmt = stmt.where(key.in_(new_items[start : start + 5000])).order_by(key)
        for row in conn.execute(stmt):
            batch.change(Scope.CATALOG, None, row[0], row_data(row, Scope.CATALOG))
    if new_staff:
        places = staff_places(conn, new_staff)
        stmt = scope_rows(Scope.STAFF, None).where(staff_table.c.id.in_(new_staff))
        for row in conn.execute(stmt):
            for location_id in places[row[0]]:
                batch.change(Scope.STAFF, location_id, row[0], row_data(row, Scope.STAFF))
    c = balances.c
    for start in range(0, len(new_bals), 5000):
        chunk = new_bals[start : start + 5000]
        stmt = (
            select(
                c.id,
                c.location_id,
                c.item_id,
                c.bucket,
                c.on_hand,
                c.reserved,
                c.safety_stock,
                available_expr(),
            )
            .where(c.id.in_(chunk))
            .order_by(c.id)
        )
        for bid, loc, item, bucket, on_hand, reserved, safety, available in conn.execute(stmt):
            batch.change(
                Scope.STOCK,
                loc,
                bid,
                {
                    "id": bid,
                    "item_id": item,
                    "bucket": bucket,
                    "on_hand": on_hand,
                    "reserved": reserved,
                    "safety_stock": safety,
                    "count_due": 0,
                },
            )
            if bucket == Bucket.SELLABLE.value:
                batch.change(
                    Scope.NETWORK_STOCK,
                    loc,
                    bid,
                    {"id": bid, "location_id": loc, "item_id": item, "available": available},
                )
