"""Shelf labels to reprint: items whose price changed in a pull, until their new label is
printed. Kept by the sync (:func:`app.sync.mirror.apply_changes`) in the same
transaction as the price, so a price never changes without its label being queued.

A catalog snapshot (which replaces every item) compares the prices it brings with those
it replaced (:func:`remember_prices`, :func:`queue_snapshot_changes`), so a change the
station only learns from a snapshot is queued too. A price that goes back to what the
shelf label shows takes the item off the list again.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

CHUNK = 500


@dataclass(frozen=True)
class ReprintRow:
    item_id: int
    sku: str
    name: str
    old_price_minor: int  # what the shelf label shows
    new_price_minor: int  # what the catalog says now
    currency: str
    queued_at: str


def prices_before(conn: sqlite3.Connection, item_ids: Sequence[int]) -> dict[int, int]:
    """The cached prices of ``item_ids`` that are in the catalog, before a pull replaces them."""
    prices: dict[int, int] = {}
    for start in range(0, len(item_ids), CHUNK):
        chunk = list(item_ids[start : start + CHUNK])
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(f"SELECT id, price_minor FROM items WHERE id IN ({marks})", chunk)
        prices.update((int(i), int(p)) for i, p in rows)
    return prices


def queue_price_changes(
    conn: sqlite3.Connection, before: dict[int, int], rows: Iterable[dict[str, Any]]
) -> int:
    """Queue the items of ``rows`` (pulled catalog rows) whose price differs from
    ``before``; the old price of an item already queued stays the one on its shelf."""
    now = datetime.now(UTC).isoformat()
    changed = [
        (int(r["id"]), before[int(r["id"])], int(r["price_minor"]), now)
        for r in rows
        if int(r["id"]) in before and int(r["price_minor"]) != before[int(r["id"])]
    ]
    conn.executemany(
        "INSERT INTO shelf_reprints (item_id, old_price_minor, new_price_minor, queued_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (item_id) DO UPDATE SET "
        "new_price_minor = excluded.new_price_minor, queued_at = excluded.queued_at",
        changed,
    )
    conn.execute("DELETE FROM shelf_reprints WHERE new_price_minor = old_price_minor")
    return len(changed)


def remember_prices(conn: sqlite3.Connection) -> None:
    """Keep the cached prices before a catalog snapshot replaces them (same transaction)."""
    conn.execute("DROP TABLE IF EXISTS temp.prices_before")
    conn.execute("CREATE TEMP TABLE prices_before AS SELECT id, price_minor FROM items")


def queue_snapshot_changes(conn: sqlite3.Connection) -> None:
    """Queue the items whose snapshot price differs from the one remembered."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_temp_master WHERE type = 'table' AND name = 'prices_before'"
    ).fetchone()
    if found is None:
        return
    conn.execute(
        "INSERT INTO shelf_reprints (item_id, old_price_minor, new_price_minor, queued_at) "
        "SELECT i.id, p.price_minor, i.price_minor, ? FROM items i "
        "JOIN temp.prices_before p ON p.id = i.id WHERE i.price_minor != p.price_minor "
        "ON CONFLICT (item_id) DO UPDATE SET "
        "new_price_minor = excluded.new_price_minor, queued_at = excluded.queued_at",
        (datetime.now(UTC).isoformat(),),
    )
    conn.execute("DELETE FROM shelf_reprints WHERE new_price_minor = old_price_minor")
    conn.execute("DROP TABLE temp.prices_before")


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM shelf_reprints").fetchone()[0])


def due(conn: sqlite3.Connection) -> list[ReprintRow]:
    """The queued items still in the catalog, oldest first."""
    rows = conn.execute(
        "SELECT r.item_id, i.sku, i.name, r.old_price_minor, i.price_minor, i.currency, "
        "r.queued_at "
        "FROM shelf_reprints r JOIN items i ON i.id = r.item_id ORDER BY r.queued_at, i.sku"
    ).fetchall()
    return [ReprintRow(*row) for row in rows]


def printed(conn: sqlite3.Connection, printed_prices: dict[int, int]) -> None:
    """Take items off the list whose label was printed at the price they still have."""
    conn.executemany(
        "DELETE FROM shelf_reprints WHERE item_id = ? AND new_price_minor = ?",
        list(printed_prices.items()),
    )
