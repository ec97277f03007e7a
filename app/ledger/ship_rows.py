"""Fulfilment orders as ship views: read one (locked), write a ship step's outcome back.

The view is built with the one mapping between rows and the ship view
(:mod:`app.domain.shipping.rows`): the order's lines (``fulfilment_lines``) and parcels
(``parcels``). Writing an outcome is one unit, as for pickup (:mod:`.pickup_rows`): the
fulfilment row and its line counters, the shelf moves and reservation changes through
the :class:`StockBook`, the reservation rows, the change row of the order, a fulfilment
event with the actor for the order's timeline, the exceptions the step opens, an audit
entry. Parcels themselves are written by the poster (:mod:`.ship_steps`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.order_view import ShipOrder, StepOutcome
from app.domain.shipping.rows import line_counters, ship_order_from_row
from app.domain.stock import MovementKind
from app.ledger.fulfilment_lines import lines_of, save_counters
from app.ledger.parcel_rows import parcels_of
from app.ledger.pickup_rows import (
    Step,
    emit_fulfilment,
    events,
    fulfilments,
    locations,
    open_pickup_exception,
    reservations,
)
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
    f = fulfilments.c
    row = conn.execute(
        select(fulfilments, locations.c.code.label("location_code"))
        .join(locations, locations.c.id == f.location_id)
        .where(f.id == fulfilment_id)
        .with_for_update(of=fulfilments)
    ).first()
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
    seq = emit_fulfilment(conn, batch, new.id, held.location_id)
    conn.execute(
        insert(events).values(
            fulfilment_order_id=new.id,
            state=new.state.value,
            actor=step.actor,
            note=outcome.note,
            ledger_seq=seq,
            at=at or batch.now,
            kind=step.kind,
            op_id=step.op_id,
            device_id=step.device_id,
            approver=step.approver,
        )
    )
    for kind in outcome.exceptions:
        open_pickup_exception(
            conn, batch, held.location_id, kind, new.order_number, step.op_id, units
        )
    batch.audit(
        actor=step.actor,
        approver=step.approver,
        action=step.kind,
        subject={
            "op_id": step.op_id,
            "device_id": step.device_id,
            "fulfilment_id": new.id,
            "order_number": new.order_number,
            "location": new.location,
            "state": new.state.value,
            "note": outcome.note,
            "moves": [{"sku": m.sku, "bin": m.bin, "units": m.units} for m in outcome.moves],
            "reserved": [list(r) for r in outcome.reserved],
            "ledger_seq": seq,
        },
    )
    return seq


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
        conn.execute(
            update(reservations)
            .where(
                reservations.c.fulfilment_order_id == new.id,
                reservations.c.item_id == after.item_id,
            )
            .values(quantity=units, status=status)
        )


def closed_centrally(order: ShipOrder, state: FulfilmentState, note: str) -> StepOutcome:
    """The ledger closes a ship order here (cancelled, or rerouted away): nothing more is
    reserved, and whatever is off the shelf is due back (the bench's unpick task)."""
    new = replace(order, state=state)
    changes = (
        (after.sku, new.to_pick(after) - order.to_pick(before))
        for before, after in zip(order.lines, new.lines, strict=True)
    )
    return StepOutcome(new, reserved=tuple((s, n) for s, n in changes if n), note=note)
