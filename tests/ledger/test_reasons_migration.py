"""Migration 0005 (rejection reasons, count_due) upgrades a 0004 ledger that holds data,
with the default reasons, and goes down to 0004 and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.domain.reasons import DEFAULT_REASONS
from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def test_0005_adds_the_default_reasons_and_goes_down_and_up_with_data(
    ledger_db_url: str,
) -> None:
    # a 0004 ledger with stores, stock and orders
    with seeded_ledger(ledger_db_url, down_to="0004") as engine:
        with engine.begin() as conn:
            before = counts(conn)
            old_columns = {c["name"] for c in inspect(conn).get_columns("stock_balances")}
            old_tables = set(inspect(conn).get_table_names())
        migrate(engine, "0005")
        with engine.begin() as conn:
            reasons = conn.execute(
                text("SELECT code, effect, applies_to, active FROM rejection_reasons ORDER BY id")
            ).all()
            due = conn.execute(
                text("SELECT count(*) FROM stock_balances WHERE count_due")
            ).scalar_one()
            after, broken = counts(conn), broken_links(conn)
            conn.execute(text("UPDATE stock_balances SET count_due = :t"), {"t": True})
        migrate(engine, "0004", down=True)
        with engine.begin() as conn:
            down, down_broken = counts(conn), broken_links(conn)
            down_tables = set(inspect(conn).get_table_names())
        upgrade(engine)
        with engine.begin() as conn:
            again = conn.execute(text("SELECT count(*) FROM rejection_reasons")).scalar_one()

        assert "count_due" not in old_columns and "rejection_reasons" not in old_tables
        assert [tuple(r) for r in reasons] == [
            (r.code, r.effect.value, ",".join(u.value for u in r.applies_to), True)
            for r in DEFAULT_REASONS
        ]
        assert due == 0 and after == before and broken == []
        assert down == before and down_broken == [] and "rejection_reasons" not in down_tables
        assert again == len(DEFAULT_REASONS)
