"""Order intake: route a web/marketplace order, reserve its stock, open fulfilment orders.

Everything happens in one write transaction: a duplicate order number, an unknown SKU or
a refusal by routing leaves nothing behind.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from app.domain.pickup_codes import (
    PICKUP_CODE_DIGITS,
    hash_pickup_code,
    pickup_code_matches,
    qr_payload,
)
from app.domain.routing import Candidate, RoutePlan, RouteRequest, route_order
from app.domain.stock import Bucket, available_to_promise
from app.errors import NotFound, RuleRefused
from app.ledger.fulfilment_lines import insert_lines
from app.ledger.models import (
    FulfilmentEvent,
    FulfilmentOrder,
    Item,
    Location,
    Order,
    OrderLine,
    Reservation,
    StockBalance,
    table_of,
)
from app.ledger.step_record import emit_fulfilment
from app.ledger.transfers import open_transfer, transfers
from app.ledger.writes import WriteBatch, aware
from app.sync.protocol import FulfilmentOut, OrderAccepted, OrderIntake, Scope

orders = table_of(Order)
order_lines = table_of(OrderLine)
fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
reservations = table_of(Reservation)
items = table_of(Item)
locations = table_of(Location)
balances = table_of(StockBalance)

RESERVATION_DAYS = 7


class DuplicateOrder(RuleRefused):
    """An order number that the ledger already holds."""

    code = "duplicate_order"


def place_order(engine: Engine, intake: OrderIntake) -> OrderAccepted:
    """Route, reserve and record ``intake``; raises ``KnownError`` with nothing created."""
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        accepted = record_order(conn, batch, intake)
        batch.flush()
    return accepted


def record_order(
    conn: Connection, batch: WriteBatch, intake: OrderIntake, *, pickup_code: str | None = None
) -> OrderAccepted:
    """The body of :func:`place_order`, inside the caller's transaction.

    A pickup order gets a pickup code (``pickup_code`` when given, as the seed does;
    else a fresh one); only its salted hash is stored.
    """
    taken = conn.execute(select(orders.c.id).where(orders.c.order_number == intake.order_number))
    if taken.first() is not None:
        raise DuplicateOrder(
            f"Order {intake.order_number} was already received; nothing new was created.",
            next_step="Use a new order number, or look the order up instead.",
        )
    if intake.method == "ship":
        from app.ledger.ship_orders import record_ship_order  # it builds on this module

        return record_ship_order(conn, batch, intake)
    skus = sorted({line.sku for line in intake.lines})
    item_rows = {
        r.sku: r
        for r in conn.execute(
            select(items.c.id, items.c.sku, items.c.gtin, items.c.name, items.c.price_minor).where(
                items.c.sku.in_(skus)
            )
        )
    }
    unknown = [s for s in skus if s not in item_rows]
    if unknown:
        raise NotFound(f"Unknown SKU(s): {', '.join(unknown)}.", next_step="Check the order lines.")
    candidates, loc_ids, cities = _candidates(conn, [item_rows[s].id for s in skus], batch.now)
    latitude, longitude = intake.customer.latitude, intake.customer.longitude
    located = ""
    if (latitude is None or longitude is None) and intake.customer.city.casefold() in cities:
        latitude, longitude = cities[intake.customer.city.casefold()]
        located = f"No coordinates given: the customer is placed in {intake.customer.city}."
    plan = route_order(
        RouteRequest(
            method=intake.method,
            lines=tuple((line.sku, line.quantity) for line in intake.lines),
            pickup_location=intake.pickup_location,
            latitude=latitude,
            longitude=longitude,
            ship_for_pickup=intake.ship_for_pickup,
        ),
        candidates,
    )
    if located:
        plan = RoutePlan(plan.assignments, (*plan.explanation, located))
    now = batch.now
    total = sum(item_rows[line.sku].price_minor * line.quantity for line in intake.lines)
    order_id = conn.execute(
        insert(orders)
        .values(
            order_number=intake.order_number,
            channel=intake.channel,
            method=intake.method,
            pickup_location_id=loc_ids.get(intake.pickup_location or ""),
            customer_name=intake.customer.name,
            customer_phone=intake.customer.phone,
            customer_email=intake.customer.email,
            customer_city=intake.customer.city,
            latitude=intake.customer.latitude,
            longitude=intake.customer.longitude,
            total_minor=total,
            created_at=now,
        )
        .returning(orders.c.id)
    ).scalar_one()
    conn.execute(
        insert(order_lines),
        [
            {
                "order_id": order_id,
                "item_id": item_rows[line.sku].id,
                "sku": line.sku,
                "quantity": line.quantity,
                "price_minor": item_rows[line.sku].price_minor,
            }
            for line in intake.lines
        ],
    )
    code = None
    code_hash = code_salt = ""
    if intake.method == "pickup":
        code = pickup_code or new_pickup_code(conn)
        code_salt = secrets.token_hex(8)
        code_hash = hash_pickup_code(code, code_salt)
    out: list[FulfilmentOut] = []
    for assignment in plan.assignments:
        location_id = loc_ids[assignment.location]
        source = assignment.ship_from  # ship-for-pickup: the warehouse that sends it
        lines = [
            {
                "sku": sku,
                "item_id": item_rows[sku].id,
                "gtin": item_rows[sku].gtin,
                "name": item_rows[sku].name,
                "quantity": quantity,
                "price_minor": item_rows[sku].price_minor,
                **({"inbound": quantity} if source else {}),
            }
            for sku, quantity in assignment.lines
        ]
        row = {
            "order_id": order_id,
            "location_id": location_id,
            "order_number": intake.order_number,
            "channel": intake.channel,
            "method": intake.method,
            "state": "awaiting_transfer" if source else "routed",
            "customer_name": intake.customer.name,
            "customer_phone": intake.customer.phone,
            "lines": lines,
            "created_at": now,
            "updated_at": now,
            "pickup_code_hash": code_hash,
            "pickup_code_salt": code_salt,
        }
        if source:
            names = {c.code: c.name for c in candidates}
            row["pickup_log"] = {"transfer": {"from": source, "from_name": names[source]}}
        fo_id = open_fulfilment(conn, batch, row, " ".join(plan.explanation))
        _reserve(conn, batch, fo_id, loc_ids[source or assignment.location], lines, now)
        transfer_id = None
        if source:
            transfer_id = open_transfer(
                conn,
                batch,
                fulfilment_id=fo_id,
                order_number=intake.order_number,
                from_location_id=loc_ids[source],
                to_location_id=location_id,
                lines=lines,
            )
        out.append(
            FulfilmentOut(
                id=fo_id,
                location=assignment.location,
                state=row["state"],
                lines=lines,
                transfer_id=transfer_id,
            )
        )
    batch.audit(
        actor=f"channel:{intake.channel}",
        approver=None,
        action="order.routed",
        subject={
            "order_number": intake.order_number,
            "method": intake.method,
            "fulfilment_orders": [
                {"id": f.id, "location": f.location}
                | ({"transfer_id": f.transfer_id} if f.transfer_id else {})
                for f in out
            ],
        },
    )
    return OrderAccepted(
        order_number=intake.order_number,
        fulfilment_orders=out,
        explanation=list(plan.explanation),
        pickup_code=code,
        pickup_qr=qr_payload(intake.order_number, code) if code else None,
    )


def open_fulfilment(conn: Connection, batch: WriteBatch, row: dict[str, Any], note: str) -> int:
    """Insert a routed fulfilment order (``row["lines"]``: its line rows), its change row
    and its first event; its id."""
    values = {k: v for k, v in row.items() if k != "lines"}
    fo_id = int(
        conn.execute(insert(fulfilments).values(**values).returning(fulfilments.c.id)).scalar_one()
    )
    insert_lines(conn, fo_id, row["lines"])
    seq = emit_fulfilment(conn, batch, fo_id, row["location_id"])
    conn.execute(
        insert(events).values(
            fulfilment_order_id=fo_id,
            state=row["state"],
            actor="ledger:routing",
            note=note,
            ledger_seq=seq,
            at=batch.now,
            kind="order.routed",
        )
    )
    return fo_id


def new_pickup_code(conn: Connection) -> str:
    """A random pickup code that no open pickup order holds (so a code finds one order)."""
    f = fulfilments.c
    held = conn.execute(
        select(f.pickup_code_hash, f.pickup_code_salt).where(
            f.method == "pickup",
            f.pickup_code_hash != "",
            f.state.not_in(["collected", "cancelled", "rerouted"]),
        )
    ).all()
    while True:
        code = f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"
        if not any(pickup_code_matches(code, salt, digest) for digest, salt in held):
            return code


def _candidates(
    conn: Connection, item_ids: list[int], now: datetime
) -> tuple[list[Candidate], dict[str, int], dict[str, tuple[float, float]]]:
    """Every location with its stock of the items and its capacity left today (local day):
    the fulfilment orders placed there today and the ship-for-pickup transfers it sends
    out today both take one.

    Also the coordinates of each city with a location, for customers given only a city.
    """
    since = now - timedelta(days=2)
    recent = [
        *conn.execute(
            select(fulfilments.c.location_id, fulfilments.c.created_at).where(
                fulfilments.c.created_at >= since
            )
        ),
        *conn.execute(
            select(transfers.c.from_location_id, transfers.c.created_at).where(
                transfers.c.created_at >= since
            )
        ),
    ]
    sku_of = dict(
        conn.execute(select(items.c.id, items.c.sku).where(items.c.id.in_(item_ids))).all()
    )
    stock: dict[int, dict[str, int]] = {}
    for loc_id, item_id, on_hand, reserved, safety, due in conn.execute(
        select(
            balances.c.location_id,
            balances.c.item_id,
            balances.c.on_hand,
            balances.c.reserved,
            balances.c.safety_stock,
            balances.c.count_due,
        ).where(balances.c.item_id.in_(item_ids), balances.c.bucket == Bucket.SELLABLE.value)
    ):
        stock.setdefault(loc_id, {})[sku_of[item_id]] = available_to_promise(
            on_hand, reserved, safety, count_due=bool(due)
        )
    candidates = []
    loc_ids: dict[str, int] = {}
    cities: dict[str, tuple[float, float]] = {}
    for loc in conn.execute(select(locations).order_by(locations.c.id)):
        loc_ids[loc.code] = loc.id
        cities.setdefault(loc.city.casefold(), (loc.latitude, loc.longitude))
        zone = ZoneInfo(loc.timezone)
        day_start = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
        load = sum(1 for loc_id, at in recent if loc_id == loc.id and aware(at) >= day_start)
        candidates.append(
            Candidate(
                code=loc.code,
                name=loc.name,
                latitude=loc.latitude,
                longitude=loc.longitude,
                capabilities=frozenset(loc.capabilities),
                remaining_capacity=loc.daily_capacity - load,
                available=stock.get(loc.id, {}),
                city=loc.city,
                kind=loc.kind,
            )
        )
    return candidates, loc_ids, cities


def _reserve(
    conn: Connection,
    batch: WriteBatch,
    fo_id: int,
    location_id: int,
    lines: list[dict[str, Any]],
    now: datetime,
) -> None:
    expires = now + timedelta(days=RESERVATION_DAYS)
    conn.execute(
        insert(reservations),
        [
            {
                "fulfilment_order_id": fo_id,
                "location_id": location_id,
                "item_id": line["item_id"],
                "quantity": line["quantity"],
                "status": "active",
                "expires_at": expires,
                "created_at": now,
            }
            for line in lines
        ],
    )
    conn.execute(
        update(balances)
        .where(
            balances.c.location_id == location_id,
            balances.c.item_id == bindparam("r_item"),
            balances.c.bucket == Bucket.SELLABLE.value,
        )
        .values(reserved=balances.c.reserved + bindparam("r_qty")),
        [{"r_item": line["item_id"], "r_qty": line["quantity"]} for line in lines],
    )
    rows = conn.execute(
        select(balances).where(
            balances.c.location_id == location_id,
            balances.c.item_id.in_([line["item_id"] for line in lines]),
            balances.c.bucket == Bucket.SELLABLE.value,
        )
    )
    for bal in rows:
        stock = {
            k: bal._mapping[k]
            for k in ("id", "item_id", "bucket", "on_hand", "reserved", "safety_stock")
        }
        stock["count_due"] = int(bool(bal.count_due))
        batch.change(Scope.STOCK, location_id, bal.id, stock)
        available = available_to_promise(
            bal.on_hand, bal.reserved, bal.safety_stock, count_due=bool(bal.count_due)
        )
        batch.change(
            Scope.NETWORK_STOCK,
            location_id,
            bal.id,
            {
                "id": bal.id,
                "location_id": location_id,
                "item_id": bal.item_id,
                "available": available,
            },
        )
