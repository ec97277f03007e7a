"""BOPIS pickup: hold-shelf bins, pickup fields on fulfilment orders, step events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(sa.Column("bins", sa.JSON(), nullable=False, server_default="[]"))
    with op.batch_alter_table("fulfilment_orders") as batch:
        batch.add_column(sa.Column("bin", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("pickup_by", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("pickup_code_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("pickup_code_salt", sa.String(length=32), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("pickup_log", sa.JSON(), nullable=True))
        batch.create_index("ix_fulfilment_orders_pickup_by", ["pickup_by"])
    with op.batch_alter_table("fulfilment_events") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=30), nullable=False, server_default=""))
        batch.add_column(sa.Column("op_id", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("device_id", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("approver", sa.String(length=40), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not batch copies: rebuilding a table drops the old
    # one under foreign_keys=ON, which fails as soon as any row points at it.
    for name in ("approver", "device_id", "op_id", "kind"):
        op.drop_column("fulfilment_events", name)
    op.drop_index("ix_fulfilment_orders_pickup_by", table_name="fulfilment_orders")
    for name in ("pickup_log", "pickup_code_salt", "pickup_code_hash", "pickup_by", "bin"):
        op.drop_column("fulfilment_orders", name)
    op.drop_column("locations", "bins")
