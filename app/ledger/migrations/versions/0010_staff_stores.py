"""Staff reach only the stores they work at; badge hashes carry a salt

Regional staff (no home store) were sent to every station. From now on a station gets
its home staff and the staff assigned to it in ``staff_stores``. So that nobody loses a
store on upgrade, every regional staff member is assigned to every location here; remove
the assignments that are not needed. ``badge_hash`` grows to hold ``sha256$salt$digest``.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff") as batch:  # first: nothing refers to staff yet
        batch.alter_column(
            "badge_hash", existing_type=sa.String(length=64), type_=sa.String(length=200)
        )
    op.create_table(
        "staff_stores",
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff.id"), primary_key=True),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("locations.id"), primary_key=True),
    )
    op.create_index("ix_staff_stores_location_id", "staff_stores", ["location_id"])
    op.execute(
        "INSERT INTO staff_stores (staff_id, location_id) "
        "SELECT s.id, l.id FROM staff s CROSS JOIN locations l WHERE s.home_location_id IS NULL"
    )


def downgrade() -> None:
    # badge_hash stays 200 wide: the salted hashes in it do not fit 64 any more, and the
    # code before this revision reads them as unknown badges rather than fail.
    op.drop_index("ix_staff_stores_location_id", table_name="staff_stores")
    op.drop_table("staff_stores")
