"""Reading items and stock from the cache: lookups by GTIN, SKU and name words.

Scans are the hottest path of a terminal, so these are plain SQL on the sqlite3
connection (statements are prepared once and cached by the driver). Each lookup is one
statement, so it reads one consistent state even outside an explicit transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemRow:
    id: int
    sku: str
    gtin: str
    name: str
    price_minor: int
    currency: str
    category: str
    sellable_on_hand: int  # base + pending
    sellable_reserved: int
    sellable_safety: int
    count_due: bool  # not found at a short: nothing to promise here until counted


@dataclass(frozen=True)
class BucketRow:
    bucket: str
    on_hand: int  # base + pending
    reserved: int
    safety_stock: int
    pending: int


@dataclass(frozen=True)
class NetworkRow:
    location_code: str
    location_name: str
    city: str
    latitude: float | None
    longitude: float | None
    available: int


@dataclass(frozen=True)
class LocationRow:
    code: str
    name: str
    latitude: float | None
    longitude: float | None


_SELECT = (
    "SELECT i.id, i.sku, i.gtin, i.name, i.price_minor, i.currency, i.category, "
    "coalesce((SELECT sum(s.on_hand) FROM stock_base s "
    "          WHERE s.item_id = i.id AND s.bucket = 'sellable'), 0) "
    "+ coalesce((SELECT p.delta FROM pending_totals p "
    "            WHERE p.item_id = i.id AND p.bucket = 'sellable'), 0), "
    "coalesce((SELECT sum(s.reserved) FROM stock_base s "
    "          WHERE s.item_id = i.id AND s.bucket = 'sellable'), 0), "
    "coalesce((SELECT sum(s.safety_stock) FROM stock_base s "
    "          WHERE s.item_id = i.id AND s.bucket = 'sellable'), 0), "
    "coalesce((SELECT max(coalesce(s.count_due, 0)) FROM stock_base s "
    "          WHERE s.item_id = i.id AND s.bucket = 'sellable'), 0) "
    "+ coalesce((SELECT p.delta FROM pending_totals p "
    "            WHERE p.item_id = i.id AND p.bucket = 'count_due'), 0) "
)


def _rows(cursor: sqlite3.Cursor) -> list[ItemRow]:
    return [
        ItemRow(
            id=r[0],
            sku=r[1],
            gtin=r[2] or "",
            name=r[3],
            price_minor=r[4],
            currency=r[5],
            category=r[6] or "",
            sellable_on_hand=r[7],
            sellable_reserved=r[8],
            sellable_safety=r[9],
            count_due=r[10] > 0,
        )
        for r in cursor.fetchall()
    ]


def by_gtin(conn: sqlite3.Connection, gtins: Sequence[str]) -> list[ItemRow]:
    marks = ", ".join("?" for _ in gtins)
    return _rows(conn.execute(f"{_SELECT} FROM items i WHERE i.gtin IN ({marks})", tuple(gtins)))


def by_sku(conn: sqlite3.Connection, sku: str) -> list[ItemRow]:
    found = _rows(conn.execute(f"{_SELECT} FROM items i WHERE i.sku = ?", (sku,)))
    if not found and sku.upper() != sku:
        found = _rows(conn.execute(f"{_SELECT} FROM items i WHERE i.sku = ?", (sku.upper(),)))
    return found


def by_id(conn: sqlite3.Connection, item_id: int) -> ItemRow | None:
    found = _rows(conn.execute(f"{_SELECT} FROM items i WHERE i.id = ?", (item_id,)))
    return found[0] if found else None


_WORD = re.compile(r"\w+", re.UNICODE)


def by_name_words(conn: sqlite3.Connection, query: str, limit: int) -> list[ItemRow]:
    """Items whose name has a word starting with each word of ``query``."""
    words = _WORD.findall(query)
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)
    return _rows(
        conn.execute(
            f"{_SELECT} FROM items_fts JOIN items AS i ON i.id = items_fts.rowid "
            "WHERE items_fts MATCH ? ORDER BY i.name LIMIT ?",
            (match, limit),
        )
    )


def buckets(conn: sqlite3.Connection, item_id: int) -> list[BucketRow]:
    """Stock per bucket of one item: confirmed base plus pending local effects (their
    running total, so the time does not grow with the queue)."""
    rows = conn.execute(
        "SELECT bucket, sum(on_hand), sum(reserved), sum(safety), sum(pending) FROM ("
        " SELECT bucket, on_hand, reserved, safety_stock AS safety, 0 AS pending"
        " FROM stock_base WHERE item_id = ?1"
        " UNION ALL"
        " SELECT bucket, delta, 0, 0, delta FROM pending_totals WHERE item_id = ?1"
        ") GROUP BY bucket",
        (item_id,),
    ).fetchall()
    return [
        BucketRow(bucket=b, on_hand=on_hand, reserved=reserved, safety_stock=safety, pending=p)
        for b, on_hand, reserved, safety, p in rows
    ]


def network(conn: sqlite3.Connection, item_id: int) -> list[NetworkRow]:
    rows = conn.execute(
        "SELECT l.code, l.name, l.city, l.latitude, l.longitude, n.available "
        "FROM network_stock n JOIN locations l ON l.id = n.location_id WHERE n.item_id = ?",
        (item_id,),
    ).fetchall()
    return [
        NetworkRow(
            location_code=r[0],
            location_name=r[1],
            city=r[2] or "",
            latitude=r[3],
            longitude=r[4],
            available=int(r[5]),
        )
        for r in rows
    ]


def location(conn: sqlite3.Connection, code: str) -> LocationRow | None:
    row = conn.execute(
        "SELECT code, name, latitude, longitude FROM locations WHERE code = ?", (code,)
    ).fetchone()
    return LocationRow(*row) if row else None
