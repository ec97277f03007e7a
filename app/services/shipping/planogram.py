"""A stand-in planogram: where each catalog item sits on this location's shelves.

Until the ledger sends shelf bins as master data, the bench makes them up, the same way
every time: each category gets an aisle (A, B, … by category name), each item of it a
home bin in that aisle (bay by its place in the category, four levels a bay), and every
third item a second, overflow bin in aisle Z. The sellable units here are split between
them, two thirds at home. Filled on first use of a batch pick.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict

from app.domain.pick_walk import aisle_number
from app.storage import shelf_bins

LEVELS = 4  # shelf levels in a bay
OVERFLOW_AISLE = "Z"


def _aisle(index: int) -> str:
    """A, B … Y for the first 25 categories (Z is overflow), then AA, AB …"""
    if index < 25:
        return chr(ord("A") + index)
    return "A" + chr(ord("A") + (index - 25) % 26)


def planned_bins(items: list[tuple[int, str, int]]) -> list[tuple[int, str, int, int]]:
    """(item_id, bin_code, units, sort_order) for (item_id, category, sellable units)."""
    by_category: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for item_id, category, units in sorted(items):
        by_category[category or "general"].append((item_id, max(units, 0)))
    rows: list[tuple[int, str, int, int]] = []
    for index, category in enumerate(sorted(by_category)):
        aisle = _aisle(index)
        for place, (item_id, units) in enumerate(by_category[category]):
            home = f"{aisle}-{place // LEVELS + 1:02d}-{place % LEVELS + 1}"
            if item_id % 3:
                rows.append((item_id, home, units, 1))
                continue
            spare = units // 3
            rows.append((item_id, home, units - spare, 1))
            bay = aisle_number(aisle) * 10 + place // LEVELS + 1
            rows.append((item_id, f"{OVERFLOW_AISLE}-{bay:02d}-{place % LEVELS + 1}", spare, 2))
    return rows


def ensure_planogram(conn: sqlite3.Connection) -> None:
    """Fill the shelf bins from the catalog and sellable stock, when nothing has yet."""
    if not shelf_bins.is_empty(conn):
        return
    items = conn.execute(
        "SELECT i.id, coalesce(i.category, ''), coalesce(("
        "  SELECT sum(on_hand) FROM stock_base WHERE item_id = i.id AND bucket = 'sellable'"
        "), 0) + coalesce(("
        "  SELECT delta FROM pending_totals WHERE item_id = i.id AND bucket = 'sellable'"
        "), 0) FROM items AS i"
    ).fetchall()
    shelf_bins.fill(conn, planned_bins([(int(a), str(b), int(c)) for a, b, c in items]))
