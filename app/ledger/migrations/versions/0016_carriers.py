"""Carriers, where they deliver and collect, box types, and ship routing's decisions

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 12:30:00

Master data for ship routing and packing: carriers (zone rates and days, usual cut-off),
the pincodes or pincode prefixes each serves, the carriers collecting at each location
(with that location's cut-off), and each location's box catalogue. Also every routing
decision of a ship order with its explanation, and the locations that refused an order
(never routed it again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{target}.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "carriers",
        _id(),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("cutoff", sa.String(5), nullable=False),
        sa.Column("rate_local", sa.BigInteger(), nullable=True),
        sa.Column("rate_regional", sa.BigInteger(), nullable=True),
        sa.Column("rate_national", sa.BigInteger(), nullable=True),
        sa.Column("days_local", sa.Integer(), nullable=False),
        sa.Column("days_regional", sa.Integer(), nullable=False),
        sa.Column("days_national", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "carrier_pincodes",
        _id(),
        _fk("carrier_id", "carriers"),
        sa.Column("prefix", sa.String(6), nullable=False),
        sa.UniqueConstraint("carrier_id", "prefix", name="uq_carrier_prefix"),
    )
    op.create_table(
        "location_carriers",
        _id(),
        _fk("location_id", "locations"),
        _fk("carrier_id", "carriers"),
        sa.Column("cutoff", sa.String(5), nullable=True),
        sa.UniqueConstraint("location_id", "carrier_id", name="uq_location_carrier"),
    )
    op.create_table(
        "box_types",
        _id(),
        _fk("location_id", "locations"),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        *(
            sa.Column(f"{d}_mm", sa.Integer(), nullable=False)
            for d in ("length", "width", "height")
        ),
        sa.Column("tare_g", sa.Integer(), nullable=False),
        sa.Column("max_weight_g", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("location_id", "code", name="uq_box_type"),
    )
    op.create_table(
        "route_decisions",
        _id(),
        _fk("order_id", "orders"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locations", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.JSON(), nullable=False),
        sa.Column("exception_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_route_decisions_order_id", "route_decisions", ["order_id"])
    op.create_table(
        "order_refusals",
        _id(),
        _fk("order_id", "orders"),
        _fk("location_id", "locations"),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("order_id", "location_id", name="uq_order_refusal"),
    )


def downgrade() -> None:
    op.drop_table("order_refusals")
    op.drop_index("ix_route_decisions_order_id", table_name="route_decisions")
    op.drop_table("route_decisions")
    op.drop_table("box_types")
    op.drop_table("location_carriers")
    op.drop_table("carrier_pincodes")
    op.drop_table("carriers")
