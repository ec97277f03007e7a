"""What the pack step keeps and reads in the station cache.

The parcel being filled (``open_parcel_units``) is written scan by scan, so a crash loses
nothing; the parcel counter (``parcel_counter``) gives the SSCC's counter block and is
taken in the transaction that appends the pack, so a number is never given twice. Ship
operations made here and not yet in the pulled base are read back from the outbox, as
the pickup view does (:func:`app.storage.pickups.unconfirmed_ops`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ItemFacts:
    """What the pack step needs of a catalogue item: names, barcode, size and weight."""

    item_id: int
    sku: str
    gtin: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    weight_g: int


@dataclass(frozen=True)
class ShipOpMade:
    """A ship operation made here that the pulled base does not hold yet."""

    type: str
    payload: dict[str, Any]


def take_parcel_counter(conn: sqlite3.Connection) -> int:
    """The next parcel counter of this station (0 first), taken for good."""
    conn.execute(
        "INSERT INTO parcel_counter (id, next_counter) VALUES (1, 0) ON CONFLICT (id) DO NOTHING"
    )
    row = conn.execute(
        "UPDATE parcel_counter SET next_counter = next_counter + 1 WHERE id = 1 "
        "RETURNING next_counter - 1"
    ).fetchone()
    return int(row[0])


def open_units(conn: sqlite3.Connection, fulfilment_id: int) -> dict[str, int]:
    """SKU -> units scanned into the parcel being filled for the order, in scan order."""
    rows = conn.execute(
        "SELECT sku, units FROM open_parcel_units WHERE fulfilment_id = ? ORDER BY rowid",
        (fulfilment_id,),
    )
    return {str(sku): int(units) for sku, units in rows}


def add_open_unit(conn: sqlite3.Connection, fulfilment_id: int, sku: str) -> None:
    """One more unit of ``sku`` in the parcel being filled."""
    conn.execute(
        "INSERT INTO open_parcel_units (fulfilment_id, sku, units) VALUES (?, ?, 1) "
        "ON CONFLICT (fulfilment_id, sku) DO UPDATE SET units = units + 1",
        (fulfilment_id, sku),
    )


def clear_open(conn: sqlite3.Connection, fulfilment_id: int) -> None:
    """Empty the parcel being filled (closed, or taken apart)."""
    conn.execute("DELETE FROM open_parcel_units WHERE fulfilment_id = ?", (fulfilment_id,))


def parcels_text(conn: sqlite3.Connection, fulfilment_id: int) -> str | None:
    """The pulled ``parcels`` of a ship order, once the cache has the column (ship-ledger's
    cache step); None before."""
    columns = {str(r[1]) for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}
    if "parcels" not in columns:
        return None
    row = conn.execute(
        "SELECT parcels FROM fulfilment_orders WHERE id = ?", (fulfilment_id,)
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def unconfirmed_ship_ops(
    conn: sqlite3.Connection, cursor: int, fulfilment_id: int
) -> list[ShipOpMade]:
    """Ship ops of the order made here that the base does not hold yet, in device order."""
    sql = (
        "SELECT device_seq, type, payload FROM outbox WHERE type LIKE 'ship.%' "
        "AND type != 'ship.assign' "  # a picker is no step on the order
        "AND json_extract(payload, '$.fulfilment_id') = ? "
        "AND (status = 'pending' OR (status = 'applied' AND ledger_seq > ?)) ORDER BY 1"
    )
    return [
        ShipOpMade(str(kind), json.loads(payload))
        for _, kind, payload in conn.execute(sql, (fulfilment_id, cursor))
    ]


def order_of_tote(conn: sqlite3.Connection, tote: str) -> int | None:
    """The order whose units were last picked into ``tote`` here (its ship.pick ops)."""
    row = conn.execute(
        "SELECT json_extract(payload, '$.fulfilment_id') FROM outbox "
        "WHERE type = 'ship.pick' AND upper(json_extract(payload, '$.tote')) = ? "
        "ORDER BY device_seq DESC LIMIT 1",
        (tote.upper(),),
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])


_ITEM = (
    "SELECT id, sku, coalesce(gtin, ''), name, coalesce(length_mm, 0), coalesce(width_mm, 0), "
    "coalesce(height_mm, 0), coalesce(weight_g, 0) FROM items"
)


def _facts(row: tuple[Any, ...]) -> ItemFacts:
    length, width, height, weight = (int(v) for v in row[4:])
    return ItemFacts(int(row[0]), str(row[1]), str(row[2]), str(row[3]), length, width, height,
                     weight)  # fmt: skip


def item_by_code(conn: sqlite3.Connection, code: str) -> ItemFacts | None:
    """The item a scan names: its GTIN (as scanned, or 13 digits in a 14-digit code) or SKU."""
    row = conn.execute(
        f"{_ITEM} WHERE gtin = ? OR gtin = ? OR upper(sku) = ? LIMIT 1",
        (code, code.lstrip("0").zfill(13) if code.isdigit() else code, code.upper()),
    ).fetchone()
    return None if row is None else _facts(row)


def items_by_sku(conn: sqlite3.Connection, skus: list[str]) -> dict[str, ItemFacts]:
    """SKU -> item facts for ``skus`` (those in the catalogue)."""
    if not skus:
        return {}
    marks = ", ".join("?" for _ in skus)
    return {f.sku: f for f in map(_facts, conn.execute(f"{_ITEM} WHERE sku IN ({marks})", skus))}


def location_row(conn: sqlite3.Connection) -> dict[str, Any] | None:
    """This station's location as the ledger sent it (name, city, pincode …), with the
    device's id, the station number the ledger gave it (None if enrolled before) and the
    location code."""
    row = conn.execute(
        "SELECT d.device_id, d.location_code, coalesce(l.name, d.location_name), l.city, "
        "l.pincode, d.station_number FROM device AS d "
        "LEFT JOIN locations AS l ON l.code = d.location_code WHERE d.id = 1"
    ).fetchone()
    if row is None:
        return None
    keys = ("device_id", "code", "name", "city", "pincode", "station_number")
    return dict(zip(keys, row, strict=True))


def location_boxes(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """This station's location's box catalogue as the ledger sent it ([] when none came)."""
    row = conn.execute(
        "SELECT l.boxes FROM device AS d JOIN locations AS l ON l.code = d.location_code "
        "WHERE d.id = 1"
    ).fetchone()
    boxes = json.loads(row[0]) if row and row[0] else []
    return [b for b in boxes if isinstance(b, dict)]
