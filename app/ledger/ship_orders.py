"""Ship order intake: check the delivery terms, route with ship routing, reserve, open
the fulfilment orders that pack it, and keep the decision with its explanation.

Everything happens in the caller's transaction: refused terms (422, the field named),
an unknown SKU or an order no location can ship (409) leave nothing behind. Each ship
fulfilment order carries the address, its share of the COD (by the paid value of its
lines; what rounding leaves over on the first), the carrier and service routing chose,
the promised delivery date, the carrier cut-off it should leave by (``ship_by``, UTC)
and the explanation as its ``route_note``; once every part is open, each carries its
share of the order's discount and shipping charge (:mod:`app.ledger.order_charges`).
The decision is also kept in ``route_decisions`` for ``counterbench ledger route
--explain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select

from app.domain.ship_intake import ShipTerms, check_ship_terms, promise_date, split_cod
from app.domain.ship_offers import IST, ShipRequest
from app.domain.ship_routing import ShipPlan, route_ship
from app.errors import NotFound
from app.ledger.models import FulfilmentOrder, Item, Order, OrderLine, RouteDecision, table_of
from app.ledger.orders import _reserve, open_fulfilment
from app.ledger.ship_network import ShipPlaces, load_ship_places, locate_customer
from app.ledger.step_record import emit_fulfilment
from app.ledger.writes import WriteBatch
from app.sync.protocol import FulfilmentOut, OrderAccepted, OrderIntake

orders = table_of(Order)
order_lines = table_of(OrderLine)
items = table_of(Item)
decisions = table_of(RouteDecision)
fulfilments = table_of(FulfilmentOrder)


@dataclass(frozen=True)
class ShipFacts:
    """What every fulfilment order of a ship order copies from the order."""

    order_id: int
    order_number: str
    channel: str
    customer_name: str
    customer_phone: str
    ship_to: Mapping[str, str]
    payment: str
    cod_minor: int  # of the lines being placed (0 for prepaid)
    promised_by: date
    paid: Mapping[str, int]  # sku -> paid per unit


def terms_of(intake: OrderIntake) -> ShipTerms:
    """The delivery and payment terms of an intake, for :func:`check_ship_terms`."""
    return ShipTerms(
        address=intake.ship_to.model_dump() if intake.ship_to else None,
        lines=[(line.quantity, line.paid_minor) for line in intake.lines],
        discount_minor=intake.discount_minor,
        shipping_minor=intake.shipping_minor,
        payment=intake.payment,
        cod_minor=intake.cod_minor,
    )


def record_ship_order(conn: Connection, batch: WriteBatch, intake: OrderIntake) -> OrderAccepted:
    """Check, route, reserve and record a ship order (the ship side of ``record_order``)."""
    check_ship_terms(terms_of(intake))
    assert intake.ship_to is not None and intake.payment is not None  # checked above
    now = batch.now
    promised = promise_date(now.astimezone(IST).date(), intake.promised_by)
    item_rows = known_items(conn, [line.sku for line in intake.lines])
    places = load_ship_places(conn, [r["id"] for r in item_rows.values()], now)
    ship_to = intake.ship_to.model_dump()
    customer = intake.customer
    lat, lon, located = locate_customer(
        places,
        customer.latitude,
        customer.longitude,
        ship_to["city"] or customer.city,
        ship_to["pincode"],
    )
    lines = tuple((line.sku, line.quantity) for line in intake.lines)
    plan = route_ship(
        ShipRequest(lines, ship_to["pincode"], lat, lon, promised, now), places.network
    )
    notes = [*plan.explanation, *([located] if located else [])]
    order_id = _insert_order(conn, intake, item_rows, lat, lon, now)
    facts = ShipFacts(
        order_id,
        intake.order_number,
        intake.channel,
        customer.name,
        customer.phone,
        ship_to,
        intake.payment,
        intake.cod_minor or 0,
        promised,
        {line.sku: line.paid_minor or 0 for line in intake.lines},
    )
    out = open_ship_parts(conn, batch, facts, plan, places, item_rows, notes)
    keep_decision(conn, batch, order_id, "routed", [f.location for f in out], notes)
    batch.audit(
        actor=f"channel:{intake.channel}",
        approver=None,
        action="order.routed",
        subject={
            "order_number": intake.order_number,
            "method": "ship",
            "fulfilment_orders": [{"id": f.id, "location": f.location} for f in out],
        },
    )
    return OrderAccepted(order_number=intake.order_number, fulfilment_orders=out, explanation=notes)


def known_items(conn: Connection, skus: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The catalog rows of ``skus``; ``NotFound`` naming the unknown ones."""
    wanted = sorted(set(skus))
    cols = (items.c.id, items.c.sku, items.c.gtin, items.c.name, items.c.price_minor)
    found = {
        r.sku: dict(r._mapping) for r in conn.execute(select(*cols).where(items.c.sku.in_(wanted)))
    }
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise NotFound(f"Unknown SKU(s): {', '.join(unknown)}.", next_step="Check the order lines.")
    return found


