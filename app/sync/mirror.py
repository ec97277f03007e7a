"""Mirrored scopes in the station cache: apply pulled changes, snapshots, checksums.

This is the sync hot path, so it works on the raw sqlite3 connection of the caller's
transaction with ``executemany`` rather than ORM objects.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import log
from app.storage import pickups, shelf_bins, shelf_reprints
from app.sync import sold_here
from app.sync.protocol import (
    CHECKSUM_AGGREGATES,
    SCOPE_COLUMNS,
    Change,
    Scope,
    checksum,
    known_scope,
)

_log = log.get("sync")

SCOPE_TABLES: dict[Scope, str] = {
    Scope.LOCATIONS: "locations",
    Scope.CATALOG: "items",
    Scope.STAFF: "staff",
    Scope.STOCK: "stock_base",
    Scope.NETWORK_STOCK: "network_stock",
    Scope.FULFILMENT: "fulfilment_orders",
    Scope.EXCEPTIONS: "ledger_exceptions",
    Scope.REASONS: "reasons",
    Scope.SHELF_BINS: "planogram",  # the bench's shelf_bins follow it, keeping units
    Scope.GST_RATES: "gst_rates",  # the bench's tax invoices take their rates from it
    Scope.RETURNS: "ledger_returns",  # returns taken in at this store, by any station
    Scope.SOLD_ORDERS: "sold_here",  # kept in sold_orders as source 'here' (sold_here)
}
_JSON_COLUMNS: dict[Scope, tuple[str, ...]] = {
    Scope.LOCATIONS: ("capabilities", "bins", "carriers", "boxes"),
    Scope.FULFILMENT: ("lines", "pickup_log", "ship_to", "parcels"),
    Scope.SOLD_ORDERS: ("view",),
}


def _insert_sql(scope: Scope, columns: Sequence[str], *, replace: bool) -> str:
    unknown = set(columns) - set(SCOPE_COLUMNS[scope])
    if unknown:
        raise ValueError(f"unknown columns for scope {scope}: {sorted(unknown)}")
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    marks = ", ".join("?" for _ in columns)
    return f"{verb} INTO {SCOPE_TABLES[scope]} ({', '.join(columns)}) VALUES ({marks})"


def _encode(scope: Scope, columns: Sequence[str], rows: list[Any]) -> list[Any]:
    """Rows as sqlite3 takes them: JSON columns as text."""
    json_cols = [i for i, c in enumerate(columns) if c in _JSON_COLUMNS.get(scope, ())]
    if not json_cols:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i in json_cols:
            if values[i] is not None and not isinstance(values[i], str):
                values[i] = json.dumps(values[i], separators=(",", ":"))
        out.append(values)
    return out


def clear_scope(conn: sqlite3.Connection, scope: Scope) -> list[str]:
    """Empty a scope's table before a snapshot is written into it.

    Its secondary indexes are dropped too and their DDL returned, for
    :func:`finish_snapshot` to build them again: sorting once is cheaper than growing a
    B-tree row by row. DDL is transactional in SQLite, so a failed snapshot leaves them.
    """
    table = SCOPE_TABLES[scope]
    if scope is Scope.CATALOG:
        shelf_reprints.remember_prices(conn)  # compared once the snapshot is in
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute(f"DELETE FROM {table}")
    return [sql for _, sql in indexes]


@dataclass(frozen=True)
class RawPage:
    """A snapshot page kept as the ledger's JSON text, with its header read by SQLite."""

    text: str
    scope: Scope
    columns: tuple[str, ...]
    next_after: int | None
    as_of_seq: int
    rows: int


def read_page(conn: sqlite3.Connection, text: str) -> RawPage:
    """Read a page's header with SQLite's JSON functions (no Python parse of the rows)."""
    header, rows = conn.execute(
        "SELECT json_extract(?1, '$.scope', '$.columns', '$.next_after', '$.as_of_seq'), "
        "json_array_length(?1, '$.rows')",
        (text,),
    ).fetchone()
    name, columns, next_after, as_of_seq = json.loads(header)
    scope = known_scope(name)
    if scope is None:  # the station asks only for scopes it keeps
        raise ValueError(f"the ledger sent a page of scope {name!r}, which was not asked for")
    return RawPage(
        text=text,
        scope=scope,
        columns=tuple(columns),
        next_after=None if next_after is None else int(next_after),
        as_of_seq=int(as_of_seq),
        rows=int(rows or 0),
    )


def insert_snapshot_page(conn: sqlite3.Connection, page: RawPage) -> None:
    """Insert a page's rows in one statement: SQLite walks the JSON array itself.

    One statement per page keeps the GIL released for the whole insert, so the next page
    downloads meanwhile. JSON arrays and objects in a row are stored as JSON text.
    """
    if not page.rows:
        return
    # A newer ledger may send columns this station does not keep: they are left out.
    known = set(SCOPE_COLUMNS[page.scope])
    kept = [(i, c) for i, c in enumerate(page.columns) if c in known]
    columns = [c for _, c in kept]
    values = ", ".join(f"json_extract(value, '$[{i}]')" for i, _ in kept)
    insert = _insert_sql(page.scope, columns, replace=False).split(" VALUES ")[0]
    conn.execute(f"{insert} SELECT {values} FROM json_each(?, '$.rows')", (page.text,))


