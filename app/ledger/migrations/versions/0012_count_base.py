"""A count movement keeps the base its station had seen, so a later count can tell
whether that count looked at the shelf after it did (conflict rule 3a)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain nullable column: added in place on SQLite and PostgreSQL, no table rebuild.
    # Counts recorded before it have none and are treated as having seen nothing.
    op.add_column("stock_movements", sa.Column("base_ledger_seq", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stock_movements") as batch:
        batch.drop_column("base_ledger_seq")
