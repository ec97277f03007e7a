"""Quarantined operations: held by the ledger after an unexpected failure, replayed after a fix

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quarantined_ops",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("device_seq", sa.BigInteger(), nullable=False),
        sa.Column("op_id", sa.String(length=64), nullable=False, unique=True),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("op", sa.Text(), nullable=False),
        sa.Column("cause", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("exception_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replayed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_quarantined_ops_device_id", "quarantined_ops", ["device_id"])


def downgrade() -> None:
    op.drop_index("ix_quarantined_ops_device_id", table_name="quarantined_ops")
    op.drop_table("quarantined_ops")
