"""Migration 0003 upgrades a ledger that holds stores, and goes back down cleanly with
data in it (orders, stock and messages pointing at the stores)."""

from __future__ import annotations

import json

from sqlalchemy import inspect, text

from app.ledger.db import make_engine
from app.ledger.message_texts import Letter
from app.ledger.messages import MessageKind, queue_message
from app.ledger.migrate import upgrade
from app.ledger.seed import seed
from app.ledger.writes import utcnow
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def test_0003_gives_stores_reminder_days_and_downgrades_with_data(ledger_db_url: str) -> None:
    engine = make_engine(ledger_db_url, pool_size=1)
    try:
        migrate(engine, "0002")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO locations (code, name, kind, city, address, latitude, "
                    "longitude, timezone, capabilities, pickup_hold_days, daily_capacity, "
                    "carrier_cutoff, bins) VALUES ('BLR-01', 'Koramangala', 'store', "
                    "'Bengaluru', '', 12.9, 77.6, 'Asia/Kolkata', '[\"bopis\"]', 3, 100, "
                    "'16:00', '[]')"
                )
            )
        migrate(engine, "0003")
        with engine.begin() as conn:
            days = conn.execute(text("SELECT pickup_reminder_days FROM locations")).scalar()
            tables = set(inspect(conn).get_table_names())
        upgrade(engine)
        seed(engine, "tiny")  # stock, orders and fulfilment orders now point at the stores
        with engine.begin() as conn:
            fo = conn.execute(text("SELECT min(id) FROM fulfilment_orders")).scalar_one()
            queue_message(
                conn, fulfilment_id=fo, kind=MessageKind.REMINDER, key=f"reminder:{fo}:2",
                channel="sms", letter=Letter("Reminder", "Still waiting"), at=utcnow(),
                reminder_day=2,
            )  # fmt: skip
            before = counts(conn)

        migrate(engine, "0002", down=True)
        with engine.begin() as conn:
            after = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("locations")}
            kept, broken = counts(conn), broken_links(conn)
        upgrade(engine)  # and up again, over the same data
        with engine.begin() as conn:
            again = conn.execute(text("SELECT pickup_reminder_days FROM locations"))
            days_again = {str(d if isinstance(d, list) else json.loads(str(d))) for (d,) in again}

        assert (days if isinstance(days, list) else json.loads(str(days))) == [2, 4]
        assert "customer_messages" in tables
        assert "customer_messages" not in after and "pickup_reminder_days" not in columns
        assert "bins" in columns
        assert before["fulfilment_orders"] > 0 and kept == before and broken == []
        assert days_again == {"[2, 4]"}  # every store, as before
    finally:
        engine.dispose()


def test_0002_downgrades_with_data_and_upgrades_again(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0001", down=True)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
            columns = {c["name"] for c in inspect(conn).get_columns("fulfilment_orders")}
            indexes = {i["name"] for i in inspect(conn).get_indexes("fulfilment_orders")}
        upgrade(engine)
        with engine.begin() as conn:
            back = counts(conn)

        assert kept == before and back == before and broken == []
        assert "pickup_by" not in columns and "ix_fulfilment_orders_pickup_by" not in indexes
