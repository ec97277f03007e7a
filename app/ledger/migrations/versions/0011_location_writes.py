"""Writes of different stores side by side: one audit chain per location, seq blocks in flight

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SeqType = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Every entry so far is on chain 0, which goes on as the network-wide chain.
    op.add_column("audit_log", sa.Column("chain", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_audit_chain_id", "audit_log", ["chain", "id"])
    op.create_table(
        "seq_blocks",
        sa.Column("id", SeqType, primary_key=True),
        sa.Column("lo", sa.BigInteger(), nullable=False),
        sa.Column("hi", sa.BigInteger(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("seq_blocks")
    op.drop_index("ix_audit_chain_id", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("chain")
