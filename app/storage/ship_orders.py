"""Reading ship orders from the cache for the bench, with who picks each.

A ship order's row is the fulfilment order as the ledger last sent it (method ``ship``).
The bench queue is every open one, the delivery promise first, then the carrier cut-off
it should leave by, then the oldest. The picker of an order is the one the ledger last
sent (``picker_code``, every bench's ``ship.assign``), unless this bench chose one the
ledger has not answered yet (its op pending) or whose answer is not pulled back yet: then
this bench's latest choice shows, as the pickup ops' local effects do. A refused choice
shows no more: the pulled picker is back, and the refusal is in Exceptions.
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
    "carrier_service", "promised_by", "ship_by", "route_note", "transit_days",
    "discount_minor", "shipping_minor",
)  # fmt: skip
_PICKER = ("picker_code", "picker_name")
# This bench's ship.assign ops the cached rows do not hold yet, in two index-friendly
# halves (pending by status, applied by ledger_seq) as app.storage.pickups reads them.
_MADE_HERE = (
    "SELECT json_extract(payload, '$.fulfilment_id') AS fulfilment_id, "
    "json_extract(payload, '$.picker') AS staff_code, device_seq FROM outbox"
)
_UNANSWERED = (
    f"{_MADE_HERE} INDEXED BY ix_outbox_status_seq "
    "WHERE status = 'pending' AND type = 'ship.assign' UNION ALL "
    f"{_MADE_HERE} INDEXED BY ix_outbox_ledger_seq "
    "WHERE ledger_seq > (SELECT cursor FROM sync_state WHERE id = 1) "
    "AND status = 'applied' AND type = 'ship.assign'"
)
# The latest such choice per order (SQLite takes the bare column from the max's row).
_CHOSEN = (
    f"SELECT fulfilment_id, staff_code, max(device_seq) FROM ({_UNANSWERED}) GROUP BY fulfilment_id"
)
_PICKER_CODE = "coalesce(p.staff_code, f.picker_code)"  # "" chosen here: nobody
_SELECT = (
    f"SELECT {', '.join('f.' + c for c in _COLUMNS)}, {_PICKER_CODE}, s.name "
    f"FROM fulfilment_orders AS f LEFT JOIN ({_CHOSEN}) AS p ON p.fulfilment_id = f.id "
    f"LEFT JOIN staff AS s ON s.code = {_PICKER_CODE} AND s.active != 0 "
    "WHERE f.method = 'ship'"
)
# Issue #10: by promise and carrier cut-off, with age. Orders with no promise or cut-off
# go last (NULLs sort first in SQLite).
_QUEUE_ORDER = (
    "ORDER BY f.promised_by IS NULL, f.promised_by, f.ship_by IS NULL, f.ship_by, "
    "f.created_at, f.id"
)


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(zip(_COLUMNS + _PICKER, row, strict=True)) for row in cursor]


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


def open_orders(conn: sqlite3.Connection, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` open ship orders here, in queue order (promise, cut-off, age)."""
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


def promised(conn: sqlite3.Connection) -> list[tuple[str, Any, str, Any]]:
    """(state, ship_by, promised_by, transit_days) of every open ship order here with a
    promise: what the queue's summary line counts late for promise."""
    return [
        (str(state), ship_by, str(promise), days)
        for state, ship_by, promise, days in conn.execute(
            "SELECT state, ship_by, promised_by, transit_days FROM fulfilment_orders "
            f"WHERE method = 'ship' AND state IN ({_marks(QUEUE_STATES)}) "
            "AND promised_by IS NOT NULL",
            QUEUE_STATES,
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


def active_staff(conn: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(code, name, role) of this location's active staff, by name: who may pick."""
    return [
        (str(code), str(name), str(role))
        for code, name, role in conn.execute(
            "SELECT code, name, role FROM staff WHERE active != 0 ORDER BY name, code"
        )
    ]


def store_must(conn: sqlite3.Connection, number: str, kinds: Iterable[str]) -> dict[str, str]:
    """Exception kind -> what the store must do next, for the open exceptions of ``kinds``
    the ledger opened about order ``number`` (the newest of each kind)."""
    wanted = tuple(kinds)
    rows = conn.execute(
        "SELECT kind, next_step FROM ledger_exceptions WHERE order_number = ? "
        f"AND status = 'open' AND kind IN ({_marks(wanted)}) ORDER BY id",
        (number, *wanted),
    )
    return {str(kind): str(step or "") for kind, step in rows}


def staff_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Staff code -> name of everyone this station knows, active or not: who packed and
    handed over a parcel may have left since."""
    return {str(code): str(name) for code, name in conn.execute("SELECT code, name FROM staff")}
