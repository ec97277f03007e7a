"""Ship-for-pickup at the counter: receive the warehouse's transfer for an order by scan.

A ship-for-pickup order arrives in the queue as ``awaiting_transfer``. Each scanned unit
is received, whether or not the ledger has recorded the warehouse shipping it yet (the
truck often comes first: the ledger then records the shipment and opens a
``received_before_shipped`` exception): one IMMEDIATE transaction reads the order's
current view, checks the step by the domain rules (more than the transfer carries is
refused before anything is written), and appends the ``pickup.receive`` operation to
the outbox with its local stock effects (into and out of this store's ``in_transit``).
Received units count as picked, so the order is ready to stage. Works offline; the
outbox sends it to the ledger exactly once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup import PickupOrder
from app.domain.pickup_ops import LineQty, PickupPayload, PickupReceive
from app.domain.pickup_transfer import receivable, require_ship_for_pickup
from app.errors import RuleRefused
from app.services import pickup_scan
from app.services import pickup_view as view
from app.services.pickup_record import record_step
from app.services.pickup_results import PickupRecorded
from app.services.results import StaffSession
from app.storage.engine import Database, raw_connection
from app.storage.pickups import StoreRules

MAX_RECEIVED_AT_ONCE = 1000  # more in one scan is a typing slip (a barcode in the field)


@dataclass(frozen=True)
class IncomingLine:
    """One line of a ship-for-pickup order as the warehouse sends it."""

    sku: str
    gtin: str
    name: str
    ordered: int
    shipped: int  # by the warehouse so far
    received: int  # scanned in here so far
    in_transit: int  # shipped and not received yet
    to_ship: int  # still at the warehouse, reserved for the order
    to_receive: int  # still to come on the transfer, shipped or not: what can be received


@dataclass(frozen=True)
class IncomingTransfer:
    """What a ship-for-pickup order is still waiting for from the warehouse."""

    fulfilment_id: int
    order_number: str
    state: FulfilmentState
    source: str  # the warehouse's location code
    source_name: str
    lines: tuple[IncomingLine, ...]

    @property
    def in_transit(self) -> int:
        return sum(line.in_transit for line in self.lines)

    @property
    def to_ship(self) -> int:
        return sum(line.to_ship for line in self.lines)


class PickupReceiving:
    """Receiving ship-for-pickup transfers at this station's store."""

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

    def incoming(self, fulfilment_id: int) -> IncomingTransfer:
        """The order's transfer: per line shipped, received, in transit, still to ship."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            order = view.current(conn, fulfilment_id, view.rules_of(conn), self._clock()).order
        require_ship_for_pickup(order)
        transfer = order.log.get("transfer") or {}
        return IncomingTransfer(
            fulfilment_id=order.id,
            order_number=order.order_number,
            state=order.state,
            source=str(transfer.get("from", "")),
            source_name=str(transfer.get("from_name", "")),
            lines=tuple(
                IncomingLine(
                    sku=line.sku,
                    gtin=line.gtin,
                    name=line.name,
                    ordered=line.ordered,
                    shipped=line.shipped,
                    received=line.received,
                    in_transit=line.in_transit,
                    to_ship=line.to_ship,
                    to_receive=receivable(line),
                )
                for line in order.lines
                if line.inbound
            ),
        )

    def receive(
        self,
        staff: StaffSession,
        fulfilment_id: int,
        scan_or_sku: str,
        quantity: int = 1,
        *,
        typed: bool = False,
    ) -> PickupRecorded:
        """A scanned GTIN or typed SKU receives ``quantity`` units of the order's transfer;
        ``typed``: text the associate typed, which may key the quantity (``3*SKU``).

        Refused before anything is written when the item is not in the order, or when
        fewer units than that are still to come on the transfer (a double scan).
        """
        _check_quantity(quantity)

        def make(conn: sqlite3.Connection, rules: StoreRules, order: PickupOrder) -> PickupPayload:
            require_ship_for_pickup(order)
            scan, units = scan_or_sku, quantity
            if typed:
                scan, units = pickup_scan.read_typed(conn, order, scan_or_sku, units)
                _check_quantity(units)
            sku = pickup_scan.line_of_scan(conn, order, scan, needed=lambda x: x.coming)
            return PickupReceive(rules.code, order.id, lines=(LineQty(sku, units),))

        return record_step(
            db=self._db,
            now=self._clock(),
            staff=staff,
            fulfilment_id=fulfilment_id,
            make=make,
            on_committed=self._on_committed,
        )


def _check_quantity(quantity: int) -> None:
    if isinstance(quantity, bool) or not 1 <= quantity <= MAX_RECEIVED_AT_ONCE:
        raise RuleRefused(
            f"Receive between 1 and {MAX_RECEIVED_AT_ONCE} units at a time.",
            next_step="Check the quantity: a scanned barcode may have landed in it.",
        )
