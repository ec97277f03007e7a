"""Tracking: what carriers say happened to our parcels, and where each parcel stands

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 16:00:00

``shipment_events`` keeps every tracking event a carrier pushed to the ledger's webhook or
the ledger pulled from its feed, once (one row per carrier + sscc + kind + at), with the
parcel it matched (none: an SSCC or tracking number the ledger does not know, kept for a
person to look at). ``carrier_cursors`` is where the pull left off per carrier. A parcel
gets its ``state`` (the carrier's last event) and ``delivered_at``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shipment_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("carrier", sa.String(20), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=True),
        sa.Column("sscc", sa.String(40), nullable=False),
        sa.Column("tracking", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(80), nullable=False, server_default=""),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("parcel_id", sa.Integer(), sa.ForeignKey("parcels.id"), nullable=True),
        sa.Column("via", sa.String(10), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("carrier", "sscc", "kind", "at", name="uq_shipment_event"),
    )
    op.create_index("ix_shipment_events_parcel_id", "shipment_events", ["parcel_id"])
    op.create_table(
        "carrier_cursors",
        sa.Column("carrier", sa.String(20), primary_key=True),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("pulled_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("parcels", sa.Column("state", sa.String(20), nullable=True))
    op.add_column("parcels", sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_parcels_tracking", "parcels", ["tracking"])


def downgrade() -> None:
    op.drop_index("ix_parcels_tracking", table_name="parcels")
    # A plain DROP COLUMN (SQLite 3.35+), as 0015 does: no copy of the table (parcel_lines
    # points at it).
    op.drop_column("parcels", "delivered_at")
    op.drop_column("parcels", "state")
    op.drop_table("carrier_cursors")
    op.drop_index("ix_shipment_events_parcel_id", table_name="shipment_events")
    op.drop_table("shipment_events")
