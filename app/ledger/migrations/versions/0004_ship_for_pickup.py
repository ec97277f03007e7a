"""Ship-for-pickup: transfers from a warehouse to a store for one pickup order

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 11:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fulfilment_order_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=False),
        sa.Column("to_location_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_by", sa.String(length=40), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["fulfilment_order_id"], ["fulfilment_orders.id"]),
        sa.ForeignKeyConstraint(["from_location_id"], ["locations.id"]),
        sa.ForeignKeyConstraint(["to_location_id"], ["locations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("transfers") as batch:
        batch.create_index("ix_transfers_fulfilment_order_id", ["fulfilment_order_id"])
        batch.create_index("ix_transfers_from_location_id", ["from_location_id"])
    op.create_table(
        "transfer_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("shipped", sa.Integer(), nullable=False),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["items.id"]),
        sa.ForeignKeyConstraint(["transfer_id"], ["transfers.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("transfer_id", "item_id", name="uq_transfer_line_item"),
    )
    with op.batch_alter_table("transfer_lines") as batch:
        batch.create_index("ix_transfer_lines_transfer_id", ["transfer_id"])


def downgrade() -> None:
    # Dropping the indexes and tables alters no other table, so nothing is rebuilt (a
    # batch copy of a table others point at fails on SQLite with foreign_keys=ON).
    op.drop_index("ix_transfer_lines_transfer_id", table_name="transfer_lines")
    op.drop_table("transfer_lines")
    op.drop_index("ix_transfers_from_location_id", table_name="transfers")
    op.drop_index("ix_transfers_fulfilment_order_id", table_name="transfers")
    op.drop_table("transfers")
