"""Walk-in sales from the till, and what a returns counter finds an order by

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 18:30:00

``till_receipts``: a sale from the retailer's till system, kept as an order of the same
number (channel store, method walkin) with the store that sold it, how it was paid (cash,
card, upi, wallet, store_credit: longer words than ``orders.payment`` holds, and a till's
payment is not the prepaid/COD of a web order) and the digest of what the till sent.

``orders.phone_key`` (the last 10 digits of the customer's phone) and ``orders.email_key``
(the address case folded), indexed and filled in for the orders already held;
``order_lines.item_id`` indexed, to find the recent orders of a scanned item.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.domain.till_sales import email_key, phone_key

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "till_receipts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("orders.id"), nullable=False),
        sa.Column("location_id", sa.Integer(), sa.ForeignKey("locations.id"), nullable=False),
        sa.Column("payment", sa.String(20), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("received_by", sa.String(40), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("order_id"),
    )
    op.create_index("ix_till_receipts_location_id", "till_receipts", ["location_id"])
    op.add_column(
        "orders", sa.Column("phone_key", sa.String(10), server_default="", nullable=False)
    )
    op.add_column(
        "orders", sa.Column("email_key", sa.String(200), server_default="", nullable=False)
    )
    _fill_keys()
    op.create_index("ix_orders_phone_key", "orders", ["phone_key"])
    op.create_index("ix_orders_email_key", "orders", ["email_key"])
    op.create_index("ix_order_lines_item_id", "order_lines", ["item_id"])


def _fill_keys() -> None:
    """The keys of the orders already held, from their customer's phone and e-mail."""
    conn = op.get_bind()
    orders = sa.table(
        "orders",
        sa.column("id", sa.Integer()),
        sa.column("customer_phone", sa.String()),
        sa.column("customer_email", sa.String()),
        sa.column("phone_key", sa.String()),
        sa.column("email_key", sa.String()),
    )
    rows = conn.execute(
        sa.select(orders.c.id, orders.c.customer_phone, orders.c.customer_email)
    ).all()
    keys = [
        {"i": i, "p": phone_key(phone or ""), "e": email_key(email or "")}
        for i, phone, email in rows
        if phone_key(phone or "") or email_key(email or "")
    ]
    if keys:
        conn.execute(
            sa.update(orders)
            .where(orders.c.id == sa.bindparam("i"))
            .values(phone_key=sa.bindparam("p"), email_key=sa.bindparam("e")),
            keys,
        )


def downgrade() -> None:
    op.drop_index("ix_order_lines_item_id", table_name="order_lines")
    op.drop_index("ix_orders_email_key", table_name="orders")
    op.drop_index("ix_orders_phone_key", table_name="orders")
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy would drop a table others point at.
    op.drop_column("orders", "email_key")
    op.drop_column("orders", "phone_key")
    op.drop_index("ix_till_receipts_location_id", table_name="till_receipts")
    op.drop_table("till_receipts")
