"""The bench's view of a ship order: the ledger's last row + the ship ops made here that
it does not hold yet, replayed by :func:`app.domain.shipping.steps.apply_step` (the rules
the ledger applies), as :mod:`app.services.pickup_view` does for pickup orders."""

from __future__ import annotations

import json
import sqlite3

from app.domain.shipping.ops import parse_ship
from app.domain.shipping.order_view import ShipOrder
from app.domain.shipping.rows import ship_order_from_row
from app.domain.shipping.steps import apply_step
from app.errors import BadInput, NotFound, RuleRefused
from app.storage import pickups, ship_orders


def unconfirmed(
    conn: sqlite3.Connection, fulfilment_id: int
) -> list[tuple[str, dict[str, object]]]:
    """(type, payload) of ship ops made here for the order that the cached row lacks."""
    target = (
        "AND type LIKE 'ship.%' AND type != 'ship.assign' "  # a picker is no step
        "AND json_extract(payload, '$.fulfilment_id') = ?"
    )
    rows = conn.execute(
        f"SELECT device_seq, type, payload FROM outbox WHERE status = 'pending' {target} "
        f"UNION ALL SELECT device_seq, type, payload FROM outbox WHERE ledger_seq > ? "
        f"AND status = 'applied' {target} ORDER BY 1",
        (fulfilment_id, pickups.sync_cursor(conn), fulfilment_id),
    )
    return [(str(kind), json.loads(body)) for _, kind, body in rows]


def current(conn: sqlite3.Connection, fulfilment_id: int) -> ShipOrder:
    """The order as this bench knows it now; ``NotFound`` when not cached here."""
    row = ship_orders.by_id(conn, fulfilment_id)
    if row is None:
        raise NotFound(
            "That ship order is not at this station any more.",
            next_step="Choose another order in the queue.",
        )
    row["parcels"] = _parcels(conn, fulfilment_id)
    order = ship_order_from_row(row)
    for kind, payload in unconfirmed(conn, fulfilment_id):
        try:
            order = apply_step(order, parse_ship(kind, payload), recorded=True).order
        except (RuleRefused, BadInput, ValueError):
            continue  # the ledger refuses it too; it shows up in Exceptions
    return order


def _parcels(conn: sqlite3.Connection, fulfilment_id: int) -> str | None:
    """The cached parcels, once the cache has the column (ledger's station step 15)."""
    try:
        row = conn.execute(
            "SELECT parcels FROM fulfilment_orders WHERE id = ?", (fulfilment_id,)
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else row[0]
