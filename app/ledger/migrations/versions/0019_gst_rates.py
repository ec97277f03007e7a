"""GST rates as master data: by HSN code prefix and price band, from a date

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 15:00:00

The rate of a tax invoice's line comes from this table by the longest HSN prefix in
force on the invoice date; a row with a band charges ``rate_bp`` up to
``band_limit_minor`` a unit and ``rate_above_bp`` above (apparel since 22 Sep 2025).
Imported as kind ``gst_rates``; an HSN code no row covers keeps the item's own rate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gst_rates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("hsn_prefix", sa.String(8), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.Column("band_limit_minor", sa.BigInteger(), nullable=True),
        sa.Column("rate_above_bp", sa.Integer(), nullable=True),
        sa.UniqueConstraint("hsn_prefix", "effective_from", name="uq_gst_rate_prefix_from"),
    )


def downgrade() -> None:
    op.drop_table("gst_rates")
