"""Re-enrolment adopts the old device's unsent operations; a station's clock skew is flagged

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.add_column(sa.Column("adopted_by", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("adopted_through_seq", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("clock_exception_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_devices_adopted_by", ["adopted_by"])


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch:
        batch.drop_constraint("uq_devices_adopted_by", type_="unique")
        batch.drop_column("clock_exception_id")
        batch.drop_column("adopted_through_seq")
        batch.drop_column("adopted_by")
