"""Reading a ship order's routing decisions back: where it went each time and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from app.errors import NotFound
from app.ledger.models import Order, RouteDecision, table_of
from app.ledger.writes import aware

orders = table_of(Order)
decisions = table_of(RouteDecision)


@dataclass(frozen=True)
class Decision:
    kind: str  # routed | rerouted
    at: datetime
    locations: tuple[str, ...]  # where it went; none when nowhere could ship it
    explanation: tuple[str, ...]  # the winner, the runner-up and why not, the passed over
    exception_id: int | None


def decisions_of(engine: Engine, order_number: str) -> list[Decision]:
    """Every routing decision of ``order_number``, oldest first; ``NotFound`` for an
    order the ledger does not hold."""
    with engine.connect() as conn:
        order_id = conn.execute(
            select(orders.c.id).where(orders.c.order_number == order_number)
        ).scalar_one_or_none()
        if order_id is None:
            raise NotFound(
                f"There is no order {order_number} in the ledger.",
                next_step="Check the order number (as the web shop sent it).",
            )
        rows = conn.execute(
            select(decisions).where(decisions.c.order_id == order_id).order_by(decisions.c.id)
        ).mappings()
        return [
            Decision(
                row["kind"],
                aware(row["at"]),
                tuple(row["locations"]),
                tuple(row["explanation"]),
                row["exception_id"],
            )
            for row in rows
        ]
