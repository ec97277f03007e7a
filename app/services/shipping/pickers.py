"""Who picks a ship order: chosen at the bench from this location's staff.

Local only for now: the choice is kept in this station's cache (``picker_assignments``)
and no operation tells the ledger yet, so other stations do not see it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.errors import BadInput, NotFound, RuleRefused
from app.services.results import StaffSession
from app.services.shipping.queue import summary_of
from app.services.shipping.results import Picker, ShipSummary
from app.storage import ship_orders
from app.storage.engine import Database, raw_connection
from app.storage.types import to_text


class PickerChoice:
    """The staff who may pick here, and the picker given to an order."""

    def __init__(self, *, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def pickers(self) -> tuple[Picker, ...]:
        """This location's active staff, by name."""
        with self._db.reading() as session:
            rows = ship_orders.active_staff(raw_connection(session))
        return tuple(Picker(code, name, role) for code, name, role in rows)

    def assign(self, staff: StaffSession, fulfilment_id: int, picker_code: str) -> ShipSummary:
        """Give order ``fulfilment_id`` to ``picker_code`` to pick; returns its queue row."""
        now = self._clock()
        with self._db.writing() as session:
            conn = raw_connection(session)
            row = ship_orders.by_id(conn, fulfilment_id)
            if row is None:
                raise NotFound(
                    "That ship order is not at this station any more.",
                    next_step="Choose another order in the queue.",
                )
            if row["state"] not in ship_orders.QUEUE_STATES:
                raise RuleRefused(
                    f"Order {row['order_number']} is {row['state']}: nobody picks it now.",
                    next_step="Choose an order that is still in the queue.",
                )
            codes = {code for code, _, _ in ship_orders.active_staff(conn)}
            if picker_code not in codes:
                raise BadInput(
                    f"{picker_code or 'Nobody'} is not on this location's staff.",
                    next_step="Choose a name from the list.",
                )
            ship_orders.assign_picker(
                conn, fulfilment_id, picker_code, by=staff.code, at=to_text(now)
            )
            return summary_of(ship_orders.by_id(conn, fulfilment_id) or row, now)
