"""Steps 5, 13, 15 and 27 add the pickup, ship, parcel and charge columns and have a
cache filled before them take fresh snapshots."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.storage import migrations
from app.sync.mirror import SCOPE_TABLES
from app.sync.protocol import SCOPE_COLUMNS, Scope

SHIP_COLUMNS = {
    "ship_to", "payment", "cod_minor", "carrier", "carrier_service", "promised_by", "ship_by",
    "route_note",
}  # fmt: skip
PARCEL_COLUMNS = {"parcels"}
CHARGE_COLUMNS = {"discount_minor", "shipping_minor"}  # step 27
LATER = {"picker_code", "transit_days"} | CHARGE_COLUMNS  # step 20 (test_ship_orders.py), 27


def test_step_5_adds_the_pickup_columns_and_asks_for_snapshots(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=4)
    conn.execute("UPDATE sync_state SET snapshot_done = 1, cursor = 42")

    migrations.migrate(conn, target=5)

    step_5 = {
        Scope.LOCATIONS: {"pickup_hold_days", "bins"},
        Scope.FULFILMENT: set(SCOPE_COLUMNS[Scope.FULFILMENT])
        - SHIP_COLUMNS
        - PARCEL_COLUMNS
        - LATER,
    }  # later steps add more columns (10: master data; 13: ship orders; 15: parcels)
    for scope, wanted in step_5.items():
        have = [r[1] for r in conn.execute(f"PRAGMA table_info({SCOPE_TABLES[scope]})")]
        assert wanted <= set(have), scope
    assert conn.execute("SELECT snapshot_done, cursor FROM sync_state").fetchone() == (0, 42)


def test_step_13_adds_the_ship_columns_and_asks_for_snapshots(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=12)
    conn.execute("UPDATE sync_state SET snapshot_done = 1, cursor = 42")

    migrations.migrate(conn, target=13)

    have = {r[1] for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}
    assert set(SCOPE_COLUMNS[Scope.FULFILMENT]) - PARCEL_COLUMNS - LATER <= have
    assert conn.execute("SELECT snapshot_done, cursor FROM sync_state").fetchone() == (0, 42)


def test_step_15_adds_the_parcels_column_and_asks_for_snapshots(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=14)
    conn.execute("UPDATE sync_state SET snapshot_done = 1, cursor = 42")
    before = {r[1] for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}

    migrations.migrate(conn, target=15)

    have = {r[1] for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}
    assert "parcels" not in before and set(SCOPE_COLUMNS[Scope.FULFILMENT]) - LATER <= have
    assert conn.execute("SELECT snapshot_done, cursor FROM sync_state").fetchone() == (0, 42)


def test_step_27_adds_the_discount_and_shipping_shares_and_asks_for_snapshots(
    tmp_path: Path,
) -> None:
    conn = sqlite3.connect(tmp_path / "c.sqlite3", isolation_level=None)
    migrations.migrate(conn, target=26)
    conn.execute("UPDATE sync_state SET snapshot_done = 1, cursor = 42")
    before = {r[1] for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}

    migrations.migrate(conn, target=27)

    have = {r[1] for r in conn.execute("PRAGMA table_info(fulfilment_orders)")}
    assert not CHARGE_COLUMNS & before and set(SCOPE_COLUMNS[Scope.FULFILMENT]) <= have
    assert conn.execute("SELECT snapshot_done, cursor FROM sync_state").fetchone() == (0, 42)
