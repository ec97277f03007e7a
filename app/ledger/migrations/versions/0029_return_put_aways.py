"""Returned units put away by scan

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 19:40:00

``return_put_aways``: each time a returned unit (by its RMA id) is put into a bin, the
bucket it left and the one it is in now, and whether it went back onto its shelf (done).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_put_aways",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("rma_id", sa.String(60), nullable=False),
        sa.Column("return_id", sa.Integer(), sa.ForeignKey("returns.id"), nullable=False),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("bin_code", sa.String(20), nullable=False),
        sa.Column("from_bucket", sa.String(12), nullable=False),
        sa.Column("to_bucket", sa.String(12), nullable=False),
        sa.Column("shelved", sa.Boolean(), nullable=False),
        sa.Column("op_id", sa.String(64), nullable=False),
        sa.Column("device_id", sa.String(40), nullable=False),
        sa.Column("put_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("put_by", sa.String(40), nullable=False),
    )
    op.create_index("ix_return_put_aways_rma", "return_put_aways", ["rma_id", "id"])
    op.create_index("ix_return_put_aways_return_id", "return_put_aways", ["return_id"])


def downgrade() -> None:
    op.drop_index("ix_return_put_aways_return_id", table_name="return_put_aways")
    op.drop_index("ix_return_put_aways_rma", table_name="return_put_aways")
    op.drop_table("return_put_aways")
