"""Booking parcels with a carrier: the carrier's booking address and each parcel's booking

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 16:00:00

A partner carrier is booked over HTTP at ``carriers.booking_url`` (empty: not bookable).
A parcel keeps its booking: its state (None: never asked; ``booking`` while the ledger
waits for the carrier, claimed at ``booking_claimed_at``; ``booked``; ``waiting`` after
the carrier was down or slow; ``refused``; ``cancelled``), the carrier's label data
(service, routing and sort code, barcode), when it was booked, and the carrier's last
words (``booking_note``). The tracking number stays in ``tracking``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

PARCEL_COLUMNS = (
    ("booking_state", sa.String(12)),
    ("booking_claimed_at", sa.DateTime(timezone=True)),
    ("booked_at", sa.DateTime(timezone=True)),
    ("carrier_service", sa.String(40)),
    ("routing_code", sa.String(20)),
    ("sort_code", sa.String(20)),
    ("carrier_barcode", sa.String(60)),
    ("booking_note", sa.Text()),
)


def upgrade() -> None:
    op.add_column(
        "carriers", sa.Column("booking_url", sa.String(200), nullable=False, server_default="")
    )
    for name, kind in PARCEL_COLUMNS:
        op.add_column("parcels", sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), as 0015 and 0017 do: no copy of the table.
    for name, _ in reversed(PARCEL_COLUMNS):
        op.drop_column("parcels", name)
    op.drop_column("carriers", "booking_url")
