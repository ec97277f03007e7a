"""Parcels handed to the carrier: when, by whom, the order's e-way bill; the threshold

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 16:00:00

``ship.handover`` (a parcel scanned out at the bench as the driver collects it) sets
``handed_over_at`` (the bench's time of the scan), ``handed_over_by`` (the packer's staff
code) and, for an order whose goods need one, ``eway_bill`` (12 digits). A location's
``eway_bill_threshold_minor`` (master data, sent to its stations) is the goods value above
which an order needs one; NULL is the law's ₹50,000.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("locations", sa.Column("eway_bill_threshold_minor", sa.BigInteger()))
    op.add_column("parcels", sa.Column("handed_over_at", sa.DateTime(timezone=True)))
    op.add_column("parcels", sa.Column("handed_over_by", sa.String(40)))
    op.add_column("parcels", sa.Column("eway_bill", sa.String(12)))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop a table others point at.
    for name in ("eway_bill", "handed_over_by", "handed_over_at"):
        op.drop_column("parcels", name)
    op.drop_column("locations", "eway_bill_threshold_minor")
