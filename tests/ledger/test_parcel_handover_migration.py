"""Migration 0024 (parcel hand-over) adds when a parcel left, who handed it and the
e-way bill to the parcels of a 0023 ledger and the e-way bill threshold to its
locations, keeps every row, and goes down and up."""

from __future__ import annotations

from sqlalchemy import inspect

from app.ledger.migrate import upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

_NEW = {"handed_over_at", "handed_over_by", "eway_bill"}


def test_0024_adds_handover_columns_keeps_rows_and_goes_down_and_up(ledger_db_url: str) -> None:
    with seeded_ledger(ledger_db_url) as engine:
        with engine.begin() as conn:
            before = counts(conn)

        migrate(engine, "0023", down=True)
        with engine.begin() as conn:
            old = {c["name"] for c in inspect(conn).get_columns("parcels")}
            old_loc = {c["name"] for c in inspect(conn).get_columns("locations")}
            kept, broken = counts(conn), broken_links(conn)
        migrate(engine, "0024")
        with engine.begin() as conn:
            new = {c["name"] for c in inspect(conn).get_columns("parcels")}
            new_loc = {c["name"] for c in inspect(conn).get_columns("locations")}
            again = counts(conn)
        upgrade(engine)

        assert not old & _NEW and new >= _NEW
        assert "eway_bill_threshold_minor" in new_loc - old_loc
        assert kept == before and again == before and broken == []
