"""Bulk inserts for seeding and change rows: ``COPY`` on PostgreSQL, raw executemany on SQLite.

Both skip SQLAlchemy's per-row parameter processing, which dominates at 100,000s of rows.
Only for tables without JSON columns (COPY would send a Python list as an array).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, DateTime, Table


def bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table`` in the caller's transaction."""
    if not rows:
        return
    columns = list(rows[0])
    driver: Any = conn.connection.driver_connection
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(tuple(row[c] for c in columns))
        return
    # Bind processors turn datetimes into SQLAlchemy's SQLite text format, so rows written
    # here read back exactly like rows written through SQLAlchemy.
    processors = [
        table.c[c].type._cached_bind_processor(conn.dialect)
        if isinstance(table.c[c].type, DateTime)
        else None
        for c in columns
    ]
    if any(processors):
        values = [
            tuple(p(row[c]) if p else row[c] for c, p in zip(columns, processors, strict=True))
            for row in rows
        ]
    else:
        values = [tuple(row[c] for c in columns) for row in rows]
    marks = ", ".join("?" for _ in columns)
    driver.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)
