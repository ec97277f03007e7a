"""Migration 0003 upgrades a ledger that holds stores, and goes back down cleanly."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import inspect, text

from app.ledger.db import make_engine
from app.ledger.migrate import alembic_config


def test_0003_gives_stores_reminder_days_and_downgrades(ledger_db_url: str) -> None:
    engine = make_engine(ledger_db_url, pool_size=1)
    config = alembic_config()
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0002")
            conn.execute(
                text(
                    "INSERT INTO locations (code, name, kind, city, address, latitude, "
                    "longitude, timezone, capabilities, pickup_hold_days, daily_capacity, "
                    "carrier_cutoff, bins) VALUES ('BLR-01', 'Koramangala', 'store', "
                    "'Bengaluru', '', 12.9, 77.6, 'Asia/Kolkata', '[\"bopis\"]', 3, 100, "
                    "'16:00', '[]')"
                )
            )
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0003")
            days = conn.execute(text("SELECT pickup_reminder_days FROM locations")).scalar()
            tables = set(inspect(conn).get_table_names())
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0002")
            after = set(inspect(conn).get_table_names())
            columns = {c["name"] for c in inspect(conn).get_columns("locations")}

        assert (days if isinstance(days, list) else json.loads(str(days))) == [2, 4]
        assert "customer_messages" in tables
        assert "customer_messages" not in after and "pickup_reminder_days" not in columns
        assert "bins" in columns
    finally:
        engine.dispose()
