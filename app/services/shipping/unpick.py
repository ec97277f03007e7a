"""Putting a picked order's units back on the shelf, by scan: the bin, then the item.

The unpick task lists ship orders here with loose units to go back: orders the ledger
rerouted or cancelled while they were picked, and units beyond what is still owed
(:func:`app.domain.shipping.steps.unpick_due`). Any picked order may be put back too.
Each put-back is one ``ship.unpick`` with its local effect: units back in sellable here
and on the bin scanned.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from app.domain.gs1 import item_code
from app.domain.shipping.op_parts import BinLine
from app.domain.shipping.ops import ShipUnpick
from app.domain.shipping.order_view import ShipOrder, ShipOrderLine
from app.domain.shipping.steps import apply_step, unpick_due
from app.errors import BadInput, NotFound
from app.services.results import StaffSession
from app.services.shipping import ship_view
from app.services.shipping.batch_results import UnpickDone, UnpickTask
from app.services.shipping.pick import location_of, record_op
from app.storage import catalog, outbox, shelf_bins
from app.storage.engine import Database, raw_connection

# States in which units of a ship order can be off the shelf and not shipped.
_HOLDING = ("picking", "picked", "packed", "rerouted", "cancelled", "rejected")


def _gtin_key(code: str) -> str:
    return code.zfill(14) if code.isdigit() else code.casefold()


def line_scanned(conn: sqlite3.Connection, order: ShipOrder, code: str) -> ShipOrderLine:
    """The line of ``order`` an item scan (SKU or GTIN, GS1 too) names."""
    wanted = _gtin_key(item_code(code.strip()))
    for line in order.lines:
        rows = catalog.by_sku(conn, line.sku)
        gtin = line.gtin or (rows[0].gtin if rows else "")
        if wanted in (line.sku.casefold(), _gtin_key(gtin) if gtin else ""):
            return line
    raise BadInput(
        f"'{code.strip()}' is not an item of order {order.order_number}.",
        next_step="Scan an item of this order.",
    )


def task_of(conn: sqlite3.Connection, order: ShipOrder) -> UnpickTask:
    due = unpick_due(order)
    lines = tuple(
        (ln.sku, ln.name or ln.sku, due[ln.sku], tuple(shelf_bins.bins_of(conn, ln.item_id)))
        for ln in order.lines
        if ln.sku in due
    )
    return UnpickTask(order.id, order.order_number, order.state.value, lines)


class Unpicking:
    """The unpick task and put-backs at this bench (see the module docstring)."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        on_committed: Callable[[], None] = lambda: None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._on_committed = on_committed

    def tasks(self) -> list[UnpickTask]:
        """Ship orders here with units due back on the shelf, oldest first."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            marks = ", ".join("?" for _ in _HOLDING)
            ids = conn.execute(
                "SELECT id FROM fulfilment_orders WHERE method = 'ship' "
                f"AND state IN ({marks}) ORDER BY created_at, id",
                _HOLDING,
            ).fetchall()
            orders = [ship_view.current(conn, int(fid)) for (fid,) in ids]
            return [task_of(conn, o) for o in orders if unpick_due(o)]

    def put_back(
        self, staff: StaffSession, fulfilment_id: int, bin_code: str, code: str, quantity: int = 1
    ) -> UnpickDone:
        """``quantity`` units of the item scanned put back in the bin scanned."""
        bin_code = bin_code.strip().upper()
        with self._db.writing() as session:
            conn = raw_connection(session)
            order = ship_view.current(conn, fulfilment_id)
            line = line_scanned(conn, order, code)
            bins = shelf_bins.bins_of(conn, line.item_id)
            if bins and bin_code not in bins:
                raise NotFound(
                    f"{line.name or line.sku} does not live in bin {bin_code}.",
                    next_step=f"Put it in bin {' or '.join(bins)} and scan that bin.",
                )
            payload = ShipUnpick(
                location_of(conn), fulfilment_id, lines=(BinLine(line.sku, quantity, bin_code),)
            )
            outcome = apply_step(order, payload)  # refuses units that are not off the shelf
            effects = tuple(outbox.Effect(line.item_id, "sellable", m.units) for m in outcome.moves)
            for move in outcome.moves:
                shelf_bins.move(conn, line.item_id, move.bin, move.units)
            record_op(session, payload, effects, staff.code, self._clock())
            task = task_of(conn, outcome.order)
        self._on_committed()
        said = f"{quantity} {line.name or line.sku} back in bin {bin_code}."
        if not task.lines:
            return UnpickDone(f"{said} Order {order.order_number} is all back.", None)
        left = sum(units for _, _, units, _ in task.lines)
        return UnpickDone(f"{said} {left} more to put back: scan the bin.", task)
