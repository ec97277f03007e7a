"""Who picks a ship order, and how many days its carrier takes

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 15:00:00

A ship fulfilment order gets the staff code of the picker a bench gave it (``ship.assign``)
and when, and the days from handover to delivery of the carrier routing chose for the
order's zone (``transit_days``), so a bench can tell an order that will miss its delivery
promise. Every new column is nullable: orders placed before have no picker and no days.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("fulfilment_orders", sa.Column("picker_code", sa.String(20), nullable=True))
    op.add_column(
        "fulfilment_orders", sa.Column("picker_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("fulfilment_orders", sa.Column("transit_days", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), as 0014 does: no copy of the table.
    for name in ("transit_days", "picker_at", "picker_code"):
        op.drop_column("fulfilment_orders", name)
