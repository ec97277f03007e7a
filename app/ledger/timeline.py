"""An order's timeline: where it was routed and every state its fulfilment orders took."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Engine, select

from app.errors import NotFound
from app.ledger.db import reader
from app.ledger.models import FulfilmentEvent, FulfilmentOrder, Location, Order, table_of
from app.ledger.writes import iso

orders = table_of(Order)
fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
locations = table_of(Location)


class TimelineEvent(BaseModel):
    model_config = ConfigDict(frozen=True)
    at: str
    fulfilment_id: int
    location: str
    state: str
    actor: str
    note: str
    kind: str = ""  # the step: order.routed, pickup.pick, pickup.handover, pickup.expire …


class OrderTimeline(BaseModel):
    """An order from purchase to where it stands now, oldest event first."""

    model_config = ConfigDict(frozen=True)
    order_number: str
    channel: str
    method: str
    customer_name: str
    created_at: str
    states: dict[str, str]  # location code -> current state of its fulfilment order
    events: list[TimelineEvent]


def order_timeline(engine: Engine, order_number: str) -> OrderTimeline:
    """The timeline of ``order_number``; ``NotFound`` if the ledger does not hold it."""
    with reader(engine).begin() as conn:
        order = conn.execute(select(orders).where(orders.c.order_number == order_number)).first()
        if order is None:
            raise NotFound(f"There is no order {order_number}.", next_step="Check the number.")
        parts = conn.execute(
            select(fulfilments.c.id, fulfilments.c.state, locations.c.code)
            .join(locations, locations.c.id == fulfilments.c.location_id)
            .where(fulfilments.c.order_id == order.id)
            .order_by(fulfilments.c.id)
        ).all()
        where = {part.id: part.code for part in parts}
        rows = conn.execute(
            select(events)
            .where(events.c.fulfilment_order_id.in_(list(where)))
            .order_by(events.c.ledger_seq, events.c.id)
        ).all()
    return OrderTimeline(
        order_number=order.order_number,
        channel=order.channel,
        method=order.method,
        customer_name=order.customer_name,
        created_at=iso(order.created_at),
        states={part.code: part.state for part in parts},
        events=[
            TimelineEvent(
                at=iso(e.at),
                fulfilment_id=e.fulfilment_order_id,
                location=where[e.fulfilment_order_id],
                state=e.state,
                actor=e.actor,
                note=e.note,
                kind=e.kind,
            )
            for e in rows
        ],
    )
