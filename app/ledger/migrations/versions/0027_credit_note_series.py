"""Credit note numbers: number blocks of a series, tax invoices or credit notes

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-06 18:40:00

Credit notes for returns number in a consecutive series per station and financial year,
as tax invoices do (0021), in blocks the ledger hands out the same way. ``invoice_blocks``
gains ``series`` (``invoice`` | ``credit_note``; the blocks handed out before are all
invoices) and a block's first serial is unique per device, series and year.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A batch copy on SQLite: nothing refers to invoice_blocks.
    with op.batch_alter_table("invoice_blocks") as batch:
        batch.add_column(
            sa.Column("series", sa.String(12), nullable=False, server_default="invoice")
        )
        batch.drop_constraint("uq_invoice_block_first", type_="unique")
        batch.create_unique_constraint(
            "uq_invoice_block_series_first",
            ["device_id", "series", "financial_year", "first_serial"],
        )


def downgrade() -> None:
    # Credit note blocks have no place in a ledger without series: they go with the column.
    op.execute("DELETE FROM invoice_blocks WHERE series <> 'invoice'")
    with op.batch_alter_table("invoice_blocks") as batch:
        batch.drop_constraint("uq_invoice_block_series_first", type_="unique")
        batch.create_unique_constraint(
            "uq_invoice_block_first", ["device_id", "financial_year", "first_serial"]
        )
        batch.drop_column("series")
