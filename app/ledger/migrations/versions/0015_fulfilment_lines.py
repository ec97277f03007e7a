"""Fulfilment lines as rows of their own: one row per line, one column per counter

Each fulfilment order's ``lines`` JSON is copied into ``fulfilment_lines`` (in batches of
orders, by id) and the JSON column is dropped; going down rebuilds it from the rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

BATCH = 2000  # fulfilment orders read per round
TEXTS = ("sku", "gtin", "name", "cancel_reason")
COUNTERS = ("quantity", "picked", "short", "ready", "collected", "cancelled", "restocked")
TRANSFER_COUNTERS = ("inbound", "shipped", "received")  # in the JSON only when inbound

orders = sa.table("fulfilment_orders", sa.column("id", sa.Integer), sa.column("lines", sa.JSON))
lines = sa.table(
    "fulfilment_lines",
    *(
        sa.column(c, sa.Integer)
        for c in ("fulfilment_order_id", "line_no", "item_id", "price_minor")
    ),
    *(sa.column(c, sa.String) for c in TEXTS),
    *(sa.column(c, sa.Integer) for c in (*COUNTERS, *TRANSFER_COUNTERS)),
)


def upgrade() -> None:
    op.create_table(
        "fulfilment_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fulfilment_order_id",
            sa.Integer(),
            sa.ForeignKey("fulfilment_orders.id"),
            nullable=False,
        ),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False, server_default=""),
        sa.Column("name", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("price_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("quantity", sa.Integer(), nullable=False),
        *(_counter(c) for c in (*COUNTERS[1:], *TRANSFER_COUNTERS)),
        sa.Column("cancel_reason", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("fulfilment_order_id", "line_no", name="uq_fulfilment_line_no"),
    )
    op.create_index(
        "ix_fulfilment_lines_fulfilment_order_id", "fulfilment_lines", ["fulfilment_order_id"]
    )
    conn = op.get_bind()
    for batch in _json_batches(conn):
        rows = [_line_row(fo_id, n, line) for fo_id, found in batch for n, line in found]
        if rows:
            conn.execute(sa.insert(lines), rows)
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy: rebuilding fulfilment_orders
    # would drop the old table under foreign_keys=ON, which every row pointing at it fails.
    op.drop_column("fulfilment_orders", "lines")


def downgrade() -> None:
    op.add_column(
        "fulfilment_orders",
        sa.Column("lines", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    conn = op.get_bind()
    after = 0
    while True:
        ids = [
            int(i)
            for i in conn.execute(
                sa.select(orders.c.id).where(orders.c.id > after).order_by(orders.c.id).limit(BATCH)
            ).scalars()
        ]
        if not ids:
            break
        by_order: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        stmt = (
            sa.select(lines)
            .where(lines.c.fulfilment_order_id.in_(ids))
            .order_by(lines.c.fulfilment_order_id, lines.c.line_no)
        )
        for row in conn.execute(stmt):
            by_order[row.fulfilment_order_id].append(_json_line(row._mapping))
        conn.execute(
            sa.update(orders)
            .where(orders.c.id == sa.bindparam("fo"))
            .values(lines=sa.bindparam("l")),
            [{"fo": i, "l": found} for i, found in by_order.items()],
        )
        after = ids[-1]
    if conn.dialect.name != "sqlite":  # SQLite cannot drop a default without a table copy
        op.alter_column("fulfilment_orders", "lines", server_default=None)
    op.drop_index("ix_fulfilment_lines_fulfilment_order_id", table_name="fulfilment_lines")
    op.drop_table("fulfilment_lines")


def _counter(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def _json_batches(
    conn: sa.Connection,
) -> Iterator[list[tuple[int, list[tuple[int, dict[str, Any]]]]]]:
    """Fulfilment orders with their numbered JSON lines, ``BATCH`` orders at a time."""
    after = 0
    while True:
        found = conn.execute(
            sa.select(orders.c.id, orders.c.lines)
            .where(orders.c.id > after)
            .order_by(orders.c.id)
            .limit(BATCH)
        ).all()
        if not found:
            return
        yield [(int(i), list(enumerate(_parsed(raw) or [], start=1))) for i, raw in found]
        after = int(found[-1][0])


def _parsed(raw: Any) -> Any:
    return json.loads(raw) if isinstance(raw, str) else raw


def _line_row(fo_id: int, line_no: int, line: dict[str, Any]) -> dict[str, Any]:
    return {
        "fulfilment_order_id": fo_id,
        "line_no": line_no,
        "item_id": int(line["item_id"]),
        "price_minor": int(line.get("price_minor") or 0),
        **{k: str(line.get(k) or "") for k in TEXTS},
        **{k: int(line.get(k) or 0) for k in (*COUNTERS, *TRANSFER_COUNTERS)},
    }


def _json_line(row: Any) -> dict[str, Any]:
    """A row as the JSON line ``PickupLine.to_row`` wrote (the transfer counters only on
    a line with units inbound)."""
    return {
        "sku": row["sku"],
        "item_id": row["item_id"],
        "gtin": row["gtin"],
        "name": row["name"],
        "quantity": row["quantity"],
        "price_minor": row["price_minor"],
        **{k: row[k] for k in COUNTERS[1:]},
        "cancel_reason": row["cancel_reason"],
        **{k: row[k] for k in TRANSFER_COUNTERS if row["inbound"]},
    }
