"""The station cache's SQLite engine: WAL, synchronous=FULL, foreign keys, BEGIN IMMEDIATE.

pysqlite's own transaction handling is switched off (``isolation_level=None``) and every
transaction is begun by the ``begin`` event, the recipe from the SQLAlchemy SQLite
dialect docs. Writers begin IMMEDIATE so two writers never deadlock on a lock upgrade;
readers may ask for a DEFERRED transaction with :meth:`Database.reading`.

The file is private (0600 in a 0700 folder; SQLite gives -wal/-shm/-journal the same
mode), and staff hashes in it are peppered with the station's key from the keyring
(``app.storage.staff_hashes``); ``secure_delete=FAST`` zeroes a replaced hash's old
bytes in its page rather than leave them in free space.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from app.storage import files
from app.storage import staff as staff_repo
from app.storage.secrets import station_pepper

BUSY_TIMEOUT_S = 30.0
CACHE_KIB = 64 * 1024  # page cache per connection; snapshots insert into large indexes
_BEGIN_OPTION = "sqlite_begin"


def _pragmas(dbapi_connection: Any) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see _on_begin)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.execute("PRAGMA secure_delete=FAST")
    cursor.close()


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "IMMEDIATE")
    conn.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, pepper: bytes) -> Engine:
    """An engine on the cache file at ``path`` (made 0600 if new) with the station's
    pragmas, peppering staff hashes with ``pepper``."""
    files.private_file(path)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        _pragmas(dbapi_connection)
        staff_repo.install_peppering(dbapi_connection, pepper)

    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )
    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Database:
    """The cache file: an engine and session factories for writing and reading."""

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        self.path = path
        self.pepper = station_pepper(path.parent)
        self.engine = make_engine(path, self.pepper)
        if migrate:
            self.migrate()
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(
            self.engine.execution_options(**{_BEGIN_OPTION: "DEFERRED"}),
            expire_on_commit=False,
        )

    def session(self) -> Session:
        """A session whose transactions begin IMMEDIATE (use for any write)."""
        return self._write()

    def read_session(self) -> Session:
        """A session whose transactions begin DEFERRED (reads only)."""
        return self._read()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One IMMEDIATE write transaction: commit on success, roll back on error."""
        with self.session() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One DEFERRED read transaction."""
        with self.read_session() as session, session.begin():
            yield session

    def migrate(self, *, target: int | None = None) -> int:
        """Bring the cache file up to the newest schema (or ``target``)."""
        from app.storage import migrations

        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            step = migrations.migrate(conn, target=migrations.HEAD if target is None else target)
            staff_repo.install_peppering(conn, self.pepper)  # the staff table may be new
            if staff_repo.pepper_all(conn, self.pepper):
                # the unpeppered pages live on in the main file until a checkpoint
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            return step
        finally:
            raw.close()

    @contextmanager
    def raw_reader(self) -> Iterator[sqlite3.Connection]:
        """A pooled sqlite3 connection in autocommit mode, for one-statement hot reads."""
        raw = self.engine.raw_connection()
        try:
            conn = raw.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            yield conn
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under ``session``'s transaction, for executemany hot paths."""
    dbapi = session.connection().connection.driver_connection
    assert isinstance(dbapi, sqlite3.Connection)
    return dbapi
