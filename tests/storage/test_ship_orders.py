"""Ship orders in the cache: the bench queue's order and states, by id and number, and
the pickers assigned here (step 14)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.storage import migrations, ship_orders
from app.storage.engine import Database, raw_connection
from tests.storage.seed import T0
from tests.support.ship_rows import ship_row, store_pulled

H = timedelta(hours=1)


def _store(db: Database, rows: list[dict[str, Any]]) -> None:
    with db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _numbers(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["order_number"]) for r in rows]


def test_the_queue_is_open_ship_orders_by_cut_off_then_promise_then_age(seeded: Database) -> None:
    _store(
        seeded,
        [
            ship_row(1, "WEB-1", ship_by=T0 + 7 * H, created_at=T0 - 3 * H),
            ship_row(2, "WEB-2", ship_by=T0 + 5 * H, created_at=T0 - 1 * H),
            ship_row(
                3,
                "WEB-3",
                ship_by=T0 + 7 * H,
                created_at=T0 - 5 * H,
                promised_by=date(2026, 11, 28),
            ),
            ship_row(
                4,
                "WEB-4",
                ship_by=T0 + 7 * H,
                created_at=T0 - 4 * H,
                promised_by=date(2026, 11, 29),
            ),
            ship_row(5, "WEB-5", ship_by=None, created_at=T0 - 9 * H),  # no cut-off yet: last
            ship_row(6, "WEB-6", ship_by=T0 + 1 * H, created_at=T0, state="packed"),
            ship_row(7, "WEB-7", ship_by=T0, created_at=T0, state="shipped"),
            ship_row(8, "WEB-8", ship_by=T0, created_at=T0, state="cancelled"),
            ship_row(9, "WEB-9", ship_by=T0, created_at=T0, state="rerouted"),
            ship_row(10, "WEB-10", ship_by=T0, created_at=T0, method="pickup"),
        ],
    )
    with seeded.reading() as session:
        conn = raw_connection(session)
        rows = ship_orders.open_orders(conn, 50)
        assert _numbers(rows) == ["WEB-6", "WEB-2", "WEB-3", "WEB-4", "WEB-1", "WEB-5"]
        assert ship_orders.count_open(conn) == 6
        assert _numbers(ship_orders.open_orders(conn, 2)) == ["WEB-6", "WEB-2"]
        assert rows[0]["state"] == "packed" and rows[0]["carrier"] == "DLV"


def test_due_by_counts_open_orders_before_a_time(seeded: Database) -> None:
    _store(
        seeded,
        [
            ship_row(1, "WEB-1", ship_by=T0 + 2 * H, created_at=T0, state="picked"),
            ship_row(2, "WEB-2", ship_by=T0 + 30 * H, created_at=T0),
            ship_row(3, "WEB-3", ship_by=T0 + H, created_at=T0, state="shipped"),
        ],
    )
    with seeded.reading() as session:
        due = ship_orders.due_by(raw_connection(session), (T0 + 10 * H).isoformat())
    assert [state for state, _ in due] == ["picked"]


def test_an_order_is_found_by_number_whatever_the_case(seeded: Database) -> None:
    _store(seeded, [ship_row(1, "WEB-240001", ship_by=T0, created_at=T0)])
    with seeded.reading() as session:
        conn = raw_connection(session)
        assert _numbers(ship_orders.by_order_number(conn, "web-240001")) == ["WEB-240001"]
        assert ship_orders.by_order_number(conn, "WEB-24000") == []
        assert ship_orders.by_id(conn, 1) is not None and ship_orders.by_id(conn, 2) is None


def test_a_picker_is_assigned_here_and_replaced(seeded: Database) -> None:
    _store(seeded, [ship_row(1, "WEB-1", ship_by=T0, created_at=T0)])
    with seeded.writing() as session:
        conn = raw_connection(session)
        ship_orders.assign_picker(conn, 1, "A100", by="L200", at=T0.isoformat())
        ship_orders.assign_picker(conn, 1, "M300", by="L200", at=(T0 + H).isoformat())
    with seeded.reading() as session:
        conn = raw_connection(session)
        assert ship_orders.assignment(conn, 1) == ("M300", "L200", (T0 + H).isoformat())
        row = ship_orders.by_id(conn, 1)
        assert row is not None and (row["picker_code"], row["picker_name"]) == (
            "M300",
            "Mohan Das",
        )
        assert [code for code, _, _ in ship_orders.active_staff(conn)] == ["A100", "L200", "M300"]


def test_step_14_adds_the_picker_table_to_a_step_13_cache(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    assert migrations.migrate(conn, target=13) == 13
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT * FROM picker_assignments")
    assert migrations.migrate(conn) == migrations.HEAD >= 14
    assert conn.execute("SELECT count(*) FROM picker_assignments").fetchone() == (0,)
