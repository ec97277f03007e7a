"""Migration 0023 (tracking) adds shipment events, carrier cursors and a parcel's state and
delivery date to a 0022 ledger holding a packed parcel, keeps every row, and goes down
(dropping what carriers told) and up again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

SSCC = "089012340000000023"


def _shape(engine: Engine) -> tuple[set[str], set[str]]:
    with engine.begin() as conn:
        seen = inspect(conn)
        return set(seen.get_table_names()), {c["name"] for c in seen.get_columns("parcels")}


def _delivered_parcel(engine: Engine) -> None:
    now = datetime.now(UTC)
    with engine.begin() as conn:
        fo_id = conn.execute(text("SELECT min(id) FROM fulfilment_orders")).scalar_one()
        parcel_id = conn.execute(
            text(
                "INSERT INTO parcels (fulfilment_order_id, sscc, box, weight_g, expected_g, "
                "carrier, tracking, void, created_at, state, delivered_at) VALUES (:f, :s, "
                "'BOX-S', 500, 480, 'SWIFT', 'SW0000000001', false, :at, 'delivered', :at) "
                "RETURNING id"
            ),
            {"f": fo_id, "s": SSCC, "at": now},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO shipment_events (carrier, seq, sscc, tracking, kind, at, place, "
                "note, parcel_id, via, received_at) VALUES ('SWIFT', 1, :s, 'SW0000000001', "
                "'delivered', :at, '', '', :p, 'pull', :at)"
            ),
            {"s": SSCC, "at": now, "p": parcel_id},
        )


def test_0023_adds_tracking_keeps_parcels_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        _delivered_parcel(engine)
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0022", down=True)
        old_tables, old_columns = _shape(engine)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
            parcel = conn.execute(
                text("SELECT tracking FROM parcels WHERE sscc = :s"), {"s": SSCC}
            ).scalar_one()
        migrate(engine, "0023")
        new_tables, new_columns = _shape(engine)
        with engine.begin() as conn:
            again = counts(conn)
            state = conn.execute(
                text("SELECT state, delivered_at FROM parcels WHERE sscc = :s"), {"s": SSCC}
            ).one()
        upgrade(engine)

        tracking = {"shipment_events", "carrier_cursors"}
        assert tracking & old_tables == set() and {"state", "delivered_at"} & old_columns == set()
        assert tracking <= new_tables and {"state", "delivered_at"} <= new_columns
        assert kept == before and again == before and broken == []
        assert parcel == "SW0000000001"
        assert tuple(state) == (None, None)
