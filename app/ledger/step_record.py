"""What every fulfilment step writes, pickup or ship: the order row read locked, the
reservation rows kept equal to what a line holds, and the record of the step (the
order's change row, a fulfilment event with the actor for its timeline, the exceptions
it opens, an audit entry).

Each kind of order writes its own counters and stock around this record
(:mod:`.pickup_rows`, :mod:`.ship_rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, Row, insert, select, update

from app.domain.exception_texts import Subject, item_in_words
from app.domain.fulfilment import FulfilmentState
from app.ledger.flags import open_worded_exception
from app.ledger.fulfilment_lines import with_lines
from app.ledger.models import (
    FulfilmentEvent,
    FulfilmentOrder,
    LedgerException,
    Location,
    Reservation,
    table_of,
)
from app.ledger.order_charges import with_charges
from app.ledger.parcel_rows import with_parcels
from app.ledger.returns.sold_rows import order_of_fulfilment, publish_sold
from app.ledger.scopes import (
    DISCOUNT_AT,
    LEFT_HERE,
    LINES_AT,
    PARCELS_AT,
    SHIPPING_AT,
    row_data,
    scope_rows,
)
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
reservations = table_of(Reservation)
locations = table_of(Location)
exceptions = table_of(LedgerException)


@dataclass(frozen=True)
class Step:
    """Who did a step and on which operation (None fields for the ledger's own steps)."""

    kind: str  # pickup.pick, ship.pack, order.cancel …
    actor: str
    op_id: str | None = None
    device_id: str | None = None
    approver: str | None = None


class StepOrder(Protocol):
    """What the record of a step names of the order it changed (a pickup or ship view)."""

    @property
    def id(self) -> int: ...
    @property
    def order_number(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def state(self) -> FulfilmentState: ...


class StepResult(Protocol):
    """A step's outcome as its record names it (a pickup or ship outcome)."""

    @property
    def order(self) -> StepOrder: ...
    @property
    def exceptions(self) -> tuple[str, ...]: ...  # kinds to open
    @property
    def note(self) -> str: ...  # for the timeline


class NamedLine(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def name(self) -> str: ...


def locked_row(conn: Connection, fulfilment_id: int) -> Row[Any] | None:
    """The fulfilment order's row with its ``location_code``, locked for this transaction."""
    f = fulfilments.c
    return conn.execute(
        select(fulfilments, locations.c.code.label("location_code"))
        .join(locations, locations.c.id == f.location_id)
        .where(f.id == fulfilment_id)
        .with_for_update(of=fulfilments)
    ).first()


def emit_fulfilment(conn: Connection, batch: WriteBatch, fo_id: int, location_id: int) -> int:
    """A fulfilment change row (with its lines and parcels) for ``fo_id``."""
    stmt = scope_rows(Scope.FULFILMENT, None, extended=True).where(fulfilments.c.id == fo_id)
    (row,) = with_charges(
        conn,
        with_parcels(conn, with_lines(conn, [conn.execute(stmt).one()], LINES_AT), PARCELS_AT),
        DISCOUNT_AT,
        SHIPPING_AT,
    )
    data = row_data(row, Scope.FULFILMENT)
    seq = batch.change(Scope.FULFILMENT, location_id, fo_id, data)
    if data["state"] in LEFT_HERE:  # collected, shipped, delivered: kept for returns there
        publish_sold(conn, batch, [order_of_fulfilment(conn, fo_id)])
    return seq


def set_reservation(
    conn: Connection, fulfilment_id: int, item_id: int, quantity: int, status: str
) -> None:
    """The reservation row of one line of the order: ``quantity`` units, ``status``."""
    r = reservations.c
    conn.execute(
        update(reservations)
        .where(r.fulfilment_order_id == fulfilment_id, r.item_id == item_id)
        .values(quantity=quantity, status=status)
    )


def record_step(
    conn: Connection,
    batch: WriteBatch,
    location_id: int,
    outcome: StepResult,
    step: Step,
    *,
    details: Mapping[str, Any],
    units: str = "",
    at: datetime | None = None,
) -> int:
    """Record ``step`` and its ``outcome``: the order's change row, timeline event, the
    exceptions it opens (about ``units``, in words) and the audit entry (with ``details``
    of what it moved); returns the change's ledger_seq."""
    order, note = outcome.order, outcome.note
    seq = emit_fulfilment(conn, batch, order.id, location_id)
    conn.execute(
        insert(events).values(
            fulfilment_order_id=order.id,
            state=order.state.value,
            actor=step.actor,
            note=note,
            ledger_seq=seq,
            at=at or batch.now,
            kind=step.kind,
            op_id=step.op_id,
            device_id=step.device_id,
            approver=step.approver,
        )
    )
    for kind in outcome.exceptions:
        open_order_exception(conn, batch, location_id, kind, order.order_number, step.op_id, units)
    batch.audit(
        actor=step.actor,
        approver=step.approver,
        action=step.kind,
        subject={
            "op_id": step.op_id,
            "device_id": step.device_id,
            "fulfilment_id": order.id,
            "order_number": order.order_number,
            "location": order.location,
            "state": order.state.value,
            "note": note,
            **details,
            "ledger_seq": seq,
        },
    )
    return seq


def open_order_exception(
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
    """An exception of an order for the location's managers (``units``: which, in words;
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


def units_in_words(lines: Iterable[NamedLine], counts: Mapping[str, int]) -> str:
    """Units by SKU as an associate finds them: "2 × Basmati rice 5 kg (SKU-1)"."""
    named = {line.sku: line.name for line in lines}
    return ", ".join(f"{n} × {item_in_words(named.get(s, ''), s)}" for s, n in counts.items())
