"""Who picks a ship order: chosen at the bench from this location's staff, or nobody.

The choice is a ``ship.assign`` operation (:mod:`app.domain.shipping.assign`) appended
to the outbox: the ledger keeps the picker on the order and sends it to every bench of
the location. Until the ledger has answered, this bench shows its own choice
(:mod:`app.storage.ship_orders`); a choice the ledger refuses (the order was cancelled
meanwhile …) shows in Exceptions and the pulled picker is back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.assign import ShipAssign, check_assignable
from app.errors import BadInput, NotFound
from app.services.pickup_view import store_zone
from app.services.results import StaffSession
from app.services.shipping.pick import location_of
from app.services.shipping.queue import summary_of
from app.services.shipping.results import Picker, ShipSummary
from app.storage import device, outbox, ship_orders
from app.storage.engine import Database, raw_connection


class PickerChoice:
    """The staff who may pick here, and the picker given to an order."""

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

    def pickers(self) -> tuple[Picker, ...]:
        """This location's active staff, by name."""
        with self._db.reading() as session:
            rows = ship_orders.active_staff(raw_connection(session))
        return tuple(Picker(code, name, role) for code, name, role in rows)

    def assign(self, staff: StaffSession, fulfilment_id: int, picker_code: str) -> ShipSummary:
        """Give order ``fulfilment_id`` to ``picker_code`` to pick ("" for nobody); returns
        its queue row as this bench now shows it."""
        now = self._clock()
        with self._db.writing() as session:
            conn = raw_connection(session)
            row = ship_orders.by_id(conn, fulfilment_id)
            if row is None:
                raise NotFound(
                    "That ship order is not at this station any more.",
                    next_step="Choose another order in the queue.",
                )
            check_assignable(str(row["order_number"]), FulfilmentState(str(row["state"])))
            codes = {code for code, _, _ in ship_orders.active_staff(conn)}
            if picker_code and picker_code not in codes:
                raise BadInput(
                    f"{picker_code} is not on this location's staff.",
                    next_step="Choose a name from the list.",
                )
            payload = ShipAssign(location_of(conn), fulfilment_id, picker_code)
            outbox.append(
                session,
                op_type=payload.TYPE,
                payload=payload.to_payload(),
                actor=staff.code,
                base_ledger_seq=int(device.sync_state(session).cursor),
                now=now,
            )
            shown = summary_of(ship_orders.by_id(conn, fulfilment_id) or row, now, store_zone(conn))
        self._on_committed()
        return shown
