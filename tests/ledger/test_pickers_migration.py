"""Migration 0020 (pickers) adds picker_code, picker_at and transit_days to the
fulfilment orders of a 0019 ledger holding orders, keeps every row, and goes down
(dropping the columns) and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

NEW = {"picker_code", "picker_at", "transit_days"}


def _columns(conn: object) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns("fulfilment_orders")}


def test_0020_adds_picker_columns_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0019", down=True)
        with engine.begin() as conn:
            old = _columns(conn)
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0020")
        with engine.begin() as conn:
            new = _columns(conn)
            again = counts(conn)
            nobody = conn.execute(
                text("SELECT count(*) FROM fulfilment_orders WHERE picker_code IS NOT NULL")
            ).scalar_one()
        upgrade(engine)

        assert not NEW & old and new >= NEW
        assert kept == before and again == before and broken == []
        assert nobody == 0  # orders from before have no picker
