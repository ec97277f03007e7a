"""The staff a real ledger sends a station: only who may work there, peppered on arrival."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.services.station import Station
from app.storage import device
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station


def cached_staff(station: Station) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(station.db.path) as conn:
        rows = conn.execute("SELECT code, pin_hash, badge_hash FROM staff").fetchall()
    return {code: (pin, badge) for code, pin, badge in rows}


def test_a_synced_station_keeps_only_its_staff_and_no_ledger_hash(
    station: Station, shared_ledger: RunningLedger
) -> None:
    station.sync.sync_once()
    staff = cached_staff(station)
    assert sorted(staff) == ["A100", "L200", "M300"]  # M300: regional, assigned to BLR-01
    ledger_rows = shared_ledger.sql("SELECT code, pin_hash, badge_hash FROM staff")
    for code, pin_hash, badge_hash in ledger_rows:
        assert badge_hash.startswith("sha256$")  # salted at the ledger
        if code in staff:
            assert staff[code][0].startswith("pepper1$") and staff[code][1].startswith("pepper1$")
            assert pin_hash.rsplit("$", 1)[1] not in staff[code][0]
    assert station.auth.login_pin("M300", "3333").role == "manager"
    assert station.auth.login_badge("BADGE-L200").code == "L200"


def test_a_warehouse_station_gets_no_regional_manager(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    warehouse = enrolled_station(shared_ledger, tmp_path / "wh", location="WH-BHW")
    try:
        warehouse.sync.sync_once()
        assert cached_staff(warehouse) == {}
        with warehouse.db.reading() as session:
            assert device.enrolment(session) is not None
    finally:
        warehouse.close()
