"""Step 6: the pickup queue reads counts and pages off indexes, never every order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.storage import migrations, pickups

INDEXES = ("ix_pickup_queue", "ix_pickup_recent", "ix_pickup_restock")


def _order(n: int, state: str, *, lines: list[dict[str, Any]] | None = None, **extra: Any) -> dict:
    line = {"sku": "SKU-0001", "item_id": 1, "quantity": 2}
    return {
        "id": n,
        "order_number": f"WEB-{n:07d}",
        "channel": "web",
        "method": "pickup",
        "state": state,
        "lines": lines if lines is not None else [line],
        "created_at": f"2026-11-{n:02d}T09:00:00+00:00",
        "updated_at": f"2026-11-27T{n:02d}:00:00+00:00",
        **extra,
    }


def _insert(conn: sqlite3.Connection, rows: list[dict[str, Any]], *, compact: bool = True) -> None:
    separators = (",", ":") if compact else (", ", ": ")
    for row in rows:
        data = {**row, "lines": json.dumps(row["lines"], separators=separators)}
        columns = ", ".join(data)
        marks = ", ".join("?" for _ in data)
        conn.execute(
            f"INSERT INTO fulfilment_orders ({columns}) VALUES ({marks})", list(data.values())
        )


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(connection)
    return connection


def _plans(conn: sqlite3.Connection, read: Callable[[], object]) -> str:
    """The query plans of the statements ``read`` runs on ``conn``."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        conn.set_trace_callback(None)
    plans = [
        " ".join(str(r[-1]) for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        for sql in statements
    ]
    return " | ".join(plans)


def test_step_6_adds_the_queue_indexes_to_a_cache_of_step_5(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=5)
    _insert(conn, [_order(1, "routed")])

    migrations.migrate(conn, target=6)

    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert set(INDEXES) <= names
    assert pickups.count_by_state(conn) == {"routed": 1}


def test_counts_and_pages_come_off_the_queue_indexes(conn: sqlite3.Connection) -> None:
    counts = _plans(conn, lambda: pickups.count_by_state(conn))
    oldest = _plans(conn, lambda: pickups.oldest_in_state(conn, "routed", 5))
    latest = _plans(conn, lambda: pickups.latest_in_state(conn, "collected", 5))
    restock = _plans(conn, lambda: pickups.restock_candidates(conn))

    assert "USING COVERING INDEX ix_pickup_" in counts  # either: both begin (method, state)
    assert "USING INDEX ix_pickup_queue" in oldest
    assert "USING INDEX ix_pickup_recent" in latest
    assert "USING INDEX ix_pickup_restock" in restock
    assert "TEMP B-TREE" not in oldest + latest  # a page never sorts every order


def test_pages_are_oldest_promised_first_and_skip_what_is_asked(conn: sqlite3.Connection) -> None:
    ready_by = "2026-11-30T09:00:00+00:00"
    _insert(
        conn,
        [
            _order(5, "routed"),
            _order(3, "routed"),
            _order(4, "accepted"),
            _order(9, "ready_for_pickup", pickup_by=ready_by),
            _order(2, "ready_for_pickup", pickup_by="2026-12-01T09:00:00+00:00"),
            _order(7, "collected"),
            _order(8, "collected"),
            {**_order(6, "routed"), "method": "ship"},
        ],
    )

    assert pickups.count_by_state(conn) == {
        "routed": 2, "accepted": 1, "ready_for_pickup": 2, "collected": 2,
    }  # fmt: skip
    assert [r["id"] for r in pickups.oldest_in_state(conn, "routed", 5)] == [3, 5]
    assert [r["id"] for r in pickups.oldest_in_state(conn, "routed", 1, skip={3})] == [5]
    # ready: promised by the end of the hold, not by when it was placed
    assert [r["id"] for r in pickups.oldest_in_state(conn, "ready_for_pickup", 5)] == [9, 2]
    assert [r["id"] for r in pickups.latest_in_state(conn, "collected", 1)] == [8]


def test_restock_candidates_are_orders_with_units_cancelled_or_short_still_in_hand(
    conn: sqlite3.Connection,
) -> None:
    def line(**counters: int) -> list[dict[str, Any]]:
        return [{"sku": "SKU-0001", "item_id": 1, "quantity": 2, **counters}]

    _insert(
        conn,
        [
            _order(1, "cancelled", lines=line(picked=2, cancelled=2)),  # back to the shelf
            _order(2, "cancelled", lines=line(cancelled=2)),  # never picked
            _order(3, "collected", lines=line(picked=2, collected=2)),  # all taken
            _order(4, "cancelled", lines=line(picked=2, cancelled=2, restocked=2)),  # done
            _order(5, "picking", lines=line(picked=1, short=1)),  # short: still to stage
        ],
    )
    _insert(conn, [_order(6, "collected", lines=line(picked=2, collected=1, cancelled=1))],
            compact=False)  # fmt: skip

    assert [r["id"] for r in pickups.restock_candidates(conn)] == [1, 5, 6]
