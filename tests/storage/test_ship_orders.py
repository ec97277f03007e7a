"""Ship orders in the cache: the bench queue's order and states, by id and number, and
who picks each: the ledger's picker unless a choice made here is unanswered (step 20)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.storage import migrations, outbox, ship_orders
from app.storage.engine import Database, raw_connection
from tests.storage.seed import T0
from tests.support.ship_rows import ship_row, store_pulled

H = timedelta(hours=1)


def _store(db: Database, rows: list[dict[str, Any]]) -> None:
    with db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _numbers(rows: list[dict[str, Any]]) -> list[str]:
    return [str(r["order_number"]) for r in rows]


def test_the_queue_is_open_ship_orders_by_promise_then_cut_off_then_age(seeded: Database) -> None:
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
        assert _numbers(rows) == ["WEB-3", "WEB-4", "WEB-6", "WEB-2", "WEB-1", "WEB-5"]
        assert ship_orders.count_open(conn) == 6
        assert _numbers(ship_orders.open_orders(conn, 2)) == ["WEB-3", "WEB-4"]
        assert rows[2]["state"] == "packed" and rows[2]["carrier"] == "DLV"


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


def _choose(db: Database, fid: int, picker: str) -> str:
    """A ship.assign made here for order ``fid``; its op_id."""
    with db.writing() as session:
        payload = {"location": "BLR-01", "fulfilment_id": fid, "picker": picker}
        made = outbox.append(
            session, op_type="ship.assign", payload=payload, actor="L200", base_ledger_seq=0,
            now=T0,
        )  # fmt: skip
    return made.op_id


def _picker(db: Database, fid: int) -> tuple[str, str]:
    with db.reading() as session:
        row = ship_orders.by_id(raw_connection(session), fid)
    assert row is not None
    return row["picker_code"], row["picker_name"]


def test_the_ledgers_picker_shows_unless_a_choice_here_is_unanswered(seeded: Database) -> None:
    _store(
        seeded,
        [
            ship_row(1, "WEB-1", ship_by=T0, created_at=T0, picker_code="M300"),
            ship_row(2, "WEB-2", ship_by=T0, created_at=T0, picker_code="A100"),
        ],
    )
    assert _picker(seeded, 1) == ("M300", "Mohan Das")
    _choose(seeded, 1, "A100")
    latest = _choose(seeded, 1, "L200")
    _choose(seeded, 2, "")  # nobody
    assert _picker(seeded, 1) == ("L200", "Lakshmi Iyer")
    assert _picker(seeded, 2) == ("", None)
    with seeded.writing() as session:
        outbox.record_outcomes(session, [outbox.OpOutcome(latest, 0, "rejected", None, {})], T0)
    assert _picker(seeded, 1) == ("A100", "Asha Rao")  # the choice before it, still pending
    with seeded.reading() as session:
        conn = raw_connection(session)
        assert [code for code, _, _ in ship_orders.active_staff(conn)] == ["A100", "L200", "M300"]


def test_step_20_brings_the_picker_and_days_columns_and_takes_fresh_snapshots(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    assert migrations.migrate(conn, target=18) == 18
    conn.execute("UPDATE sync_state SET snapshot_done = 1")
    conn.execute(
        "INSERT INTO picker_assignments (fulfilment_id, staff_code, assigned_by, assigned_at) "
        "VALUES (1, 'A100', 'L200', '2026-11-27T09:00:00+00:00')"
    )
    assert migrations.migrate(conn) == migrations.HEAD >= 20
    columns = {row[1] for row in conn.execute("PRAGMA table_info(fulfilment_orders)")}
    assert {"picker_code", "transit_days"} <= columns
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT * FROM picker_assignments")
    assert conn.execute("SELECT snapshot_done FROM sync_state").fetchone() == (0,)
