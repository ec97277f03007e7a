"""The sold-orders scope: each order a location sold or sent out in the last 90 days, as
the returns lookup answers it, so a return there finds it offline.

A row is the order's search keys (phone and e-mail as the ledger keeps them, never the
customer's phone or e-mail) beside its lookup view (:func:`lookup.order_views`, customer
masked). It is published again whenever what a return reads of it changes: the till sale
recorded, a pickup collected, a parcel shipped or delivered, a return taken in. Orders
sold before the window (:func:`scopes.sold_since`) are neither published nor snapshotted:
the station forgets them by the same day (app.sync.sold_here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, select

from app.ledger.models import FulfilmentOrder, Order, TillReceipt, table_of
from app.ledger.returns.lookup import order_views
from app.ledger.scopes import LEFT_HERE, row_data, scope_rows
from app.ledger.writes import WriteBatch
from app.sync.protocol import SCOPE_COLUMNS, Scope, sold_since

VIEW_AT = SCOPE_COLUMNS[Scope.SOLD_ORDERS].index("view")
orders = table_of(Order)
fulfilments = table_of(FulfilmentOrder)
receipts = table_of(TillReceipt)


def with_views(conn: Connection, rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Snapshot or change rows of the scope with their ``view`` filled in (scope_rows
    leaves it NULL), as JSON-ready dictionaries."""
    views = order_views(conn, [int(row[0]) for row in rows])
    return [
        (*row[:VIEW_AT], view.model_dump(mode="json"), *row[VIEW_AT + 1 :])
        for row, view in zip(rows, views, strict=True)
    ]


def publish_sold(conn: Connection, batch: WriteBatch, order_ids: Iterable[int]) -> None:
    """A sold-orders change row of each order, for every location it was sold at or left
    from; none for an order sold before the window or not (yet) gone from anywhere."""
    ids = sorted(set(order_ids))
    if not ids:
        return
    rows = conn.execute(
        scope_rows(Scope.SOLD_ORDERS, None)
        .where(orders.c.id.in_(ids), orders.c.created_at >= sold_since(batch.now))
        .order_by(orders.c.id)
    ).all()
    if not rows:
        return
    places = _places(conn, [int(row[0]) for row in rows])
    for row in with_views(conn, rows):
        data = row_data(row, Scope.SOLD_ORDERS)
        for location_id in places.get(int(data["id"]), ()):
            batch.change(Scope.SOLD_ORDERS, location_id, int(data["id"]), data)


def _places(conn: Connection, ids: list[int]) -> dict[int, set[int]]:
    """Order -> the locations whose stations keep it: the till's store, and every
    location its units left from."""
    f, r = fulfilments.c, receipts.c
    found: dict[int, set[int]] = {}
    tills = select(r.order_id, r.location_id).where(r.order_id.in_(ids))
    left = select(f.order_id, f.location_id).where(f.order_id.in_(ids), f.state.in_(LEFT_HERE))
    for order_id, location_id in [*conn.execute(tills), *conn.execute(left)]:
        found.setdefault(int(order_id), set()).add(int(location_id))
    return found


def order_of_fulfilment(conn: Connection, fo_id: int) -> int:
    """The order a fulfilment order is part of."""
    return int(
        conn.execute(select(fulfilments.c.order_id).where(fulfilments.c.id == fo_id)).scalar_one()
    )