def finish_snapshot(conn: sqlite3.Connection, scope: Scope, indexes: Sequence[str]) -> None:
    """Rebuild the indexes and what else derives from a scope's table once it is full."""
    if scope is Scope.FULFILMENT:
        pickups.store_phone_keys(conn)  # before the indexes: one sort, not row by row
    for ddl in indexes:
        conn.execute(ddl)
    if scope is Scope.CATALOG:
        conn.execute("INSERT INTO items_fts (items_fts) VALUES ('rebuild')")
        shelf_reprints.queue_snapshot_changes(conn)
    if scope is Scope.SHELF_BINS:
        shelf_bins.follow_planogram(conn)
    if scope is Scope.SOLD_ORDERS:
        sold_here.keep_snapshot(conn)


def kept_scope(name: str, skipped: set[str]) -> Scope | None:
    """The scope ``name`` names, or None for one this station does not keep (a newer
    ledger's), logged the first time it is added to ``skipped``."""
    scope = known_scope(name)
    if scope is None and name not in skipped:
        skipped.add(name)
        _log.warning("the ledger sends scope %r, which this station does not keep: skipped", name)
    return scope


def known_changes(
    changes: Iterable[Change], skipped: set[str]
) -> Iterator[tuple[Scope, str, dict[str, Any] | None]]:
    """Pulled changes as (scope, key, data), leaving out scopes this station does not keep
    (their names are logged once, see :func:`kept_scope`)."""
    for change in changes:
        scope = kept_scope(change.scope, skipped)
        if scope is not None:
            yield scope, change.key, change.data


def apply_changes(
    conn: sqlite3.Connection,
    changes: Iterable[tuple[Scope, str, dict[str, Any] | None]],
    *,
    now: datetime | None = None,
) -> int:
    """Apply pulled changes (scope, key, full row or None for a delete), in order, then
    forget this location's sales from before the window (as of ``now``: the clock's).

    Each change carries the full row, so only the last change of a key matters.
    """
    final: dict[Scope, dict[str, dict[str, Any] | None]] = {}
    count = 0
    for scope, key, data in changes:
        final.setdefault(scope, {})[key] = data
        count += 1
    for scope, rows in final.items():
        table = SCOPE_TABLES[scope]
        ids = [(int(k),) for k in rows]
        if scope is Scope.CATALOG:
            _fts_forget(conn, [i for (i,) in ids])
            prices = shelf_reprints.prices_before(conn, [i for (i,) in ids])
        if scope is Scope.SHELF_BINS:
            moved = _planned_items(conn, [i for (i,) in ids])
        conn.executemany(f"DELETE FROM {table} WHERE id = ?", ids)
        upserts = [d for d in rows.values() if d is not None]
        if upserts:
            columns = SCOPE_COLUMNS[scope]
            values = [[d.get(c) for c in columns] for d in upserts]
            conn.executemany(
                _insert_sql(scope, columns, replace=True), _encode(scope, columns, values)
            )
            if scope is Scope.CATALOG:
                conn.executemany(
                    "INSERT INTO items_fts (rowid, name) VALUES (?, ?)",
                    [(d["id"], d["name"]) for d in upserts],
                )
                shelf_reprints.queue_price_changes(conn, prices, upserts)
            if scope is Scope.FULFILMENT:
                pickups.store_phone_keys(conn, [int(d["id"]) for d in upserts])
            if scope is Scope.SOLD_ORDERS:
                sold_here.keep_pulled(conn, [int(d["id"]) for d in upserts])
        if scope is Scope.SHELF_BINS:
            moved |= {int(d["item_id"]) for d in upserts}
            shelf_bins.follow_planogram(conn, moved)
    sold_here.age_out(conn, now)
    return count


def _planned_items(conn: sqlite3.Connection, bin_ids: list[int]) -> set[int]:
    """The items of these planogram rows, before a change replaces or deletes them."""
    found: set[int] = set()
    for start in range(0, len(bin_ids), 500):
        chunk = bin_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(f"SELECT item_id FROM planogram WHERE id IN ({marks})", chunk)
        found.update(int(i) for (i,) in rows)
    return found


def _fts_forget(conn: sqlite3.Connection, item_ids: list[int]) -> None:
    """Remove items from the name index (an external-content index needs the old text)."""
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        old = conn.execute(f"SELECT id, name FROM items WHERE id IN ({marks})", chunk).fetchall()
        conn.executemany(
            "INSERT INTO items_fts (items_fts, rowid, name) VALUES ('delete', ?, ?)", old
        )


def scope_checksum(conn: sqlite3.Connection, scope: Scope) -> str:
    """The checksum of the local copy of a scope, as the ledger computes it."""
    row = conn.execute(f"SELECT {CHECKSUM_AGGREGATES[scope]} FROM {SCOPE_TABLES[scope]}").fetchone()
    return checksum(tuple(row))
