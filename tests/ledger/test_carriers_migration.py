"""Migration 0016 (carriers) adds the carrier, box and routing-decision tables to a 0015
ledger holding orders, keeps every row, and goes down to 0015 and up again."""

from __future__ import annotations

from sqlalchemy import Engine, inspect

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

TABLES = {
    "carriers", "carrier_pincodes", "location_carriers", "box_types", "route_decisions",
    "order_refusals",
}  # fmt: skip


def _tables(engine: Engine) -> set[str]:
    with engine.begin() as conn:
        return set(inspect(conn).get_table_names())


def test_0016_adds_the_carrier_tables_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url, down_to="0015") as engine:
        old = _tables(engine)
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0016")
        new = _tables(engine)
        with engine.begin() as conn:
            after = counts(conn)
        migrate(engine, "0015", down=True)
        down = _tables(engine)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
        upgrade(engine)

        assert not TABLES & old and new >= TABLES
        assert after == before and kept == before and broken == []
        assert down == old
