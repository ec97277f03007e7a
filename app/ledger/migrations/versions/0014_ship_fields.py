"""Ship orders: what delivery needs on the order, and what the bench needs on its part

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 12:00:00

Orders get the delivery address (JSON: name, line1, line2, city, state, pincode, phone),
the order discount and shipping charge, the payment method (prepaid or cod) and the
COD amount; order lines the price actually paid per unit. A ship fulfilment order gets
its copy of the address, its COD share, the carrier and service routing chose, the
promised delivery date, the carrier cut-off it should leave by (server time) and the
routing note. Every new column is nullable or has a constant default, so rows of
pickup orders and of ship orders placed before keep working unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_ORDER_COLUMNS = ("ship_to", "discount_minor", "shipping_minor", "payment", "cod_minor")
_FULFILMENT_COLUMNS = (
    "ship_to", "payment", "cod_minor", "carrier", "carrier_service", "promised_by",
    "ship_by", "route_note",
)  # fmt: skip


def upgrade() -> None:
    op.add_column("orders", sa.Column("ship_to", sa.JSON(), nullable=True))
    for name in ("discount_minor", "shipping_minor"):
        op.add_column(
            "orders", sa.Column(name, sa.BigInteger(), nullable=False, server_default="0")
        )
    op.add_column("orders", sa.Column("payment", sa.String(10), nullable=True))
    op.add_column("orders", sa.Column("cod_minor", sa.BigInteger(), nullable=True))
    op.add_column("order_lines", sa.Column("paid_minor", sa.BigInteger(), nullable=True))

    op.add_column("fulfilment_orders", sa.Column("ship_to", sa.JSON(), nullable=True))
    op.add_column("fulfilment_orders", sa.Column("payment", sa.String(10), nullable=True))
    op.add_column("fulfilment_orders", sa.Column("cod_minor", sa.BigInteger(), nullable=True))
    op.add_column("fulfilment_orders", sa.Column("carrier", sa.String(20), nullable=True))
    op.add_column("fulfilment_orders", sa.Column("carrier_service", sa.String(40), nullable=True))
    op.add_column("fulfilment_orders", sa.Column("promised_by", sa.Date(), nullable=True))
    op.add_column(
        "fulfilment_orders", sa.Column("ship_by", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("fulfilment_orders", sa.Column("route_note", sa.Text(), nullable=True))
    op.create_index("ix_fulfilment_orders_ship_by", "fulfilment_orders", ["ship_by"])


def downgrade() -> None:
    op.drop_index("ix_fulfilment_orders_ship_by", table_name="fulfilment_orders")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop tables others point at.
    for name in reversed(_FULFILMENT_COLUMNS):
        op.drop_column("fulfilment_orders", name)
    op.drop_column("order_lines", "paid_minor")
    for name in reversed(_ORDER_COLUMNS):
        op.drop_column("orders", name)
