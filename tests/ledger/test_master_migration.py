"""Migration 0008 (master data columns) upgrades a 0007 ledger that holds data, with
empty values for what no import has filled yet, and goes down to 0007 and up again."""

from __future__ import annotations

from sqlalchemy import inspect, text

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

NEW = {"items": {"hsn_code", "gst_rate_bp", "return_category"},
       "locations": {"pincode", "gstin", "carriers"}}  # fmt: skip


def _columns(conn: object, table: str) -> set[str]:
    return {c["name"] for c in inspect(conn).get_columns(table)}


def test_0008_adds_the_master_data_columns_and_goes_down_and_up_with_data(
    ledger_db_url: str,
) -> None:
    with seeded_ledger(ledger_db_url, down_to="0007") as engine:
        with engine.begin() as conn:
            before = counts(conn)
            old = {t: _columns(conn, t) for t in NEW}
        migrate(engine, "0008")
        with engine.begin() as conn:
            item = conn.execute(
                text("SELECT hsn_code, gst_rate_bp, return_category FROM items LIMIT 1")
            ).one()
            place = conn.execute(
                text("SELECT pincode, gstin, carriers FROM locations LIMIT 1")
            ).one()
            after, broken = counts(conn), broken_links(conn)
        migrate(engine, "0007", down=True)
        with engine.begin() as conn:
            down, down_broken = counts(conn), broken_links(conn)
            gone = {t: _columns(conn, t) for t in NEW}
        upgrade(engine)

        assert all(not (NEW[t] & old[t]) for t in NEW)
        assert tuple(item) == ("", 0, "standard")
        assert tuple(place)[:2] == ("", "") and place[2] in ([], "[]")
        assert after == before and broken == []
        assert down == before and down_broken == [] and gone == old
