"""How many units of each line of an order came back, over every return at any location,
and a return's lines as the stations of its store see them (the returns scope).

Returnable is sold minus this (DESIGN §4 rule 4); the return applier reads it under the
order's row lock, the lookup endpoint to tell a counter what may still come back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from app.ledger.models import Location, Return, ReturnLine, table_of
from app.ledger.scopes import row_data, scope_rows
from app.ledger.writes import WriteBatch, aware
from app.sync.protocol import Scope

return_lines = table_of(ReturnLine)
returns = table_of(Return)
locations = table_of(Location)


def returned_by_line(conn: Connection, order_id: int) -> dict[int, int]:
    """Units returned so far per order line number (lines none came back of are absent)."""
    r = return_lines.c
    rows = conn.execute(
        select(r.line_no, func.sum(r.quantity))
        .where(r.order_id == order_id, r.line_no.is_not(None))
        .group_by(r.line_no)
    ).all()
    return {int(line_no): int(total) for line_no, total in rows}


@dataclass(frozen=True)
class EarlierReturn:
    """Units of an order line that came back: how many, where, when."""

    quantity: int
    location: str
    recorded_at: datetime


def earlier_returns(
    conn: Connection, order_ids: Sequence[int]
) -> dict[tuple[int, int], list[EarlierReturn]]:
    """Every return of each line of ``order_ids``, oldest first, by (order id, line no)."""
    r, h, loc = return_lines.c, returns.c, locations.c
    rows = conn.execute(
        select(r.order_id, r.line_no, r.quantity, loc.code, h.recorded_at)
        .join(returns, h.id == r.return_id)
        .join(locations, loc.id == h.location_id)
        .where(r.order_id.in_(order_ids), r.line_no.is_not(None))
        .order_by(h.recorded_at, r.id)
    ).all()
    found: dict[tuple[int, int], list[EarlierReturn]] = {}
    for order_id, line_no, quantity, code, at in rows:
        back = EarlierReturn(int(quantity), str(code), aware(at))
        found.setdefault((int(order_id), int(line_no)), []).append(back)
    return found


def shipping_refunded(conn: Connection, order_ids: Sequence[int]) -> set[int]:
    """The orders of ``order_ids`` an earlier return already gave the shipping back."""
    h = returns.c
    rows = conn.execute(
        select(h.order_id).where(h.order_id.in_(order_ids), h.shipping_minor > 0).distinct()
    )
    return {int(order_id) for (order_id,) in rows}


def publish_return(conn: Connection, batch: WriteBatch, return_row_id: int) -> None:
    """A returns change row for every line of the return (its refund state changed, or it
    is new), for the stations of the location that took it in."""
    stmt = scope_rows(Scope.RETURNS, None).add_columns(returns.c.location_id)
    for row in conn.execute(stmt.where(returns.c.id == return_row_id)).all():
        *line, location_id = row
        data = row_data(line, Scope.RETURNS)
        batch.change(Scope.RETURNS, int(location_id), int(data["id"]), data)
