"""The stand-in planogram: shelf bins the bench makes up for a location the ledger sends
no bins for (``counterbench ledger import bins``, the ``shelf_bins`` scope).

When the ledger has bins for this location they are mirrored into ``planogram`` and the
bench's ``shelf_bins`` follow them (:func:`app.storage.shelf_bins.follow_planogram`).
Only when it has none, and the bench has no bins yet, the first batch pick fills them
from :func:`app.domain.planogram.plan_bins` over the catalog (logged, once), splitting
the sellable units here between an item's bins, two thirds at home.
"""

from __future__ import annotations

import sqlite3

from app import log
from app.domain.planogram import plan_bins
from app.storage import shelf_bins

_log = log.get("shipping")


def planned_bins(items: list[tuple[int, str, int]]) -> list[tuple[int, str, int, int]]:
    """(item_id, bin_code, units, sort_order) for (item_id, category, sellable units)."""
    units = {item_id: max(n, 0) for item_id, _, n in items}
    bins = plan_bins((item_id, category) for item_id, category, _ in items)
    overflow = {item_id for item_id, _, rank in bins if rank > 1}
    rows = []
    for item_id, code, rank in bins:
        spare = units[item_id] // 3 if item_id in overflow else 0
        rows.append((item_id, code, spare if rank > 1 else units[item_id] - spare, rank))
    return rows


def ensure_planogram(conn: sqlite3.Connection) -> None:
    """Make up the shelf bins when the ledger sent none and the bench has none yet."""
    if shelf_bins.planned_by_ledger(conn) or not shelf_bins.is_empty(conn):
        return
    _log.info("the ledger has no shelf bins for this location: using the stand-in planogram")
    shelf_bins.fill(conn, planned_bins(shelf_bins.catalog_stock(conn)))
