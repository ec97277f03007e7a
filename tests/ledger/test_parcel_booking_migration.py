"""Migration 0022 (parcel booking) adds the carriers' booking address and the parcels'
booking columns to a 0021 ledger holding orders, keeps every row, and goes down and up."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

BOOKING = {"booking_state", "booked_at", "routing_code", "carrier_barcode", "booking_note"}


def _columns(engine: Engine) -> tuple[set[str], set[str]]:
    with engine.begin() as conn:
        seen = inspect(conn)
        return (
            {c["name"] for c in seen.get_columns("carriers")},
            {c["name"] for c in seen.get_columns("parcels")},
        )


def test_0022_adds_booking_columns_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)
            conn.execute(text("UPDATE carriers SET booking_url = 'http://127.0.0.1:9/'"))

        migrate(engine, "0021", down=True)
        old_carriers, old_parcels = _columns(engine)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0022")
        new_carriers, new_parcels = _columns(engine)
        with engine.begin() as conn:
            again = counts(conn)
            urls = set(conn.execute(text("SELECT booking_url FROM carriers")).scalars())
        upgrade(engine)

        assert "booking_url" not in old_carriers and "booking_url" in new_carriers
        assert not BOOKING & old_parcels and new_parcels >= BOOKING
        assert kept == before and again == before and broken == []
        assert urls <= {""}  # down and up again: no address is set