def open_ship_parts(
    conn: Connection,
    batch: WriteBatch,
    facts: ShipFacts,
    plan: ShipPlan,
    places: ShipPlaces,
    item_rows: Mapping[str, Mapping[str, Any]],
    notes: Sequence[str],
) -> list[FulfilmentOut]:
    """One routed fulfilment order per assignment, its stock reserved there."""
    values = [sum(facts.paid[s] * q for s, q in a.lines) for a in plan.assignments]
    shares = split_cod(values, facts.cod_minor)
    note = "\n".join(notes)
    out = []
    for assignment, cod in zip(plan.assignments, shares, strict=True):
        place = places.places[assignment.location]
        carrier, service = places.carriers[assignment.carrier]
        lines = [
            {
                "sku": sku,
                "item_id": item_rows[sku]["id"],
                "gtin": item_rows[sku]["gtin"],
                "name": item_rows[sku]["name"],
                "quantity": quantity,
                "price_minor": facts.paid[sku],  # what the customer paid per unit: invoiced
            }
            for sku, quantity in assignment.lines
        ]
        row = {
            "order_id": facts.order_id,
            "location_id": place.id,
            "order_number": facts.order_number,
            "channel": facts.channel,
            "method": "ship",
            "state": "routed",
            "customer_name": facts.customer_name,
            "customer_phone": facts.customer_phone,
            "lines": lines,
            "created_at": batch.now,
            "updated_at": batch.now,
            "ship_to": dict(facts.ship_to),
            "payment": facts.payment,
            "cod_minor": cod if facts.payment == "cod" else None,
            "carrier": carrier.code,
            "carrier_service": service,
            "promised_by": facts.promised_by,
            "ship_by": places.ship_by(assignment.location, carrier.code, batch.now),
            "route_note": note,
            "transit_days": (assignment.delivers_on - assignment.ship_on).days,
        }
        fo_id = open_fulfilment(conn, batch, row, note)
        _reserve(conn, batch, fo_id, place.id, lines, batch.now)
        out.append(FulfilmentOut(id=fo_id, location=place.code, state="routed", lines=lines))
    if out:
        resend_shares(conn, batch, facts.order_id, out[-1].id)
    return out


def resend_shares(conn: Connection, batch: WriteBatch, order_id: int, newest: int) -> None:
    """Send the order's other ship parts again when it has a discount or shipping charge:
    a part opened since their rows went out (``newest``, sent last, knows them all) takes
    a share of both, so theirs changed (:mod:`app.ledger.order_charges`)."""
    o, f = orders.c, fulfilments.c
    charged = conn.execute(
        select(o.id).where(o.id == order_id, (o.discount_minor > 0) | (o.shipping_minor > 0))
    ).first()
    if charged is None:
        return
    others = conn.execute(
        select(f.id, f.location_id)
        .where(f.order_id == order_id, f.method == "ship", f.id != newest)
        .order_by(f.id)
    ).all()
    for fo_id, location_id in others:
        emit_fulfilment(conn, batch, int(fo_id), int(location_id))


def keep_decision(
    conn: Connection,
    batch: WriteBatch,
    order_id: int,
    kind: str,
    went_to: Sequence[str],
    notes: Sequence[str],
    exception_id: int | None = None,
) -> None:
    """Store a routing decision with its explanation."""
    conn.execute(
        insert(decisions).values(
            order_id=order_id,
            kind=kind,
            at=batch.now,
            locations=list(went_to),
            explanation=list(notes),
            exception_id=exception_id,
        )
    )


def _insert_order(
    conn: Connection,
    intake: OrderIntake,
    item_rows: Mapping[str, Mapping[str, Any]],
    latitude: float,
    longitude: float,
    now: Any,
) -> int:
    """The order and its lines, with where routing placed the customer."""
    assert intake.ship_to is not None
    total = sum(item_rows[line.sku]["price_minor"] * line.quantity for line in intake.lines)
    order_id = int(
        conn.execute(
            insert(orders)
            .values(
                order_number=intake.order_number,
                channel=intake.channel,
                method="ship",
                customer_name=intake.customer.name,
                customer_phone=intake.customer.phone,
                customer_email=intake.customer.email,
                customer_city=intake.ship_to.city or intake.customer.city,
                latitude=latitude,
                longitude=longitude,
                total_minor=total,
                created_at=now,
                ship_to=intake.ship_to.model_dump(),
                discount_minor=intake.discount_minor,
                shipping_minor=intake.shipping_minor,
                payment=intake.payment,
                cod_minor=intake.cod_minor,
            )
            .returning(orders.c.id)
        ).scalar_one()
    )
    conn.execute(
        insert(order_lines),
        [
            {
                "order_id": order_id,
                "item_id": item_rows[line.sku]["id"],
                "sku": line.sku,
                "quantity": line.quantity,
                "price_minor": item_rows[line.sku]["price_minor"],
                "paid_minor": line.paid_minor,
            }
            for line in intake.lines
        ],
    )
    return order_id
