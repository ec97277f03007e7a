"""How many units of each line of an order came back, over every return at any location.

Returnable is sold minus this (DESIGN §4 rule 4); the return applier reads it under the
order's row lock, the lookup endpoint to tell a counter what may still come back.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from app.ledger.models import ReturnLine, table_of

return_lines = table_of(ReturnLine)


def returned_by_line(conn: Connection, order_id: int) -> dict[int, int]:
    """Units returned so far per order line number (lines none came back of are absent)."""
    r = return_lines.c
    rows = conn.execute(
        select(r.line_no, func.sum(r.quantity))
        .where(r.order_id == order_id, r.line_no.is_not(None))
        .group_by(r.line_no)
    ).all()
    return {int(line_no): int(total) for line_no, total in rows}
