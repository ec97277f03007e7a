"""Returns taken in at a counter or a bench, and their lines

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 19:00:00

``return.intake`` writes one ``returns`` row (named by the station's uuid, so a return is
recorded once; its refund due, held for a manager when it does not add up) and one
``return_lines`` row per returned line (order line, grade, where the units went).
What is returnable of an order line is read from ``return_lines`` by (order, line).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("return_id", sa.String(32), nullable=False, unique=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id")),
        sa.Column("order_number", sa.String(40)),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("op_id", sa.String(64), nullable=False),
        sa.Column("parcel", sa.String(20)),
        sa.Column("refund_method", sa.String(20), nullable=False),
        sa.Column("shipping_minor", sa.BigInteger(), nullable=False),
        sa.Column("restocking_fee_minor", sa.BigInteger(), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("refund_state", sa.String(12), nullable=False),
        sa.Column("credit_note", sa.String(40)),
        sa.Column("held_reason", sa.Text()),
        sa.Column("customer_phone", sa.String(32)),
        sa.Column("approver", sa.String(40)),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(40), nullable=False),
    )
    op.create_index("ix_returns_order_id", "returns", ["order_id"])
    op.create_index("ix_returns_location_id", "returns", ["location_id"])
    op.create_index("ix_returns_op_id", "returns", ["op_id"])
    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("return_id", sa.Integer(), sa.ForeignKey("returns.id"), nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id")),
        sa.Column("line_no", sa.Integer()),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id")),
        sa.Column("sku", sa.String(40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(10), nullable=False),
        sa.Column("disposition", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("refund_minor", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_return_lines_return_id", "return_lines", ["return_id"])
    op.create_index("ix_return_lines_order_line", "return_lines", ["order_id", "line_no"])


def downgrade() -> None:
    op.drop_table("return_lines")
    op.drop_table("returns")
