"""Rejection reasons with their stock effects; stock balances that wait for a count

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 03:50:00

The default reasons are written here, so every ledger has them; the retailer edits them
with ``counterbench ledger reasons``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The defaults as this revision knows them (app.domain.reasons.DEFAULT_REASONS may change
# later; a released migration must not).
DEFAULTS = (
    ("not_found", "Not found on the shelf", "not_found", "short_pick,ship_reject", 10),
    ("damaged", "Damaged", "damaged", "short_pick,ship_reject", 20),
    ("expired", "Expired or past its date", "damaged", "short_pick,ship_reject", 30),
    ("wrong_item", "Wrong item on the shelf", "none", "short_pick,ship_reject", 40),
    ("declined", "Customer declined it", "none", "handover", 50),
    ("damaged_at_counter", "Damaged at the counter", "none", "handover", 60),
    ("changed_mind", "Customer changed their mind", "none", "handover", 70),
    ("miscounted_before", "Last count was wrong", "none", "count", 80),
    ("theft_or_loss", "Theft or loss", "none", "count", 90),
    ("unrecorded_receipt", "Received without a receipt", "none", "count", 100),
    ("damage_written_off", "Damage not recorded", "none", "count", 110),
)


def upgrade() -> None:
    reasons = op.create_table(
        "rejection_reasons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("effect", sa.String(length=20), nullable=False),
        sa.Column("applies_to", sa.String(length=120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.bulk_insert(
        reasons,
        [
            {
                "code": code,
                "label": label,
                "effect": effect,
                "applies_to": uses,
                "active": True,
                "sort_order": order,
            }
            for code, label, effect, uses, order in DEFAULTS
        ],
    )
    with op.batch_alter_table("stock_balances") as batch:
        batch.add_column(
            sa.Column("count_due", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("stock_balances") as batch:
        batch.drop_column("count_due")
    op.drop_table("rejection_reasons")
