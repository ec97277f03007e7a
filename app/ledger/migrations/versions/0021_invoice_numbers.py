"""Tax invoice numbers: blocks of each station's series, the number of each order

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 16:00:00

Invoice numbers run consecutively per station and financial year (April to March). The
ledger hands each station its numbers in blocks (``invoice_blocks``) so it can invoice
offline; the number an order was packed under comes back in its first ``ship.pack`` and
is kept in ``order_invoices`` (unique: a number used twice is flagged, not kept twice).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoice_blocks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("financial_year", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(8), nullable=False),
        sa.Column("first_serial", sa.Integer(), nullable=False),
        sa.Column("last_serial", sa.Integer(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "device_id", "financial_year", "first_serial", name="uq_invoice_block_first"
        ),
    )
    op.create_table(
        "order_invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fulfilment_order_id",
            sa.Integer(),
            sa.ForeignKey("fulfilment_orders.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("number", sa.String(16), nullable=False, unique=True),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("op_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("order_invoices")
    op.drop_table("invoice_blocks")
