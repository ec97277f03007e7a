"""Parcels packed at the bench, and the packed counter of a fulfilment line

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 13:00:00

A ship order's parcels are rows of their own (SSCC, box, weights, the lead who accepted
a weight outside the tolerance, carrier and tracking, void label), each with its lines
(SKU and units); a fulfilment line counts its units in parcels (``packed``). No counters
live in JSON.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "fulfilment_lines",
        sa.Column("packed", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_table(
        "parcels",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "fulfilment_order_id",
            sa.Integer(),
            sa.ForeignKey("fulfilment_orders.id"),
            nullable=False,
        ),
        sa.Column("sscc", sa.String(18), nullable=False),
        sa.Column("box", sa.String(20), nullable=False),
        sa.Column("weight_g", sa.Integer(), nullable=False),
        sa.Column("expected_g", sa.Integer(), nullable=False),
        sa.Column("override_by", sa.String(40), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("carrier", sa.String(20), nullable=False),
        sa.Column("tracking", sa.String(40), nullable=False),
        sa.Column("void", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("voided_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("op_id", sa.String(64), nullable=True),
        sa.Column("device_id", sa.String(40), nullable=True),
    )
    op.create_index("ix_parcels_fulfilment_order_id", "parcels", ["fulfilment_order_id"])
    # Indexed, not unique: a parcel packed under a label already used is a physical fact
    # the ledger records and flags (sscc_reused), not one it could refuse.
    op.create_index("ix_parcels_sscc", "parcels", ["sscc"])
    op.create_table(
        "parcel_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("parcel_id", sa.Integer(), sa.ForeignKey("parcels.id"), nullable=False),
        sa.Column("sku", sa.String(40), nullable=False),
        sa.Column("item_id", sa.Integer(), sa.ForeignKey("items.id"), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
    )
    op.create_index("ix_parcel_lines_parcel_id", "parcel_lines", ["parcel_id"])


def downgrade() -> None:
    op.drop_index("ix_parcel_lines_parcel_id", table_name="parcel_lines")
    op.drop_table("parcel_lines")
    op.drop_index("ix_parcels_sscc", table_name="parcels")
    op.drop_index("ix_parcels_fulfilment_order_id", table_name="parcels")
    op.drop_table("parcels")
    # A plain DROP COLUMN (SQLite 3.35+), as 0015 does: no copy of the table.
    op.drop_column("fulfilment_lines", "packed")
