"""Migration 0019 (GST rates) adds the rate table to a 0018 ledger holding orders, keeps
every row, and goes down (dropping the rates) and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def test_0019_adds_gst_rates_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)
            seeded = conn.execute(text("SELECT count(*) FROM gst_rates")).scalar_one()

        migrate(engine, "0018", down=True)
        with engine.begin() as conn:
            old_tables = set(inspect(conn).get_table_names())
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0019")
        with engine.begin() as conn:
            new_tables = set(inspect(conn).get_table_names())
            again = counts(conn)
            rates = conn.execute(text("SELECT count(*) FROM gst_rates")).scalar_one()
        upgrade(engine)

        assert seeded == 3  # the demo's apparel and footwear band
        assert "gst_rates" not in old_tables and "gst_rates" in new_tables
        assert kept == before and again == before and broken == []
        assert rates == 0
