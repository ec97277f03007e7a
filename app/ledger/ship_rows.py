"""Fulfilment orders as ship views: read one (locked), write a ship step's outcome back.

The view is built with the one mapping between rows and the ship view
(:mod:`app.domain.shipping.rows`): the order's lines (``fulfilment_lines``) and parcels
(``parcels``). Writing an outcome is one unit: the fulfilment row and its line counters,
the shelf moves and reservation changes through the :class:`StockBook`, the reservation
rows, then the record every step writes, pickup or ship (:mod:`.step_record`). Parcels
themselves are written by the poster (:mod:`.ship_steps`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, update

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.order_view import ShipOrder, StepOutcome
from app.domain.shipping.rows import line_counters, ship_order_from_row
from app.domain.stock import MovementKind
from app.ledger.fulfilment_lines import lines_of, save_counters
from app.ledger.parcel_rows import parcels_of
from app.ledger.step_record import Step, fulfilments, locked_row, record_step, set_reservation
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch


@dataclass(frozen=True)
class ShipHeld:
    """A loaded ship view with the row facts the ledger needs around it."""

    order: ShipOrder
    location_id: int
    method: str
    order_id: int

    def item_id(self, sku: str) -> int:
        return self.order.line(sku).item_id


def load(conn: Connection, fulfilment_id: int) -> ShipHeld | None:
    """The fulfilment order as a ship view, locked for this transaction."""
    row = locked_row(conn, fulfilment_id)
    if row is None:
        return None
    order = ship_order_from_row(
        {
            **row._mapping,
            "lines": lines_of(conn, [row.id])[row.id],
            "parcels": parcels_of(conn, [row.id])[row.id],
        }
    )
    return ShipHeld(order, row.location_id, row.method, row.order_id)


def save(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    held: ShipHeld,
    outcome: StepOutcome,
    step: Step,
    *,
    units: str = "",
    at: datetime | None = None,
) -> int:
    """Write ``outcome`` of a step on ``held``; returns the fulfilment change's ledger_seq.
    ``units``: the units the step's exceptions are about, in words."""
    old, new = held.order, outcome.order
    conn.execute(
        update(fulfilments)
        .where(fulfilments.c.id == new.id)
        .values(state=new.state.value, updated_at=batch.now)
    )
    changed = [
        (n, line_counters(after))
        for n, (before, after) in enumerate(zip(old.lines, new.lines, strict=True), start=1)
        if line_counters(before) != line_counters(after)
    ]
    save_counters(conn, new.id, changed)
    _post_stock(book, held, outcome, step)
    _update_reservations(conn, old, new)
    return record_step(
        conn,
        batch,
        held.location_id,
        outcome,
        step,
        details={
            "moves": [{"sku": m.sku, "bin": m.bin, "units": m.units} for m in outcome.moves],
            "reserved": [list(r) for r in outcome.reserved],
        },
        units=units,
        at=at,
    )


def _post_stock(book: StockBook, held: ShipHeld, outcome: StepOutcome, step: Step) -> None:
    """Shelf moves (off: a pick, back: a release) with each SKU's reservation change on
    its first move; a reservation change without a move on its own."""
    reserved = dict(outcome.reserved)
    for move in outcome.moves:
        kind = MovementKind.PICK if move.units < 0 else MovementKind.RELEASE
        book.post(
            held.item_id(move.sku),
            quantity=move.units,
            kind=kind,
            reserved=reserved.pop(move.sku, 0),
            device_id=step.device_id,
            op_id=step.op_id,
        )
    for sku, change in reserved.items():
        book.post(held.item_id(sku), quantity=0, kind=None, reserved=change)


def _update_reservations(conn: Connection, old: ShipOrder, new: ShipOrder) -> None:
    """Keep each line's reservation row equal to what is still to pick from here."""
    for before, after in zip(old.lines, new.lines, strict=True):
        units = new.to_pick(after)
        if units == old.to_pick(before):
            continue
        taken = after.picked > before.picked
        status = "active" if units else ("consumed" if taken else "released")
        set_reservation(conn, new.id, after.item_id, units, status)


def closed_centrally(order: ShipOrder, state: FulfilmentState, note: str) -> StepOutcome:
    """The ledger closes a ship order here (cancelled, or rerouted away): nothing more is
    reserved, and whatever is off the shelf is due back (the bench's unpick task)."""
    new = replace(order, state=state)
    changes = (
        (after.sku, new.to_pick(after) - order.to_pick(before))
        for before, after in zip(order.lines, new.lines, strict=True)
    )
    return StepOutcome(new, reserved=tuple((s, n) for s, n in changes if n), note=note)
