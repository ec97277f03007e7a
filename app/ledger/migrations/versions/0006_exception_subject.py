"""Exceptions name what they are about: the order number and the item's SKU

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns: added in place on SQLite and PostgreSQL, no table rebuild.
    op.add_column("exceptions", sa.Column("order_number", sa.String(length=40), nullable=True))
    op.add_column("exceptions", sa.Column("sku", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exceptions") as batch:
        batch.drop_column("sku")
        batch.drop_column("order_number")
