"""Migration 0018 (shelf bins) adds the planogram table to a 0017 ledger holding stock and
orders, keeps every row, and goes down to 0017 (dropping the bins) and up again."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def _tables(engine: Engine) -> set[str]:
    with engine.begin() as conn:
        return set(inspect(conn).get_table_names())


def _bins(engine: Engine) -> int:
    with engine.begin() as conn:
        return int(conn.execute(text("SELECT count(*) FROM shelf_bins")).scalar_one())


def test_0018_adds_shelf_bins_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        seeded = _bins(engine)
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0017", down=True)
        old_tables = _tables(engine)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0018")
        new_tables, again = _tables(engine), _bins(engine)
        upgrade(engine)

        assert seeded > 0  # the tiny seed plans the bins of the places that ship
        assert "shelf_bins" not in old_tables and "shelf_bins" in new_tables
        assert kept == before and broken == [] and again == 0
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO shelf_bins (location_id, item_id, bin_code, sort_order) "
                    "SELECT location_id, item_id, 'A-01-1', 1 FROM stock_balances LIMIT 1"
                )
            )
        same_again = (
            "INSERT INTO shelf_bins (location_id, item_id, bin_code, sort_order) "
            "SELECT location_id, item_id, 'A-01-1', 2 FROM shelf_bins LIMIT 1"
        )
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text(same_again))  # one item sits in a bin once
