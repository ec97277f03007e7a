"""Migration 0004 (ship-for-pickup transfers) upgrades a 0003 ledger that holds data, and
goes down to 0003 and up again with transfers in it."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.ledger.migrate import upgrade
from app.ledger.writes import utcnow
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def test_0004_downgrades_to_0003_with_transfers_and_upgrades_again(ledger_db_url: str) -> None:
    # a 0003 ledger with stores, stock and orders
    with seeded_ledger(ledger_db_url, down_to="0003") as engine:
        with engine.begin() as conn:
            before = counts(conn)
        migrate(engine, "0004")
        with engine.begin() as conn:
            fo, order_number, store = conn.execute(
                text("SELECT id, order_number, location_id FROM fulfilment_orders ORDER BY id")
            ).first() or (None, None, None)
            warehouse, item = conn.execute(
                text("SELECT l.id, i.id FROM locations l, items i WHERE l.code = 'WH-BHW' "
                     "ORDER BY i.id")
            ).first() or (None, None)  # fmt: skip
            transfer = conn.execute(
                text(
                    "INSERT INTO transfers (fulfilment_order_id, order_number, from_location_id, "
                    "to_location_id, status, created_at) VALUES (:fo, :n, :w, :s, 'open', :at) "
                    "RETURNING id"
                ),
                {"fo": fo, "n": order_number, "w": warehouse, "s": store, "at": utcnow()},
            ).scalar_one()
            conn.execute(
                text(
                    "INSERT INTO transfer_lines (transfer_id, item_id, sku, quantity, shipped, "
                    "received) VALUES (:t, :i, 'SKU', 1, 0, 0)"
                ),
                {"t": transfer, "i": item},
            )

        migrate(engine, "0003", down=True)
        with engine.begin() as conn:
            tables = set(inspect(conn).get_table_names())
            kept, broken = counts(conn), broken_links(conn)
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        upgrade(engine)
        with engine.begin() as conn:
            back = set(inspect(conn).get_table_names())
            empty = conn.execute(text("SELECT count(*) FROM transfers")).scalar_one()

        assert fo is not None and warehouse is not None
        assert version == "0003" and not {"transfers", "transfer_lines"} & tables
        assert kept == before and broken == []
        assert {"transfers", "transfer_lines"} <= back and empty == 0
