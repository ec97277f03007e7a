"""The ledger's own steps on a ship order at one location: a central cancel, and a
reroute away from the location (customer service, HQ).

Either closes the order there: nothing stays reserved, and units already off the shelf
are due back (the bench lists them as an unpick task; its unpick puts them back). A
reroute sends what the customer is owed from there to the best other location, never
back to one that refused or lost the order (:func:`app.ledger.ship_reroute.reroute_lines`).
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.steps import unpick_due
from app.errors import NotFound, RuleRefused
from app.ledger.ship_reroute import reroute_lines
from app.ledger.ship_rows import ShipHeld, closed_centrally, load, save
from app.ledger.step_record import Step, units_in_words
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch

S = FulfilmentState
GONE = frozenset({S.SHIPPED, S.DELIVERED})


def _held(conn: Connection, fo_id: int) -> ShipHeld:
    held = load(conn, fo_id)
    if held is None:
        raise NotFound(f"There is no fulfilment order {fo_id}.")
    if held.order.state in GONE:
        raise RuleRefused(
            f"Order {held.order.order_number} has {held.order.state.value} from "
            f"{held.order.location}; it cannot be changed there now.",
            next_step="Ask the carrier to return the parcel.",
        )
    return held


def _close(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    held: ShipHeld,
    state: FulfilmentState,
    step: Step,
    why: str,
) -> None:
    due = unpick_due(closed_centrally(held.order, state, why).order)
    if due:
        why += f"; to put back on the shelf: {units_in_words(held.order.lines, due)}"
    save(conn, batch, book, held, closed_centrally(held.order, state, why), step)


def cancel_ship(
    conn: Connection, batch: WriteBatch, book: StockBook, fo_id: int, reason: str, actor: str
) -> str:
    """Cancel the ship order's part at one location; "LOCATION: cancelled"."""
    held = _held(conn, fo_id)
    step = Step("order.cancel", actor)
    _close(conn, batch, book, held, S.CANCELLED, step, f"cancelled: {reason}")
    return f"{held.order.location}: {S.CANCELLED.value}"


def reroute_ship(
    conn: Connection, batch: WriteBatch, book: StockBook, fo_id: int, reason: str
) -> list[str]:
    """Move what the customer is owed from this location elsewhere; the new locations."""
    held = _held(conn, fo_id)
    owed = [(line.sku, line.wanted) for line in held.order.lines if line.wanted]
    if held.order.closed_centrally or not owed:
        raise RuleRefused(f"Order {held.order.order_number} has nothing to move from here.")
    step = Step("order.reroute", "ledger:routing")
    _close(conn, batch, book, held, S.REROUTED, step, f"rerouted: {reason}")
    went = reroute_lines(conn, batch, held.order_id, owed, {held.order.location})
    if not went.fulfilment_orders:
        raise RuleRefused(
            f"No other location can ship order {held.order.order_number}.",
            next_step="Leave it where it is, or cancel it with the customer.",
        )
    return [f.location for f in went.fulfilment_orders]
