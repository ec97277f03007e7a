"""Migrations build the schema the models describe, from empty and from every version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from app.storage import migrations
from app.storage.engine import Database
from app.storage.models import Base

# A row to write at the version where its table first exists, to prove it survives.
_SAMPLES = {
    1: (
        "INSERT INTO items (id, sku, gtin, name, price_minor, currency) "
        "VALUES (7, 'SKU-7', '8901234567892', 'Steel water bottle', 49900, 'INR')"
    ),
    3: (
        "INSERT INTO print_jobs (kind, reference, profile, format, copies, reprint, printed_at, "
        "status) VALUES ('shelf_label', 'SKU-7', 'zd421', 'zpl', 1, 0, "
        "'2026-01-01T00:00:00.000000+00:00', 'printed')"
    ),
}


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
    ).fetchall()
    return [(name, " ".join(sql.split())) for name, sql in rows]


def test_empty_cache_migrates_to_head(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "c.sqlite3")
    assert migrations.current_version(conn) == 0
    assert migrations.migrate(conn) == migrations.HEAD
    names = {name for name, _ in _schema(conn)}
    assert {"outbox", "pending_stock", "items_fts", "print_jobs", "sync_state"} <= names
    assert conn.execute("SELECT cursor FROM sync_state WHERE id = 1").fetchone() == (0,)
    assert migrations.migrate(conn) == migrations.HEAD  # idempotent


def test_versions_are_numbered_one_by_one() -> None:
    assert [s.version for s in migrations.STEPS] == list(range(1, migrations.HEAD + 1))


@pytest.mark.parametrize("start", range(1, migrations.HEAD))
def test_each_version_upgrades_to_the_same_schema_keeping_rows(tmp_path: Path, start: int) -> None:
    fresh = _connect(tmp_path / "fresh.sqlite3")
    migrations.migrate(fresh)
    old = _connect(tmp_path / "old.sqlite3")
    migrations.migrate(old, target=start)
    assert migrations.current_version(old) == start
    for version, statement in _SAMPLES.items():
        if version <= start:
            old.execute(statement)
    migrations.migrate(old)
    assert migrations.current_version(old) == migrations.HEAD
    assert _schema(old) == _schema(fresh)
    assert old.execute("SELECT name FROM items WHERE id = 7").fetchone() == ("Steel water bottle",)
    if start >= 2:
        return
    # the name index built by step 2 covers rows that existed before it
    hit = old.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH 'bott*'").fetchall()
    assert hit == [(7,)]


def test_models_match_the_migrated_tables(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "c.sqlite3")
    migrations.migrate(conn)
    for table in Base.metadata.sorted_tables:
        columns = {row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")}
        assert columns == {c.name for c in table.columns}, table.name
        indexes = {row[1] for row in conn.execute(f"PRAGMA index_list({table.name})")}
        for index in table.indexes:
            assert index.name in indexes, index.name


def test_a_cache_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "c.sqlite3")
    conn.execute(f"PRAGMA user_version = {migrations.HEAD + 1}")
    with pytest.raises(RuntimeError, match="newer"):
        migrations.migrate(conn)


def test_a_failing_step_leaves_the_previous_version(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    conn = _connect(path)
    migrations.migrate(conn, target=2)
    conn.execute("CREATE TABLE print_jobs (id INTEGER PRIMARY KEY)")  # step 3 will clash
    with pytest.raises(sqlite3.OperationalError):
        migrations.migrate(conn)
    assert migrations.current_version(conn) == 2
    index = "SELECT count(*) FROM sqlite_master WHERE name = 'ix_print_jobs_reference'"
    assert conn.execute(index).fetchone() == (0,)


def test_database_opens_at_head(tmp_path: Path) -> None:
    db = Database(tmp_path / "c.sqlite3")
    try:
        with db.reading() as session:
            version = session.connection().exec_driver_sql("PRAGMA user_version").scalar()
        assert version == migrations.HEAD
    finally:
        db.dispose()


def _queue(conn: sqlite3.Connection, device_seq: int, status: str, effects: list[tuple]) -> str:
    op_id = f"op-{device_seq}"
    conn.execute(
        "INSERT INTO outbox (op_id, device_seq, type, payload, device_time, base_ledger_seq, "
        "status, created_at) VALUES (?, ?, 'stock.count', '{}', ?, 0, ?, ?)",
        (op_id, device_seq, f"2026-01-01T00:00:{device_seq:02d}+00:00", status,
         f"2026-01-01T00:00:{device_seq:02d}+00:00"),
    )  # fmt: skip
    conn.executemany(
        "INSERT INTO pending_stock (op_id, item_id, bucket, delta) VALUES (?, ?, ?, ?)",
        [(op_id, *effect) for effect in effects],
    )
    return op_id


def _totals(conn: sqlite3.Connection) -> tuple[list[tuple], int]:
    totals = conn.execute(
        "SELECT item_id, bucket, delta FROM pending_totals ORDER BY item_id, bucket"
    ).fetchall()
    (ops,) = conn.execute("SELECT ops FROM outbox_pending WHERE id = 1").fetchone()
    return totals, ops


def _sums(conn: sqlite3.Connection) -> tuple[list[tuple], int]:
    sums = conn.execute(
        "SELECT item_id, bucket, sum(delta) FROM pending_stock GROUP BY item_id, bucket "
        "ORDER BY item_id, bucket"
    ).fetchall()
    (ops,) = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()
    return sums, ops


def test_pending_ops_and_stock_survive_an_upgrade_from_the_oldest_cache(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "c.sqlite3")
    migrations.migrate(conn, target=1)
    conn.execute("PRAGMA foreign_keys = ON")
    _queue(conn, 1, "applied", [])
    _queue(conn, 2, "pending", [(7, "sellable", -2), (8, "sellable", 5)])
    _queue(conn, 3, "pending", [(7, "sellable", -1), (7, "damaged", 1)])
    migrations.migrate(conn)
    assert migrations.current_version(conn) == migrations.HEAD
    queued = conn.execute("SELECT op_id, status FROM outbox ORDER BY device_seq").fetchall()
    assert queued == [("op-1", "applied"), ("op-2", "pending"), ("op-3", "pending")]
    assert _totals(conn) == ([(7, "damaged", 1), (7, "sellable", -3), (8, "sellable", 5)], 2)
    assert _totals(conn) == _sums(conn)


def test_pending_totals_follow_every_change_to_the_queue(tmp_path: Path) -> None:
    conn = _connect(tmp_path / "c.sqlite3")
    migrations.migrate(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    for seq in range(1, 7):
        _queue(conn, seq, "pending", [(seq % 3, "sellable", seq), (1, "count_due", 1)])
    assert _totals(conn) == _sums(conn)
    conn.execute("UPDATE outbox SET status = 'applied' WHERE device_seq <= 3")
    conn.execute("DELETE FROM pending_stock WHERE op_id IN ('op-1', 'op-2')")
    assert _totals(conn) == _sums(conn)
    conn.execute("DELETE FROM outbox WHERE op_id = 'op-3'")  # cascades to its effects
    conn.execute("UPDATE outbox SET status = 'pending' WHERE device_seq = 2")
    conn.execute("UPDATE outbox SET status = 'rejected' WHERE device_seq = 5")
    assert _totals(conn) == _sums(conn)
    conn.execute("DELETE FROM outbox")
    assert _totals(conn) == ([], 0)
