"""Where items sit on this location's shelves (``shelf_bins``), and their units.

The bins are the ledger's (mirrored into ``planogram``, the ``shelf_bins`` scope): after
every pull or snapshot that brings bins, :func:`follow_planogram` makes each item's rows
here the planogram's bins in its order. Only for a location the ledger has no bins for,
the stand-in planogram (:mod:`app.services.shipping.planogram`) fills them.

Units here are what the bench believes a bin holds: a pick takes them off, an unpick
puts them back. A pull never resets them. When an item's bins change, a bin it keeps
keeps its units; the units of a bin it leaves go to its home bin (the goods are still
here; the planner moved them); a new bin starts empty. An item new to the planogram
starts with all its sellable units here (confirmed plus pending) in its home bin, none
in overflow: overflow fills when the shelf is counted or a put-back goes there.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from app.domain.pick_walk import BinStock

CHUNK = 500  # ids in one IN (…) list
_SELLABLE = (  # sellable units of an item here: confirmed plus pending
    "coalesce((SELECT sum(on_hand) FROM stock_base WHERE item_id = {item} "
    "AND bucket = 'sellable'), 0) + coalesce((SELECT delta FROM pending_totals "
    "WHERE item_id = {item} AND bucket = 'sellable'), 0)"
)


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


def planned_by_ledger(conn: sqlite3.Connection) -> bool:
    """The ledger sent shelf bins for this location."""
    return conn.execute("SELECT 1 FROM planogram LIMIT 1").fetchone() is not None


def catalog_stock(conn: sqlite3.Connection) -> list[tuple[int, str, int]]:
    """(item_id, category, sellable units here) of every catalog item."""
    sellable = _SELLABLE.format(item="i.id")
    rows = conn.execute(f"SELECT i.id, coalesce(i.category, ''), {sellable} FROM items AS i")
    return [(int(a), str(b), int(c)) for a, b, c in rows]


def follow_planogram(conn: sqlite3.Connection, item_ids: Iterable[int] | None = None) -> None:
    """Make the bins of these items (every item when None) the planogram's, keeping the
    units the bench believes each holds (module doc). While the ledger sends bins, an
    item the planogram leaves out has none here (stand-in bins go too)."""
    if item_ids is None:
        rows = conn.execute("SELECT DISTINCT item_id FROM planogram")
        wanted = sorted(int(i) for (i,) in rows)
    else:
        wanted = sorted(set(item_ids))
    for start in range(0, len(wanted), CHUNK):
        _follow(conn, wanted[start : start + CHUNK])
    if planned_by_ledger(conn):
        conn.execute("DELETE FROM shelf_bins WHERE item_id NOT IN (SELECT item_id FROM planogram)")


def _follow(conn: sqlite3.Connection, item_ids: list[int]) -> None:
    """Replace the bins of the items the planogram has bins for; leave the others."""
    marks = ", ".join("?" for _ in item_ids)
    plan: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for item_id, code, order in conn.execute(
        f"SELECT item_id, bin_code, sort_order FROM planogram WHERE item_id IN ({marks}) "
        "ORDER BY item_id, sort_order, bin_code",
        item_ids,
    ):
        plan[int(item_id)].append((str(code).upper(), int(order)))
    if not plan:
        return
    held: dict[int, dict[str, int]] = defaultdict(dict)
    for item_id, code, units in conn.execute(
        f"SELECT item_id, bin_code, units FROM shelf_bins WHERE item_id IN ({marks})", item_ids
    ):
        held[int(item_id)][str(code)] = int(units)
    new_items = [i for i in plan if i not in held]
    sellable = _sellable(conn, new_items) if new_items else {}
    rows: list[tuple[int, str, int, int]] = []
    for item_id, bins in plan.items():
        had = held.get(item_id)
        if had is None:
            units = {bins[0][0]: sellable.get(item_id, 0)}
        else:
            units = {code: had.get(code, 0) for code, _ in bins}
            units[bins[0][0]] += sum(n for code, n in had.items() if code not in units)
        rows += [(item_id, code, max(units.get(code, 0), 0), order) for code, order in bins]
    conn.executemany("DELETE FROM shelf_bins WHERE item_id = ?", [(i,) for i in plan])
    fill(conn, rows)


def _sellable(conn: sqlite3.Connection, item_ids: list[int]) -> dict[int, int]:
    marks = ", ".join("?" for _ in item_ids)
    rows = conn.execute(
        f"SELECT i.id, {_SELLABLE.format(item='i.id')} FROM items AS i WHERE i.id IN ({marks})",
        item_ids,
    )
    return {int(i): max(int(n), 0) for i, n in rows}
