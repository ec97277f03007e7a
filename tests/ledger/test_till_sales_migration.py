"""Migration 0028 (till sales) adds till_receipts and the phone and e-mail keys of
orders, fills the keys in for the orders a 0027 ledger holds, keeps every row, and goes
down and up."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.domain.till_sales import email_key, phone_key
from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger


def test_0028_adds_till_receipts_fills_order_keys_and_goes_down_and_up(
    ledger_db_url: str,
) -> None:
    with seeded_ledger(ledger_db_url, down_to="0027") as engine:
        with engine.begin() as conn:
            before = counts(conn)
            tables = set(inspect(conn).get_table_names())
            old = {c["name"] for c in inspect(conn).get_columns("orders")}
            conn.execute(
                text("UPDATE orders SET customer_email = 'Asha.K@Example.COM' WHERE id = 1")
            )
            customers = conn.execute(
                text("SELECT id, customer_phone, customer_email FROM orders ORDER BY id")
            ).all()

        migrate(engine, "0028")
        with engine.begin() as conn:
            keys = conn.execute(text("SELECT id, phone_key, email_key FROM orders ORDER BY id"))
            filled = [tuple(r) for r in keys]
            new_tables = set(inspect(conn).get_table_names())
            indexes = {i["name"] for i in inspect(conn).get_indexes("order_lines")}
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0027", down=True)
        with engine.begin() as conn:
            down = {c["name"] for c in inspect(conn).get_columns("orders")}
            gone = "till_receipts" not in inspect(conn).get_table_names()
        upgrade(engine)

    assert "till_receipts" not in tables and not {"phone_key", "email_key"} & old
    assert "till_receipts" in new_tables and "ix_order_lines_item_id" in indexes
    assert filled == [(i, phone_key(p), email_key(e)) for i, p, e in customers]
    assert any(e == "asha.k@example.com" for _, _, e in filled)
    assert all(len(p) == 10 for _, p, _ in filled)
    assert down == old and gone
    assert kept == before and broken == []
