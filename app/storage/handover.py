"""Reading what scan-out needs from the cache: the ship orders with parcels as the ledger
last sent them, and the parcel steps made here that it does not hold yet."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

# Orders that may hold parcels at the bench or handed over today.
_STATES = ("picking", "picked", "packed", "shipped")
PARCEL_OPS = ("ship.pack", "ship.label_void", "ship.handover")


@dataclass(frozen=True)
class ParcelStep:
    """A parcel step made here: its type, payload, when and by whom."""

    type: str
    payload: dict[str, Any]
    device_time: str  # ISO UTC, as the outbox keeps it
    actor: str


def ship_orders(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """id, order_number, lines, cod_minor, parcels (parsed) and the shares of the order's
    discount and shipping charge of ship orders that may hold parcels."""
    marks = ", ".join("?" for _ in _STATES)
    keys = ("id", "order_number", "lines", "cod_minor", "parcels", "discount_minor",
            "shipping_minor")  # fmt: skip
    rows = conn.execute(
        f"SELECT {', '.join(keys)} FROM fulfilment_orders "
        f"WHERE method = 'ship' AND state IN ({marks}) ORDER BY id",
        _STATES,
    )
    found = []
    for row in rows:
        order = dict(zip(keys, row, strict=True))
        for key in ("lines", "parcels"):
            order[key] = json.loads(order[key]) if order[key] else []
        found.append(order)
    return found


def parcel_steps(conn: sqlite3.Connection, cursor: int) -> list[ParcelStep]:
    """Pack, void and hand-over steps made here that the cached rows lack, in device order."""
    marks = ", ".join("?" for _ in PARCEL_OPS)
    rows = conn.execute(
        f"SELECT type, payload, device_time, actor FROM outbox WHERE type IN ({marks}) "
        "AND (status = 'pending' OR (status = 'applied' AND ledger_seq > ?)) "
        "ORDER BY device_seq",
        (*PARCEL_OPS, cursor),
    )
    return [
        ParcelStep(str(kind), json.loads(body), str(at), str(actor or ""))
        for kind, body, at, actor in rows
    ]


def eway_bill_threshold(conn: sqlite3.Connection) -> int | None:
    """The e-way bill threshold (paise) of this station's location, as its master data
    sets it; None when it sets none (or the cache has not pulled it yet)."""
    row = conn.execute(
        "SELECT l.eway_bill_threshold_minor FROM device AS d "
        "JOIN locations AS l ON l.code = d.location_code WHERE d.id = 1"
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0])
