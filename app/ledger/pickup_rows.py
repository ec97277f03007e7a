"""Fulfilment orders as pickup views: read one (locked), write a step's outcome back.

Writing an outcome is one unit: the fulfilment row, its reservations, the stock
movements and balances (through a :class:`StockBook`), a fulfilment event with the
actor, exceptions, change rows for the fulfilment and stock scopes, an audit entry, and
the customer messages the step causes (:mod:`app.ledger.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from app.domain.exception_texts import PICKED_BEYOND_ORDER
from app.domain.pickup import Outcome, PickupOrder
from app.domain.stock import MovementKind
from app.ledger.fulfilment_lines import lines_of, save_lines
from app.ledger.messages import record_step_messages
from app.ledger.models import OpReceived, table_of
from app.ledger.step_record import (
    Step,
    exceptions,
    fulfilments,
    locations,
    locked_row,
    open_order_exception,
    record_step,
    set_reservation,
)
from app.ledger.step_record import emit_fulfilment as emit_fulfilment  # its older home
from app.ledger.step_record import events as events
from app.ledger.step_record import reservations as reservations
from app.ledger.stockbook import StockBook
from app.ledger.transfer_rows import follow_transfer
from app.ledger.writes import WriteBatch

received = table_of(OpReceived)
open_pickup_exception = open_order_exception  # its older name


@dataclass(frozen=True)
class Held:
    """A loaded pickup view with the row facts the ledger needs around it."""

    order: PickupOrder
    location_id: int
    method: str


def load(conn: Connection, fulfilment_id: int) -> Held | None:
    """The fulfilment order as a pickup view, locked for this transaction."""
    row = locked_row(conn, fulfilment_id)
    if row is None:
        return None
    order = PickupOrder.from_row({**row._mapping, "lines": lines_of(conn, [fulfilment_id])[row.id]})
    return Held(order=order, location_id=row.location_id, method=row.method)


def save(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    held: Held,
    outcome: Outcome,
    step: Step,
    *,
    at: datetime | None = None,
) -> int:
    """Write ``outcome`` of a step on ``held``; returns the fulfilment change's ledger_seq."""
    new = outcome.order
    conn.execute(
        update(fulfilments)
        .where(fulfilments.c.id == new.id)
        .values(
            state=new.state.value,
            bin=new.bin,
            pickup_by=new.pickup_by,
            pickup_log=new.log,
            updated_at=batch.now,
        )
    )
    save_lines(conn, new.id, held.order.lines, new.lines)
    for effect in outcome.effects:
        book.post(
            effect.item_id,
            quantity=effect.on_hand,
            kind=effect.kind,
            reserved=effect.reserved,
            bucket=effect.bucket,
            device_id=step.device_id,
            op_id=step.op_id,
        )
    _update_reservations(conn, held.order, new, outcome)
    follow_transfer(conn, batch, held.order, new, device_id=step.device_id, op_id=step.op_id)
    seq = record_step(
        conn,
        batch,
        held.location_id,
        outcome,
        step,
        details={
            "effects": [
                {"sku": e.sku, "on_hand": e.on_hand, "reserved": e.reserved}
                for e in outcome.effects
            ]
        },
        at=at,
    )
    record_step_messages(
        conn,
        method=held.method,
        before=held.order,
        after=new,
        step_kind=step.kind,
        op_id=step.op_id,
        at=at or batch.now,
    )
    return seq


def _update_reservations(
    conn: Connection, old: PickupOrder, new: PickupOrder, outcome: Outcome
) -> None:
    """Keep each line's reservation row equal to what it holds (``PickupLine.reserved``:
    units still to pick; for ship-for-pickup, units the warehouse has still to ship)."""
    taking = (MovementKind.PICK, MovementKind.HANDOVER, MovementKind.TRANSFER)
    consumed = {e.sku for e in outcome.effects if e.kind in taking}
    for before, after in zip(old.lines, new.lines, strict=True):
        if before.reserved == after.reserved:
            continue
        status = (
            "active" if after.reserved else ("consumed" if after.sku in consumed else "released")
        )
        set_reservation(conn, new.id, after.item_id, after.reserved, status)


def picked_beyond_flags(conn: Connection, device_id: str, order_number: str) -> list[int]:
    """Open "picked beyond the order" exceptions of ``order_number`` that picks of
    ``device_id`` pushed earlier opened."""
    e, o = exceptions.c, received.c
    return [
        int(i)
        for i in conn.execute(
            select(e.id)
            .join(received, o.op_id == e.op_id)
            .where(
                e.kind == PICKED_BEYOND_ORDER,
                e.status == "open",
                e.order_number == order_number,
                o.device_id == device_id,
            )
        ).scalars()
    ]


def location_rules(conn: Connection, location_id: int) -> tuple[int, list[str]]:
    """A store's pickup hold days and hold-shelf bins."""
    row = conn.execute(
        select(locations.c.pickup_hold_days, locations.c.bins).where(locations.c.id == location_id)
    ).one()
    return int(row[0]), [str(b) for b in (row[1] or [])]
