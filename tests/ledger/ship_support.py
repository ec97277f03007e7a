"""A ledger seeded with the demo retailer (its geography, carriers and boxes) for the ship
routing tests, and items stocked exactly where a test wants them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app.domain.gtin import complete_gtin
from app.ledger.models import FulfilmentOrder, Item, Location, StockBalance, table_of
from app.ledger.seed_ship_orders import ADDRESSES, KORAMANGALA, Where
from tests.support.ledger import RunningLedger, fresh_pg_database

items = table_of(Item)
balances = table_of(StockBalance)
locations = table_of(Location)
fulfilments = table_of(FulfilmentOrder)
PRICE_MINOR = 50_000  # ₹500 list price of the test items


def demo_ledger(
    backend: str, workdir: Path, serve_args: tuple[str, ...] = ()
) -> Iterator[RunningLedger]:
    """A ledger seeded ``--demo`` on SQLite or a fresh PostgreSQL database, serving (with
    ``serve_args``, extra ``ledger serve`` options)."""
    if backend == "sqlite":
        yield from _serving(f"sqlite:///{workdir / 'ledger.sqlite3'}", workdir, serve_args)
        return
    with fresh_pg_database() as url:
        yield from _serving(url, workdir, serve_args)


def _serving(url: str, workdir: Path, serve_args: tuple[str, ...] = ()) -> Iterator[RunningLedger]:
    running = RunningLedger(url, workdir, serve_args=serve_args)
    try:
        running.seed("demo")
        running.start()
        yield running
    finally:
        running.close()


def stock_item(ledger: RunningLedger, sku: str, stock: dict[str, int]) -> str:
    """A new item ``sku`` with ``stock`` sellable units at each location code, nothing
    reserved; nowhere else holds it."""
    with ledger.engine.begin() as conn:
        number = conn.execute(select(items.c.id).order_by(items.c.id.desc())).scalars().first()
        gtin = complete_gtin(f"2{(number or 0) + 500_000:011d}")
        item_id = conn.execute(
            insert(items)
            .values(sku=sku, gtin=gtin, name=f"Test item {sku}", price_minor=PRICE_MINOR,
                    category="Test")
            .returning(items.c.id)
        ).scalar_one()  # fmt: skip
        ids = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
        for code, quantity in stock.items():
            conn.execute(
                insert(balances).values(
                    location_id=ids[code], item_id=item_id, bucket="sellable", on_hand=quantity
                )
            )
    return sku


def ship_order(
    number: str,
    lines: list[tuple[str, int]],
    where: Where = KORAMANGALA,
    *,
    paid_minor: int = PRICE_MINOR,
    payment: str = "prepaid",
    **extra: Any,
) -> dict[str, Any]:
    """A web ship order to a customer at ``where`` (their coordinates and address), each
    unit paid ``paid_minor``; a COD order collects exactly what is owed."""
    city, latitude, longitude = where
    street, state, pincode = ADDRESSES[where]
    owed = sum(paid_minor * q for _, q in lines)
    return {
        "order_number": number,
        "channel": "web",
        "method": "ship",
        "customer": {"name": "Asha Kumar", "city": city, "latitude": latitude,
                     "longitude": longitude, "phone": "+91 98450 12345"},
        "lines": [{"sku": s, "quantity": q, "paid_minor": paid_minor} for s, q in lines],
        "ship_to": {"name": "Asha Kumar", "line1": street, "city": city, "state": state,
                    "pincode": pincode, "phone": "+91 98450 12345"},
        "payment": payment,
        **({"cod_minor": owed} if payment == "cod" else {}),
        **extra,
    }  # fmt: skip


def fulfilments_of(ledger: RunningLedger, number: str) -> list[dict[str, Any]]:
    """The order's fulfilment orders with their location code, oldest first."""
    with ledger.engine.connect() as conn:
        rows = conn.execute(
            select(fulfilments, locations.c.code.label("location"))
            .join(locations, locations.c.id == fulfilments.c.location_id)
            .where(fulfilments.c.order_number == number)
            .order_by(fulfilments.c.id)
        ).mappings()
        return [dict(row) for row in rows]
