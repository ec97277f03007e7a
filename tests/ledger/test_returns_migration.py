"""Migration 0025 (returns) adds the returns and return_lines tables to a 0024 ledger,
keeps every row, and goes down and up."""

from __future__ import annotations

from sqlalchemy import inspect

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

_NEW = {"returns", "return_lines"}


def test_0025_adds_the_returns_tables_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0024", down=True)
        with engine.begin() as conn:
            old = set(inspect(conn).get_table_names())
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0025")
        with engine.begin() as conn:
            new = set(inspect(conn).get_table_names())
            lines = {c["name"] for c in inspect(conn).get_columns("return_lines")}
            again = counts(conn)
        upgrade(engine)

        assert not old & _NEW and new >= _NEW
        assert {"order_id", "line_no", "grade", "disposition", "refund_minor"} <= lines
        assert kept == before and again == before and broken == []
