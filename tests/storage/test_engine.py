"""The cache engine really runs WAL, synchronous=FULL, foreign keys and BEGIN IMMEDIATE."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from app.storage.engine import Database


def _pragmas(db: Database) -> tuple[str, int, int]:
    with db.reading() as session:
        conn = session.connection()
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        sync = conn.exec_driver_sql("PRAGMA synchronous").scalar()
        fks = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    return str(mode), int(sync or 0), int(fks or 0)


def test_pragmas_are_set_on_every_connection(db: Database) -> None:
    assert _pragmas(db) == ("wal", 2, 1)  # synchronous 2 = FULL
    seen: list[tuple[str, int, int]] = []
    thread = threading.Thread(target=lambda: seen.append(_pragmas(db)))
    thread.start()
    thread.join()
    assert seen == [("wal", 2, 1)]
    raw = sqlite3.connect(db.path)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)  # persistent in the file
    raw.close()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), db.writing() as session:
        session.execute(
            text(
                "INSERT INTO pending_stock (op_id, item_id, bucket, delta) "
                "VALUES ('no-such-op', 1, 'sellable', 1)"
            )
        )


def test_a_write_session_holds_the_write_lock_from_its_first_statement(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0.05, isolation_level=None)
    with db.writing() as session:
        session.execute(text("SELECT 1"))  # a read only: IMMEDIATE still takes the lock
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # free again once committed
    other.execute("ROLLBACK")
    other.close()


def test_a_read_session_does_not_block_a_writer(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0.05, isolation_level=None)
    with db.reading() as session:
        session.execute(text("SELECT count(*) FROM items")).scalar()
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE sync_state SET cursor = 5")
        other.execute("COMMIT")
    with db.reading() as session:
        assert session.execute(text("SELECT cursor FROM sync_state")).scalar() == 5
    other.close()


def test_a_failed_write_rolls_back(db: Database) -> None:
    with pytest.raises(RuntimeError), db.writing() as session:
        session.execute(text("UPDATE sync_state SET cursor = 42"))
        raise RuntimeError("boom")
    with db.reading() as session:
        assert session.execute(text("SELECT cursor FROM sync_state")).scalar() == 0


def test_cache_file_is_made_with_its_folder(tmp_path: Path) -> None:
    db = Database(tmp_path / "deep" / "station.sqlite3")
    assert db.path.exists()
    db.dispose()
