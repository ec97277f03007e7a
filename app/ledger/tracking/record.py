"""Record one carrier event: kept once in ``shipment_events`` (the same event pushed and
pulled, or pushed twice, is applied once), matched to our parcel by SSCC or tracking
number, and then the parcel's state and delivery date, the order's state (a packed order
becomes shipped, then delivered with its last parcel), a line on the order's timeline (a
fulfilment event the stations get with the order's change row) and, for a failed
delivery or a return to origin, an exception for the shipping location.

An event about a parcel the ledger does not know is kept (``parcel_id`` NULL) and logged,
and answered as taken, so the carrier does not send it again forever.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, and_, insert, or_, select, update

from app.domain.shipping.tracking import (
    DELIVERED,
    TrackingNews,
    checked_kind,
    order_state_after,
)
from app.ledger.flags import open_exception
from app.ledger.models import (
    Carrier,
    FulfilmentEvent,
    FulfilmentOrder,
    Parcel,
    ShipmentEvent,
    table_of,
)
from app.ledger.step_record import emit_fulfilment, locked_row
from app.ledger.writes import WriteBatch, aware

log = logging.getLogger("counterbench.tracking")

shipment_events = table_of(ShipmentEvent)
parcels = table_of(Parcel)
carriers = table_of(Carrier)
events = table_of(FulfilmentEvent)
fulfilments = table_of(FulfilmentOrder)


class Taken(StrEnum):
    """What became of an event."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # seen before: nothing done again
    UNKNOWN_PARCEL = "unknown_parcel"  # kept and logged for a person


@dataclass(frozen=True)
class CarrierEvent:
    """One event as a carrier tells it; ``seq``: its place in the carrier's feed, if any."""

    sscc: str
    tracking: str
    kind: str
    at: datetime
    seq: int | None = None
    place: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        checked_kind(self.kind)
        object.__setattr__(self, "at", aware(self.at))


def record_event(engine: Engine, carrier: str, event: CarrierEvent, *, via: str) -> Taken:
    """Record ``event`` of ``carrier`` (its code) in one transaction (see the module)."""
    with engine.begin() as conn:
        batch = WriteBatch(conn)  # every writer waits here, so two copies never both land
        if _seen(conn, carrier, event):
            return Taken.DUPLICATE
        parcel = _parcel_of(conn, carrier, event)
        conn.execute(
            insert(shipment_events).values(
                carrier=carrier, seq=event.seq, sscc=event.sscc, tracking=event.tracking,
                kind=event.kind, at=event.at, place=event.place[:80], note=event.note,
                parcel_id=parcel.id if parcel else None, via=via, received_at=batch.now,
            )
        )  # fmt: skip
        if parcel is None:
            log.warning(
                "%s event %s for a parcel we do not know (SSCC %s, tracking %s): kept",
                carrier, event.kind, event.sscc, event.tracking,
            )  # fmt: skip
            batch.flush()
            return Taken.UNKNOWN_PARCEL
        _apply(conn, batch, carrier, parcel, event)
        batch.flush()
    return Taken.APPLIED


def _seen(conn: Connection, carrier: str, event: CarrierEvent) -> bool:
    e = shipment_events.c
    same = and_(e.sscc == event.sscc, e.kind == event.kind, e.at == event.at)
    if event.seq is not None:
        same = or_(same, e.seq == event.seq)
    return conn.execute(select(e.id).where(e.carrier == carrier, same)).first() is not None


def _parcel_of(conn: Connection, carrier: str, event: CarrierEvent) -> Any:
    """Our parcel the event is about: its SSCC (or its tracking number), this carrier's,
    a live one before a voided one."""
    p = parcels.c
    return conn.execute(
        select(p.id, p.fulfilment_order_id, p.sscc)
        .where(
            p.carrier == carrier,
            or_(p.sscc == event.sscc, and_(p.tracking == event.tracking, p.tracking != "")),
        )
        .order_by(p.void, p.id.desc())
    ).first()


def _apply(
    conn: Connection, batch: WriteBatch, carrier: str, parcel: Any, event: CarrierEvent
) -> None:
    order = locked_row(conn, parcel.fulfilment_order_id)
    assert order is not None  # a parcel's order is never deleted
    _set_parcel_state(conn, parcel.id)
    state = _move_order(conn, batch, order.id, order.state)
    news = TrackingNews(
        order_number=order.order_number,
        location=order.location_code,
        sscc=parcel.sscc,
        carrier=_carrier_name(conn, carrier),
        kind=event.kind,
        day=event.at.date().isoformat(),
        place=event.place,
        note=event.note,
    )
    seq = emit_fulfilment(conn, batch, order.id, order.location_id)
    conn.execute(
        insert(events).values(
            fulfilment_order_id=order.id, state=state, actor=f"carrier:{carrier}",
            note=news.timeline_note(), ledger_seq=seq, at=event.at,
            kind=f"ship.{event.kind}",
        )
    )  # fmt: skip
    must = news.store_must()
    if must is not None:
        kind, message, next_step = must
        open_exception(
            conn, batch, location_id=order.location_id, kind=kind, message=message,
            next_step=next_step, op_id=None, order_number=order.order_number,
        )  # fmt: skip
    batch.audit(
        actor=f"carrier:{carrier}",
        approver=None,
        action=f"ship.{event.kind}",
        subject={"order_number": order.order_number, "sscc": parcel.sscc,
                 "tracking": event.tracking, "at": event.at.isoformat(), "ledger_seq": seq},
    )  # fmt: skip


def _set_parcel_state(conn: Connection, parcel_id: int) -> None:
    """The parcel's state is its latest event by the carrier's time (events may come out
    of order: a pull after a late push); delivered_at is when it was delivered."""
    e = shipment_events.c
    latest = conn.execute(
        select(e.kind).where(e.parcel_id == parcel_id).order_by(e.at.desc(), e.id.desc()).limit(1)
    ).scalar_one()
    delivered = conn.execute(
        select(e.at)
        .where(e.parcel_id == parcel_id, e.kind == DELIVERED)
        .order_by(e.at.desc())
        .limit(1)
    ).scalar()
    conn.execute(
        update(parcels)
        .where(parcels.c.id == parcel_id)
        .values(state=latest, delivered_at=delivered)
    )


def _move_order(conn: Connection, batch: WriteBatch, fo_id: int, state: str) -> str:
    """The order shipped or delivered as its live parcels now are; its state after."""
    p = parcels.c
    parcel_states = conn.execute(
        select(p.state).where(p.fulfilment_order_id == fo_id, p.void.is_(False))
    ).scalars()
    after = order_state_after(state, [s or "" for s in parcel_states])
    if after != state:
        conn.execute(
            update(fulfilments)
            .where(fulfilments.c.id == fo_id)
            .values(state=after, updated_at=batch.now)
        )
    return after


def _carrier_name(conn: Connection, code: str) -> str:
    name = conn.execute(select(carriers.c.name).where(carriers.c.code == code)).scalar()
    return str(name or code)
