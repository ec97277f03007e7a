"""Migration 0017 (parcels) adds the parcel tables and the lines' packed counter to a
0016 ledger holding orders, keeps every row, and goes down to 0016 (dropping packed
parcels) and up again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

SSCC = "089012340000000016"


def _shape(engine: Engine) -> tuple[set[str], set[str]]:
    """The ledger's tables and the columns of fulfilment_lines."""
    with engine.begin() as conn:
        seen = inspect(conn)
        return set(seen.get_table_names()), {
            c["name"] for c in seen.get_columns("fulfilment_lines")
        }


def _pack_one(engine: Engine) -> tuple[int, int]:
    """A parcel holding the first line of the first fulfilment order: (order id, item id)."""
    with engine.begin() as conn:
        fo_id, item_id, sku = conn.execute(
            text("SELECT fulfilment_order_id, item_id, sku FROM fulfilment_lines ORDER BY id")
        ).first()  # type: ignore[misc]
        conn.execute(
            text(
                "UPDATE fulfilment_lines SET picked = 1, packed = 1 WHERE fulfilment_order_id = :f"
            ),
            {"f": fo_id},
        )
        parcel_id = conn.execute(
            text(
                "INSERT INTO parcels (fulfilment_order_id, sscc, box, weight_g, expected_g, "
                "carrier, tracking, void, created_at) VALUES (:f, :s, 'BOX-S', 500, 480, "
                "'own_fleet', :s, false, :at) RETURNING id"
            ),
            {"f": fo_id, "s": SSCC, "at": datetime.now(UTC)},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO parcel_lines (parcel_id, sku, item_id, quantity) "
                "VALUES (:p, :s, :i, 1)"
            ),
            {"p": parcel_id, "s": sku, "i": item_id},
        )
    return int(fo_id), int(item_id)


def test_0017_adds_parcels_and_packed_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        fo_id, _ = _pack_one(engine)
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0016", down=True)
        old_tables, old_columns = _shape(engine)
        with engine.begin() as conn:
            kept, broken = counts(conn), broken_links(conn)
            picked = (
                conn.execute(
                    text("SELECT picked FROM fulfilment_lines WHERE fulfilment_order_id = :f"),
                    {"f": fo_id},
                )
                .scalars()
                .first()
            )
        migrate(engine, "0017")
        new_tables, new_columns = _shape(engine)
        with engine.begin() as conn:
            again = counts(conn)
            packed = conn.execute(text("SELECT max(packed) FROM fulfilment_lines")).scalar_one()
            parcels = conn.execute(text("SELECT count(*) FROM parcels")).scalar_one()
        upgrade(engine)

        assert {"parcels", "parcel_lines"} & old_tables == set() and "packed" not in old_columns
        assert {"parcels", "parcel_lines"} <= new_tables and "packed" in new_columns
        assert kept == before and again == before and broken == []
        assert picked == 1  # the other counters stay
        assert (packed, parcels) == (0, 0)
