"""Opening stock of a seed profile: the balances missing at each of its places, posted as
``receipt`` movements so stock is still the sum of movements (:mod:`.seed`)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.domain.stock import MovementKind
from app.ledger.bulk import bulk_insert
from app.ledger.models import Item, Location, StockBalance, StockMovement, table_of
from app.ledger.seed_profiles import Profile
from app.ledger.writes import WriteBatch

locations = table_of(Location)
items = table_of(Item)
balances = table_of(StockBalance)
movements = table_of(StockMovement)


def insert_opening_stock(conn: Connection, batch: WriteBatch, profile: Profile) -> list[int]:
    """Balances ``profile`` stocks and the ledger lacks (by location, item and bucket),
    their opening stock posted as ``receipt`` movements under one ledger_seq; the new
    balances' ids."""
    loc_ids = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
    item_ids = dict(
        conn.execute(
            select(items.c.sku, items.c.id).where(items.c.sku.in_([i.sku for i in profile.catalog]))
        ).all()
        if len(profile.catalog) < 5000
        else conn.execute(select(items.c.sku, items.c.id)).all()
    )
    have = {
        tuple(row)
        for row in conn.execute(
            select(balances.c.location_id, balances.c.item_id, balances.c.bucket).where(
                balances.c.location_id.in_([loc_ids[p.code] for p in profile.places])
            )
        )
    }
    first = conn.execute(select(balances.c.id).order_by(balances.c.id.desc()).limit(1)).scalar()
    rows: list[dict[str, object]] = []
    for place in profile.places:
        loc = loc_ids[place.code]
        for index, spec in enumerate(profile.catalog):
            item = item_ids.get(spec.sku)
            if item is None:  # its GTIN belongs to an item seeded by an older catalog
                continue
            for bucket, on_hand, safety in profile.stock(place.code, index):
                if (loc, item, bucket) not in have:
                    rows.append(
                        {
                            "location_id": loc,
                            "item_id": item,
                            "bucket": bucket,
                            "on_hand": on_hand,
                            "reserved": 0,
                            "safety_stock": safety,
                        }
                    )
    if not rows:
        return []
    bulk_insert(conn, balances, rows)
    seq = batch.next_seq()  # one ledger_seq for the whole opening stock
    bulk_insert(
        conn,
        movements,
        [
            {
                "ledger_seq": seq,
                "location_id": r["location_id"],
                "item_id": r["item_id"],
                "bucket": r["bucket"],
                "kind": MovementKind.RECEIPT.value,
                "quantity": r["on_hand"],
                "device_id": None,
                "op_id": None,
                "created_at": batch.now,
            }
            for r in rows
            if r["on_hand"]
        ],
    )
    new = select(balances.c.id).where(balances.c.id > (first or 0)).order_by(balances.c.id)
    return list(conn.execute(new).scalars())
