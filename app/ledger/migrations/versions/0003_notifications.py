"""Customer messages: the notification outbox and per-location reminder days

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("locations") as batch:
        batch.add_column(
            sa.Column("pickup_reminder_days", sa.JSON(), nullable=False, server_default="[2, 4]")
        )
    op.create_table(
        "customer_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fulfilment_order_id",
            sa.Integer(),
            sa.ForeignKey("fulfilment_orders.id"),
            nullable=False,
        ),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=120), nullable=False),
        sa.Column("reminder_day", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.UniqueConstraint("dedupe_key"),
    )
    op.create_index(
        "ix_customer_messages_fulfilment_order_id", "customer_messages", ["fulfilment_order_id"]
    )
    op.create_index("ix_customer_messages_order_number", "customer_messages", ["order_number"])
    op.create_index("ix_customer_messages_state_id", "customer_messages", ["state", "id"])


def downgrade() -> None:
    op.drop_index("ix_customer_messages_state_id", table_name="customer_messages")
    op.drop_index("ix_customer_messages_order_number", table_name="customer_messages")
    op.drop_index("ix_customer_messages_fulfilment_order_id", table_name="customer_messages")
    op.drop_table("customer_messages")
    # A plain DROP COLUMN (SQLite 3.35+), not a batch copy: rebuilding ``locations`` would
    # drop the old table under foreign_keys=ON, which every row pointing at a store fails.
    op.drop_column("locations", "pickup_reminder_days")
