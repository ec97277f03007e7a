"""Migration 0014 (ship fields) adds the delivery columns to a 0013 ledger holding orders,
keeps every row, and goes down to 0013 and up again."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

ORDER_COLUMNS = {"ship_to", "discount_minor", "shipping_minor", "payment", "cod_minor"}
FULFILMENT_COLUMNS = {
    "ship_to", "payment", "cod_minor", "carrier", "carrier_service", "promised_by", "ship_by",
    "route_note",
}  # fmt: skip


def _columns(engine: Engine, table: str) -> set[str]:
    with engine.begin() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def test_0014_adds_ship_columns_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url, down_to="0013") as engine:
        with engine.begin() as conn:
            before = counts(conn)
        old = _columns(engine, "fulfilment_orders")

        migrate(engine, "0014")
        with engine.begin() as conn:
            after = counts(conn)
            defaults = conn.execute(
                text("SELECT DISTINCT discount_minor, shipping_minor, payment FROM orders")
            ).all()
            ship_by = conn.execute(
                text("SELECT count(*) FROM fulfilment_orders WHERE ship_by IS NOT NULL")
            ).scalar_one()
        new_orders = _columns(engine, "orders")
        new_fulfilments = _columns(engine, "fulfilment_orders")
        migrate(engine, "0013", down=True)
        down = _columns(engine, "fulfilment_orders")
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
        upgrade(engine)

        assert not FULFILMENT_COLUMNS & old
        assert new_orders >= ORDER_COLUMNS and new_fulfilments >= FULFILMENT_COLUMNS
        assert "paid_minor" in _columns(engine, "order_lines")
        assert after == before and kept == before and broken == []
        assert defaults == [(0, 0, None)] and ship_by == 0  # orders placed before: no ship facts
        assert down == old
