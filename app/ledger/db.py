"""Database engines for the ledger: SQLite (WAL, FULL sync, BEGIN IMMEDIATE) or PostgreSQL.

Write transactions come from ``engine.begin()``. On SQLite every transaction starts with
``BEGIN IMMEDIATE`` so writers queue on the database lock instead of failing half way;
read transactions use :func:`reader`, which begins a deferred (snapshot) transaction on
SQLite and a REPEATABLE READ one on PostgreSQL, so a pull sees one consistent state.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite

_READONLY = "counterbench_readonly"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def insert_into(conn: Connection, table: Table) -> Any:
    """An INSERT into ``table`` in the connection's database kind, so it can add
    ``ON CONFLICT`` (``on_conflict_do_nothing``) on PostgreSQL and SQLite alike."""
    return (sqlite if is_sqlite(conn) else postgresql).insert(table)


def make_engine(url: str, *, pool_size: int = 8) -> Engine:
    """An engine for ``url`` with the pragmas and transaction mode the ledger relies on."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 60, "check_same_thread": False},
            pool_size=pool_size,
            max_overflow=16,
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # No pre-ping: it costs a round trip per request. A connection broken by a database
    # restart fails one request (a station sends it again) and is then replaced. At most
    # 2 x pool_size connections per process (plus the seq allocator's 8): more requests
    # at once wait for a connection rather than crowd the database's cores.
    return create_engine(url, pool_size=pool_size, max_overflow=pool_size)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not pysqlite, decide when transactions begin (SQLAlchemy recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_READONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def reader(engine: Engine) -> Engine:
    """An engine view whose transactions are consistent read snapshots."""
    if is_sqlite(engine):
        return engine.execution_options(**{_READONLY: True})
    return engine.execution_options(isolation_level="REPEATABLE READ")
