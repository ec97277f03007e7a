"""Step 7: a typed phone number finds its pickup orders off an index, not every order."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.pickup_codes import customer_matches, normalise_phone
from app.services import pickup_find
from app.storage import migrations, pickups
from app.sync import mirror
from app.sync.protocol import SCOPE_COLUMNS, Scope

PHONES = {
    1: "+91 99001-23456",
    2: "099001 23456",
    3: "9900123456",
    4: "+91 98450 12345",
    5: "+44 7700 900123",  # a foreign number: longer than the phone key's ten digits
    6: None,
}


def _row(n: int, phone: str | None, *, method: str = "pickup") -> dict[str, object]:
    return {
        "id": n, "order_number": f"WEB-{n:07d}", "channel": "web", "method": method,
        "state": "ready_for_pickup", "customer_name": f"Customer {n}", "customer_phone": phone,
        "lines": "[]", "created_at": "2026-11-27T09:00:00+00:00",
        "updated_at": "2026-11-27T09:00:00+00:00",
    }  # fmt: skip


def _insert(conn: sqlite3.Connection, rows: list[dict[str, object]]) -> None:
    for row in rows:
        marks = ", ".join("?" for _ in row)
        conn.execute(
            f"INSERT INTO fulfilment_orders ({', '.join(row)}) VALUES ({marks})", list(row.values())
        )


def _keys(conn: sqlite3.Connection) -> dict[int, str | None]:
    return dict(conn.execute("SELECT id, phone_key FROM fulfilment_orders ORDER BY id"))


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


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(connection)
    return connection


def test_step_7_fills_the_phone_key_of_orders_already_cached(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "old.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=6)
    _insert(conn, [_row(n, phone) for n, phone in PHONES.items()])

    migrations.migrate(conn, target=7)

    assert _keys(conn) == {
        1: "9900123456", 2: "9900123456", 3: "9900123456", 4: "9845012345",
        5: "447700900123", 6: None,
    }  # fmt: skip
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_pickup_phone", "ix_pickup_phone_long"} <= names


def test_a_whole_phone_number_is_looked_up_on_the_phone_index(conn: sqlite3.Connection) -> None:
    plan = _plans(conn, lambda: pickup_find.search(conn, "+91 99001-23456"))

    assert "USING INDEX ix_pickup_phone (phone_key=?)" in plan
    assert "USING INDEX ix_pickup_phone_long" in plan
    assert "SCAN fulfilment_orders |" not in f"{plan} |"  # no read of every order


@pytest.mark.parametrize(
    "query", ["9900123456", "+919900123456", "099001 23456", " +91 99001-23456 ", "7700900123",
              "4477009001", "9845012345", "1234567890"],
)  # fmt: skip
def test_the_phone_index_finds_what_reading_every_order_finds(
    conn: sqlite3.Connection, query: str
) -> None:
    _insert(conn, [_row(n, phone) for n, phone in PHONES.items()])
    _insert(conn, [_row(7, "9900123456", method="ship")])
    pickups.store_phone_keys(conn)
    digits = normalise_phone(query)

    indexed = pickups.customers_by_phone(conn, digits)
    scanned = pickups.customers(conn, phone_digits=digits)

    assert indexed == scanned
    rows, _, _ = pickup_find.search(conn, query)
    found = sorted(r["id"] for r in rows)
    assert found == sorted(i for i, n, p in scanned if customer_matches(query, n, p))


def test_pulled_changes_and_snapshots_keep_the_phone_key(conn: sqlite3.Connection) -> None:
    mirror.apply_changes(conn, [(Scope.FULFILMENT, "1", _row(1, PHONES[1]))])
    assert _keys(conn) == {1: "9900123456"}
    mirror.apply_changes(conn, [(Scope.FULFILMENT, "1", _row(1, PHONES[4]))])  # phone changed
    assert _keys(conn) == {1: "9845012345"}

    columns = SCOPE_COLUMNS[Scope.FULFILMENT]
    rows = [[_row(n, phone).get(c) for c in columns] for n, phone in ((2, PHONES[2]), (6, None))]
    page = json.dumps(
        {"scope": Scope.FULFILMENT.value, "columns": columns, "rows": rows,
         "next_after": None, "as_of_seq": 1}
    )  # fmt: skip
    indexes = mirror.clear_scope(conn, Scope.FULFILMENT)
    mirror.insert_snapshot_page(conn, mirror.read_page(conn, page))
    mirror.finish_snapshot(conn, Scope.FULFILMENT, indexes)

    assert _keys(conn) == {2: "9900123456", 6: None}
    assert [i for i, _, _ in pickups.customers_by_phone(conn, "9900123456")] == [2]
