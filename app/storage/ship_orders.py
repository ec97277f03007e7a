"""Reading ship orders from the cache for the bench, and the pickers assigned here.

A ship order's row is the fulfilment order as the ledger last sent it (method ``ship``).
The bench queue is every open one, the carrier cut-off it should leave by first
(``ix_ship_queue``), then the promised date, then the oldest. The picker of an order is
chosen at this station and kept in ``picker_assignments``: local only for now.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

# What the bench still works on: to pick, being picked, picked (to pack), packed (to hand
# to the carrier). Shipped, rejected, rerouted, cancelled … are off its queue.
QUEUE_STATES = ("routed", "accepted", "picking", "picked", "packed")

_COLUMNS = (
    "id", "order_number", "channel", "state", "customer_name", "customer_phone", "lines",
    "created_at", "location_code", "ship_to", "payment", "cod_minor", "carrier",
    "carrier_service", "promised_by", "ship_by", "route_note",
)  # fmt: skip
_PICKER = ("picker_code", "picker_name")
_SELECT = (
    f"SELECT {', '.join('f.' + c for c in _COLUMNS)}, p.staff_code, s.name "
    "FROM fulfilment_orders AS f "
    "LEFT JOIN picker_assignments AS p ON p.fulfilment_id = f.id "
    "LEFT JOIN staff AS s ON s.code = p.staff_code AND s.active != 0 "
    "WHERE f.method = 'ship'"
)
# Orders with no cut-off or promise go last (NULLs sort first in SQLite).
_QUEUE_ORDER = (
    "ORDER BY f.ship_by IS NULL, f.ship_by, f.promised_by IS NULL, f.promised_by, "
    "f.created_at, f.id"
)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(zip(_COLUMNS + _PICKER, row, strict=True)) for row in cursor]


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


def open_orders(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` open ship orders here, in queue order (cut-off, promise, age)."""
    return _dicts(
        conn.execute(
            f"{_SELECT} AND f.state IN ({_marks(QUEUE_STATES)}) {_QUEUE_ORDER} LIMIT ?",
            (*QUEUE_STATES, limit),
        )
    )


def count_open(conn: sqlite3.Connection) -> int:
    """How many open ship orders are here (all of them, not one page)."""
    row = conn.execute(
        "SELECT count(*) FROM fulfilment_orders "
        f"WHERE method = 'ship' AND state IN ({_marks(QUEUE_STATES)})",
        QUEUE_STATES,
    ).fetchone()
    return int(row[0])


def due_by(conn: sqlite3.Connection, ship_by: str) -> list[tuple[str, str]]:
    """(state, ship_by) of open ship orders that should leave by ``ship_by`` (ISO text, the
    same form as the column's): what the queue's summary line counts."""
    return [
        (str(state), str(at))
        for state, at in conn.execute(
            "SELECT state, ship_by FROM fulfilment_orders "
            f"WHERE method = 'ship' AND state IN ({_marks(QUEUE_STATES)}) "
            "AND ship_by IS NOT NULL AND ship_by < ?",
            (*QUEUE_STATES, ship_by),
        )
    ]


def by_id(conn: sqlite3.Connection, fulfilment_id: int) -> dict[str, Any] | None:
    """One ship order here, open or not."""
    rows = _dicts(conn.execute(f"{_SELECT} AND f.id = ?", (fulfilment_id,)))
    return rows[0] if rows else None


def by_order_number(conn: sqlite3.Connection, number: str) -> list[dict[str, Any]]:
    """Ship orders here with order number ``number`` (exact, case folded: a scan)."""
    return _dicts(
        conn.execute(f"{_SELECT} AND upper(f.order_number) = ? ORDER BY f.id", (number.upper(),))
    )


def assign_picker(
    conn: sqlite3.Connection, fulfilment_id: int, staff_code: str, *, by: str, at: str
) -> None:
    """Record ``staff_code`` as the picker of the order (replacing an earlier one)."""
    conn.execute(
        "INSERT INTO picker_assignments (fulfilment_id, staff_code, assigned_by, assigned_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (fulfilment_id) DO UPDATE SET "
        "staff_code = excluded.staff_code, assigned_by = excluded.assigned_by, "
        "assigned_at = excluded.assigned_at",
        (fulfilment_id, staff_code, by, at),
    )


def assignment(conn: sqlite3.Connection, fulfilment_id: int) -> tuple[str, str, str] | None:
    """(picker's staff code, who assigned, when) of an order, or None."""
    row = conn.execute(
        "SELECT staff_code, assigned_by, assigned_at FROM picker_assignments "
        "WHERE fulfilment_id = ?",
        (fulfilment_id,),
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))


def active_staff(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(code, name, role) of this location's active staff, by name: who may pick."""
    return [
        (str(code), str(name), str(role))
        for code, name, role in conn.execute(
            "SELECT code, name, role FROM staff WHERE active != 0 ORDER BY name, code"
        )
    ]
