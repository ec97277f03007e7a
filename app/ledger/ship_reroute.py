"""Rerouting what a store refused of a ship order: never back to a location that refused
this order before, reserved where it goes in the same transaction, the decision kept with
its explanation. What no other location can ship becomes an exception for HQ.

The rejection operation that calls :func:`reroute_lines` (and cancels the refused lines
at the refusing store, releasing their reservation) comes with the bench's operations;
this does the routing side. The refusers are remembered in ``order_refusals``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, RowMapping, func, select

from app.domain.exception_texts import CANNOT_REROUTE, Subject
from app.domain.ship_intake import promise_date, split_cod
from app.domain.ship_offers import IST, ShipRequest
from app.domain.ship_routing import CannotShip, route_ship
from app.errors import NotFound
from app.ledger.db import insert_into
from app.ledger.flags import open_worded_exception
from app.ledger.models import (
    FulfilmentOrder,
    Location,
    Order,
    OrderLine,
    OrderRefusal,
    table_of,
)
from app.ledger.ship_network import load_ship_places, locate_customer
from app.ledger.ship_orders import ShipFacts, keep_decision, known_items, open_ship_parts
from app.ledger.writes import WriteBatch
from app.sync.protocol import FulfilmentOut

orders = table_of(Order)
order_lines = table_of(OrderLine)
fulfilments = table_of(FulfilmentOrder)
locations = table_of(Location)
refusals = table_of(OrderRefusal)


@dataclass(frozen=True)
class Rerouted:
    """Where the refused lines went (none when nowhere can ship them), why, and the HQ
    exception opened when nowhere can."""

    fulfilment_orders: list[FulfilmentOut]
    explanation: list[str]
    exception_id: int | None = None


def reroute_lines(
    conn: Connection,
    batch: WriteBatch,
    order_id: int,
    lines: Sequence[tuple[str, int]],
    refused_by: set[str],
) -> Rerouted:
    """Route ``lines`` (sku, quantity) of ship order ``order_id`` again, away from every
    location that refused it; reserve and open the new fulfilment orders there."""
    order = conn.execute(select(orders).where(orders.c.id == order_id)).mappings().first()
    if order is None or order["method"] != "ship" or not order["ship_to"]:
        raise NotFound(f"There is no ship order {order_id} to reroute.")
    refusers = remember_refusers(conn, batch, order_id, refused_by)
    item_rows = known_items(conn, [sku for sku, _ in lines])
    places = load_ship_places(conn, [row["id"] for row in item_rows.values()], batch.now)
    promised = _promised(conn, order_id, batch)
    pincode = order["ship_to"]["pincode"]
    city = order["ship_to"].get("city") or order["customer_city"]
    lat, lon, _ = locate_customer(places, order["latitude"], order["longitude"], city, pincode)
    request = ShipRequest(
        tuple(lines),
        pincode,
        lat,
        lon,
        promised,
        batch.now,
        refused_by=frozenset(refusers),
    )
    try:
        plan = route_ship(request, places.network)
    except CannotShip as nowhere:
        return _to_hq(conn, batch, order, nowhere, sorted(refused_by) or sorted(refusers))
    paid, value = _paid(conn, order_id)
    facts = ShipFacts(
        order_id,
        order["order_number"],
        order["channel"],
        order["customer_name"],
        order["customer_phone"],
        order["ship_to"],
        order["payment"] or "prepaid",
        _cod_share(order["cod_minor"] or 0, paid, value, lines),
        promised,
        paid,
    )
    notes = [f"Rerouted: refused by {', '.join(sorted(refusers))}.", *plan.explanation]
    out = open_ship_parts(conn, batch, facts, plan, places, item_rows, notes)
    keep_decision(conn, batch, order_id, "rerouted", [f.location for f in out], notes)
    batch.audit(
        actor="ledger:routing",
        approver=None,
        action="order.rerouted",
        subject={
            "order_number": order["order_number"],
            "refused_by": sorted(refusers),
            "fulfilment_orders": [{"id": f.id, "location": f.location} for f in out],
        },
    )
    return Rerouted(out, notes)


def remember_refusers(
    conn: Connection, batch: WriteBatch, order_id: int, codes: Iterable[str]
) -> set[str]:
    """Record the locations ``codes`` as refusers of the order; every refuser's code."""
    wanted = sorted(set(codes))
    found = select(locations.c.code, locations.c.id).where(locations.c.code.in_(wanted))
    ids = {code: id_ for code, id_ in conn.execute(found)}
    unknown = [code for code in wanted if code not in ids]
    if unknown:
        raise NotFound(f"Unknown location(s): {', '.join(unknown)}.")
    for code in wanted:
        conn.execute(
            insert_into(conn, refusals)
            .values(order_id=order_id, location_id=ids[code], at=batch.now)
            .on_conflict_do_nothing()
        )
    return set(
        conn.execute(
            select(locations.c.code)
            .join(refusals, refusals.c.location_id == locations.c.id)
            .where(refusals.c.order_id == order_id)
        ).scalars()
    )


def _promised(conn: Connection, order_id: int, batch: WriteBatch) -> date:
    """The promise the order's fulfilment orders carry, else the standard one."""
    promised = conn.execute(
        select(func.max(fulfilments.c.promised_by)).where(fulfilments.c.order_id == order_id)
    ).scalar_one()
    today = batch.now.astimezone(IST).date()
    return promised if promised is not None else promise_date(today, None)


def _paid(conn: Connection, order_id: int) -> tuple[dict[str, int], int]:
    """The price paid per unit of each SKU of the order, and the order's paid value."""
    rows = conn.execute(
        select(
            order_lines.c.sku,
            order_lines.c.paid_minor,
            order_lines.c.price_minor,
            order_lines.c.quantity,
        ).where(order_lines.c.order_id == order_id)
    ).all()
    paid = {sku: unit if unit is not None else price for sku, unit, price, _ in rows}
    return paid, sum(paid[sku] * quantity for sku, _, _, quantity in rows)


def _cod_share(
    cod_minor: int, paid: dict[str, int], value: int, lines: Sequence[tuple[str, int]]
) -> int:
    """The COD share of the rerouted lines: their part of the order's paid value (the
    order's COD also carries its shipping less discount, shared the same way)."""
    moved = sum(paid.get(sku, 0) * quantity for sku, quantity in lines)
    return split_cod([moved, max(0, value - moved)], cod_minor)[0] if cod_minor else 0


def _to_hq(
    conn: Connection,
    batch: WriteBatch,
    order: RowMapping,
    nowhere: CannotShip,
    refusers: list[str],
) -> Rerouted:
    """Open the HQ exception (at the refusing store, so its lead sees it too)."""
    number = order["order_number"]
    where = conn.execute(select(locations.c.id).where(locations.c.code == refusers[0])).scalar_one()
    exc_id = open_worded_exception(
        conn,
        batch,
        location_id=where,
        kind=CANNOT_REROUTE,
        subject=Subject(order=number, detail=nowhere.message),
        op_id=None,
        order_number=number,
    )
    notes = [
        f"Not rerouted: refused by {', '.join(refusers)}.",
        nowhere.message,
        *nowhere.explanation,
    ]
    keep_decision(conn, batch, order["id"], "rerouted", [], notes, exc_id)
    batch.audit(
        actor="ledger:routing",
        approver=None,
        action="order.reroute_failed",
        subject={"order_number": number, "refused_by": refusers, "exception_id": exc_id},
    )
    return Rerouted([], notes, exc_id)
