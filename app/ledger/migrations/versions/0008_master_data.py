"""Master data a retailer imports: item tax and return fields, location pincode, GSTIN
and carriers

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 06:30:00

Items get their HSN code, GST rate (basis points) and return-policy category; locations
their pincode, GSTIN and the carriers that serve them. Rows seeded before keep empty
values (HSN "", GST 0, category "standard", no carriers) until an import fills them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Columns with constant defaults: added in place on SQLite and PostgreSQL.
    op.add_column("items", sa.Column("hsn_code", sa.String(8), nullable=False, server_default=""))
    op.add_column(
        "items", sa.Column("gst_rate_bp", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column(
        "items",
        sa.Column("return_category", sa.String(30), nullable=False, server_default="standard"),
    )
    op.add_column(
        "locations", sa.Column("pincode", sa.String(6), nullable=False, server_default="")
    )
    op.add_column("locations", sa.Column("gstin", sa.String(15), nullable=False, server_default=""))
    op.add_column(
        "locations",
        sa.Column("carriers", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not batch copies: rebuilding a table drops the old
    # one under foreign_keys=ON, which fails as soon as any row points at it.
    for name in ("carriers", "gstin", "pincode"):
        op.drop_column("locations", name)
    for name in ("return_category", "gst_rate_bp", "hsn_code"):
        op.drop_column("items", name)
