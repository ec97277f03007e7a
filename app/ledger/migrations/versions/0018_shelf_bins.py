"""Shelf bins: where each item sits at each location, as master data

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 15:00:00

The retailer's planogram (``counterbench ledger import bins``): one row per bin an item
sits in at a location, ranked home bin first. Sent to the location's stations as the
``shelf_bins`` scope; before this the bench made its bins up.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shelf_bins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("bin_code", sa.String(12), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.UniqueConstraint("location_id", "item_id", "bin_code", name="uq_shelf_bin"),
    )
    op.create_index("ix_shelf_bins_location_id", "shelf_bins", ["location_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_shelf_bins_location_id", table_name="shelf_bins")
    op.drop_table("shelf_bins")
