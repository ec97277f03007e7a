"""Where items sit on this location's shelves (``shelf_bins``), and their units.

Filled by the stand-in planogram (:mod:`app.services.shipping.planogram`) until the
ledger sends shelf bins as master data. Units here are what the bench believes a bin
holds: a pick takes them off, an unpick puts them back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.domain.pick_walk import BinStock


def is_empty(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM shelf_bins LIMIT 1").fetchone() is None


def fill(conn: sqlite3.Connection, rows: Iterable[tuple[int, str, int, int]]) -> None:
    """Store (item_id, bin_code, units, sort_order) rows, replacing the same bins."""
    conn.executemany(
        "INSERT OR REPLACE INTO shelf_bins (item_id, bin_code, units, sort_order) "
        "VALUES (?, ?, ?, ?)",
        list(rows),
    )


def stock_of(conn: sqlite3.Connection, skus: Iterable[str]) -> list[BinStock]:
    """The bins holding each SKU, with their units (none for an unknown SKU)."""
    wanted = sorted(set(skus))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = conn.execute(
        "SELECT b.bin_code, i.sku, b.units FROM shelf_bins AS b JOIN items AS i "
        f"ON i.id = b.item_id WHERE i.sku IN ({marks}) ORDER BY i.sku, b.sort_order",
        wanted,
    )
    return [BinStock(str(code), str(sku), int(units)) for code, sku, units in rows]


def bins_of(conn: sqlite3.Connection, item_id: int) -> list[str]:
    """The bins an item lives in, home bin first."""
    rows = conn.execute(
        "SELECT bin_code FROM shelf_bins WHERE item_id = ? ORDER BY sort_order", (item_id,)
    )
    return [str(code) for (code,) in rows]


def move(conn: sqlite3.Connection, item_id: int, bin_code: str, units: int) -> None:
    """Units off (negative) or back on (positive) one bin; a bin not known is added last."""
    conn.execute(
        "INSERT INTO shelf_bins (item_id, bin_code, units, sort_order) "
        "VALUES (?1, ?2, max(?3, 0), (SELECT coalesce(max(sort_order), 0) + 1 "
        "FROM shelf_bins WHERE item_id = ?1)) "
        "ON CONFLICT (item_id, bin_code) DO UPDATE SET units = max(units + ?3, 0)",
        (item_id, bin_code.upper(), units),
    )
