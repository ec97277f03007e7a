"""The ledger's own pickup steps: no-show expiry, central cancel, reroute, and locate.

Expiry runs on server time only (``now`` defaults to the ledger's clock; tests and the
admin endpoint may pass another). Each call is one write transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from app.domain import pickup as rules
from app.domain.pickup_codes import parse_qr_payload, pickup_code_matches, valid_pickup_code
from app.domain.routing import RouteRequest, route_order
from app.errors import NotFound, RuleRefused
from app.ledger.db import reader
from app.ledger.models import FulfilmentOrder, Location, Order, table_of
from app.ledger.orders import _candidates, _reserve, open_fulfilment
from app.ledger.pickup_rows import Held, load, save
from app.ledger.ship_holds import cancel_ship, reroute_ship
from app.ledger.step_record import Step
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch, aware, utcnow
from app.sync.protocol import PickupLocated

fulfilments = table_of(FulfilmentOrder)
orders = table_of(Order)
locations = table_of(Location)
CLOSED = ("collected", "cancelled", "rerouted", "short", "rejected")


class _Books:
    def __init__(self, conn: Connection, batch: WriteBatch) -> None:
        self.conn, self.batch = conn, batch
        self.books: dict[int, StockBook] = {}

    def __call__(self, location_id: int) -> StockBook:
        if location_id not in self.books:
            self.books[location_id] = StockBook(self.conn, self.batch, location_id)
        return self.books[location_id]

    def flush(self) -> None:
        for book in self.books.values():
            book.flush()
        self.batch.flush()


def expire_holds(engine: Engine, now: datetime | None = None) -> list[str]:
    """Cancel uncollected pickups whose hold ended by ``now``; their order numbers."""
    now = aware(now) if now else utcnow()
    f = fulfilments.c
    expired: list[str] = []
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        books = _Books(conn, batch)
        ids = conn.execute(
            select(f.id)
            .where(f.method == "pickup", f.pickup_by <= now, f.state.not_in(CLOSED))
            .order_by(f.pickup_by, f.id)
        ).scalars()
        for fo_id in list(ids):
            held = load(conn, fo_id)
            outcome = rules.expire_hold(held.order, now) if held else None
            if held is None or outcome is None:
                continue
            step = Step(kind="pickup.expire", actor="ledger:expiry")
            save(conn, batch, books(held.location_id), held, outcome, step, at=now)
            expired.append(held.order.order_number)
        books.flush()
    return expired


def _held_of(conn: Connection, order_number: str, location_code: str | None) -> list[Held]:
    f = fulfilments.c
    stmt = (
        select(f.id)
        .join(locations, locations.c.id == f.location_id)
        .where(f.order_number == order_number, f.state.not_in(CLOSED))
        .order_by(f.id)
    )
    if location_code:
        stmt = stmt.where(locations.c.code == location_code)
    found = [load(conn, fo_id) for fo_id in conn.execute(stmt).scalars()]
    held = [h for h in found if h is not None]
    if not held:
        raise NotFound(f"Order {order_number} has nothing open to change.")
    return held


def cancel_order(engine: Engine, order_number: str, reason: str, actor: str) -> list[str]:
    """Cancel an order centrally (customer service); the states it left, per store."""
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        books = _Books(conn, batch)
        states = []
        for held in _held_of(conn, order_number, None):
            if held.method == "ship":
                where = books(held.location_id)
                states.append(cancel_ship(conn, batch, where, held.order.id, reason, actor))
                continue
            outcome = rules.cancel(held.order, reason, by="central")
            save(conn, batch, books(held.location_id), held, outcome, Step("order.cancel", actor))
            states.append(f"{held.order.location}: {outcome.order.state.value}")
        books.flush()
    return states


def reroute(engine: Engine, order_number: str, location_code: str, reason: str) -> list[str]:
    """Move an order's unpicked units away from ``location_code``; the new locations."""
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        books = _Books(conn, batch)
        (held,) = _held_of(conn, order_number, location_code)
        if held.method == "ship":
            went = reroute_ship(conn, batch, books(held.location_id), held.order.id, reason)
            books.flush()
            return went
        outcome = rules.reroute_away(held.order, reason)
        step = Step("order.reroute", "ledger:routing")
        save(conn, batch, books(held.location_id), held, outcome, step)
        books.flush()
        moved = [(b.sku, b.to_pick) for b in held.order.lines if b.to_pick]
        order = conn.execute(select(orders).where(orders.c.order_number == order_number)).one()
        row = conn.execute(select(fulfilments).where(fulfilments.c.id == held.order.id)).one()
        item_ids = [line.item_id for line in held.order.lines]
        candidates, loc_ids, _ = _candidates(conn, item_ids, batch.now)
        others = [c for c in candidates if c.code != location_code and "bopis" in c.capabilities]
        if not moved or not others:
            raise RuleRefused(f"Order {order_number} has nothing another store can take over.")
        plan = route_order(
            RouteRequest("ship", tuple(moved), None, order.latitude, order.longitude), others
        )
        by_sku = {line.sku: line for line in held.order.lines}
        went = []
        for assignment in plan.assignments:
            lines = [
                {**{k: v for k, v in by_sku[s].to_row().items() if k in _INTAKE}, "quantity": q}
                for s, q in assignment.lines
            ]
            new_row = {
                k: row._mapping[k]
                for k in (
                    "order_id", "order_number", "channel", "method", "customer_name",
                    "customer_phone", "pickup_code_hash", "pickup_code_salt",
                )
            }  # fmt: skip
            new_row.update(
                location_id=loc_ids[assignment.location],
                state="routed",
                lines=lines,
                created_at=batch.now,
                updated_at=batch.now,
            )
            note = f"Rerouted from {location_code}: {reason}. " + " ".join(plan.explanation)
            fo_id = open_fulfilment(conn, batch, new_row, note)
            _reserve(conn, batch, fo_id, loc_ids[assignment.location], lines, batch.now)
            went.append(assignment.location)
        batch.flush()
    return went


_INTAKE = ("sku", "item_id", "gtin", "name", "quantity", "price_minor")


def locate_pickup(engine: Engine, query: str) -> PickupLocated:
    """Which store holds an open pickup order, by order number, pickup code or QR text."""
    text = query.strip()
    scanned = parse_qr_payload(text)
    number, code = scanned if scanned else (text, text)
    f = fulfilments.c
    base = (
        select(f.id, f.order_number, f.pickup_code_hash, f.pickup_code_salt, locations.c.code,
               locations.c.name)
        .join(locations, locations.c.id == f.location_id)
        .where(f.method == "pickup", f.state.not_in(["rerouted"]))
        .order_by(f.id.desc())
    )  # fmt: skip
    with reader(engine).begin() as conn:
        rows = conn.execute(base.where(f.order_number.in_([number, number.upper()]))).all()
        if not rows and valid_pickup_code(code):
            candidates = conn.execute(base.where(f.state.not_in(CLOSED))).all()
            rows = [
                r
                for r in candidates
                if pickup_code_matches(code, r.pickup_code_salt, r.pickup_code_hash)
            ]
    if not rows:
        raise NotFound(
            "No store holds a pickup order with that number or code.",
            next_step="Check the number with the customer, or look at their order message.",
        )
    return PickupLocated(location_code=rows[0].code, location_name=rows[0].name)
