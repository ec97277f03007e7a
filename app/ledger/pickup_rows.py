"""Fulfilment orders as pickup views: read one (locked), write a step's outcome back.

Writing an outcome is one unit: the fulfilment row, its reservations, the stock
movements and balances (through a :class:`StockBook`), a fulfilment event with the
actor, exceptions, change rows for the fulfilment and stock scopes, an audit entry, and
the customer messages the step causes (:mod:`app.ledger.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from app.domain.exception_texts import PICKED_BEYOND_ORDER, Subject
from app.domain.pickup import Outcome, PickupOrder
from app.domain.stock import MovementKind
from app.ledger.flags import open_worded_exception
from app.ledger.fulfilment_lines import lines_of, save_lines, with_lines
from app.ledger.messages import record_step_messages
from app.ledger.models import (
    FulfilmentEvent,
    FulfilmentOrder,
    LedgerException,
    Location,
    OpReceived,
    Reservation,
    table_of,
)
from app.ledger.parcel_rows import with_parcels
from app.ledger.scopes import LINES_AT, PARCELS_AT, row_data, scope_rows
from app.ledger.stockbook import StockBook
from app.ledger.transfer_rows import follow_transfer
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
reservations = table_of(Reservation)
locations = table_of(Location)
exceptions = table_of(LedgerException)
received = table_of(OpReceived)


@dataclass(frozen=True)
class Held:
    """A loaded pickup view with the row facts the ledger needs around it."""

    order: PickupOrder
    location_id: int
    method: str


@dataclass(frozen=True)
class Step:
    """Who did a step and on which operation (None fields for the ledger's own steps)."""

    kind: str  # pickup.pick, pickup.expire, order.cancel …
    actor: str
    op_id: str | None = None
    device_id: str | None = None
    approver: str | None = None


def load(conn: Connection, fulfilment_id: int) -> Held | None:
    """The fulfilment order as a pickup view, locked for this transaction."""
    f = fulfilments.c
    row = conn.execute(
        select(fulfilments, locations.c.code.label("location_code"))
        .join(locations, locations.c.id == f.location_id)
        .where(f.id == fulfilment_id)
        .with_for_update(of=fulfilments)
    ).first()
    if row is None:
        return None
    order = PickupOrder.from_row({**row._mapping, "lines": lines_of(conn, [fulfilment_id])[row.id]})
    return Held(order=order, location_id=row.location_id, method=row.method)


def emit_fulfilment(conn: Connection, batch: WriteBatch, fo_id: int, location_id: int) -> int:
    """A fulfilment change row (with its lines and parcels) for ``fo_id``."""
    stmt = scope_rows(Scope.FULFILMENT, None, extended=True).where(fulfilments.c.id == fo_id)
    (row,) = with_parcels(conn, with_lines(conn, [conn.execute(stmt).one()], LINES_AT), PARCELS_AT)
    data = row_data(row, Scope.FULFILMENT)
    return batch.change(Scope.FULFILMENT, location_id, fo_id, data)


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
        open_pickup_exception(conn, batch, held.location_id, kind, new.order_number, step.op_id)
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
            "effects": [
                {"sku": e.sku, "on_hand": e.on_hand, "reserved": e.reserved}
                for e in outcome.effects
            ],
            "ledger_seq": seq,
        },
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
        conn.execute(
            update(reservations)
            .where(
                reservations.c.fulfilment_order_id == new.id,
                reservations.c.item_id == after.item_id,
            )
            .values(quantity=after.reserved, status=status)
        )


def open_pickup_exception(
    conn: Connection,
    batch: WriteBatch,
    location_id: int,
    kind: str,
    order_number: str,
    op_id: str | None,
    units: str = "",
    *,
    sku: str | None = None,
    item: str = "",
) -> int:
    """An exception of a pickup for the store's managers (``units``: which, in words;
    ``sku`` and ``item``: the one item it is about, if one); returns its id."""
    return open_worded_exception(
        conn,
        batch,
        location_id=location_id,
        kind=kind,
        subject=Subject(order=order_number, units=units, item=item),
        op_id=op_id,
        order_number=order_number,
        sku=sku,
    )


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
