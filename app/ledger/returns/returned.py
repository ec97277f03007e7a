"""How many units of each line of an order came back, over every return at any location,
and a return's lines as the stations of its store see them (the returns scope).

Returnable is sold minus this (DESIGN §4 rule 4); the return applier reads it under the
order's row lock, the lookup endpoint to tell a counter what may still come back.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from app.ledger.models import Return, ReturnLine, table_of
from app.ledger.scopes import row_data, scope_rows
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

return_lines = table_of(ReturnLine)
returns = table_of(Return)


def returned_by_line(conn: Connection, order_id: int) -> dict[int, int]:
    """Units returned so far per order line number (lines none came back of are absent)."""
    r = return_lines.c
    rows = conn.execute(
        select(r.line_no, func.sum(r.quantity))
        .where(r.order_id == order_id, r.line_no.is_not(None))
        .group_by(r.line_no)
    ).all()
    return {int(line_no): int(total) for line_no, total in rows}


def publish_return(conn: Connection, batch: WriteBatch, return_row_id: int) -> None:
    """A returns change row for every line of the return (its refund state changed, or it
    is new), for the stations of the location that took it in."""
    stmt = scope_rows(Scope.RETURNS, None).add_columns(returns.c.location_id)
    for row in conn.execute(stmt.where(returns.c.id == return_row_id)).all():
        *line, location_id = row
        data = row_data(line, Scope.RETURNS)
        batch.change(Scope.RETURNS, int(location_id), int(data["id"]), data)
