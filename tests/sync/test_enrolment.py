"""Re-enrolling wipes the cache: never an op made meanwhile, never print history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.config import SyncSettings
from app.errors import LoginFailed, RuleRefused
from app.services.station import Station, build_station
from app.storage import device, print_jobs
from app.sync import protocol
from app.sync.client import LedgerClient
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.stations import FAST, sku


def _device_id(station: Station) -> str:
    with station.db.reading() as session:
        return str(session.execute(text("SELECT device_id FROM device")).scalar_one())


def test_a_count_made_while_enrolling_is_not_lost(
    station: Station, shared_ledger: RunningLedger
) -> None:
    counted: list[str] = []

    class CountWhileEnrolling(LedgerClient):
        """A real client; another window records a count while the code is being used."""

        def enrol(
            self,
            code: str,
            station_name: str,
            kind: str,
            previous: protocol.PreviousEnrolment | None = None,
        ) -> protocol.EnrolResponse:
            answer = super().enrol(code, station_name, kind, previous)
            counted.append(count_settled(station.stock, None, sku(shared_ledger, 40), 3).op_id)
            return answer

    def factory(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        return CountWhileEnrolling(url, token=token, settings=settings)

    before = (_device_id(station), device.read_token(station.data_dir))
    moving = build_station(station.data_dir, sync_settings=FAST, client_factory=factory)
    try:
        with pytest.raises(RuleRefused, match="while enrolling"):
            moving.enrolment.enrol(shared_ledger.url, shared_ledger.enrol_code("MUM-01"), "M")
        assert counted and station.status.status().pending_ops == 1
        assert (_device_id(station), device.read_token(station.data_dir)) == before
        assert station.status.status().location_code == "BLR-01"
        assert station.sync.sync_once().applied == 1  # still sent with the old enrolment
    finally:
        moving.close()


def test_re_enrolment_keeps_print_history_clears_login_failures(
    station: Station, shared_ledger: RunningLedger
) -> None:
    with pytest.raises(LoginFailed):
        station.auth.login_pin("A100", "0000")
    print_jobs.record_print(
        station.db, kind="shelf_label", reference="SKU-X", profile="zd421", format="zpl"
    )
    old_token = device.read_token(station.data_dir)
    status = station.enrolment.enrol(shared_ledger.url, shared_ledger.enrol_code("MUM-01"), "Moved")
    assert status.location_code == "MUM-01"
    with station.db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM login_attempts")).scalar_one() == 0
    assert len(print_jobs.prints_for(station.db, "SKU-X")) == 1
    token_file = Path(station.data_dir) / device.TOKEN_FILE
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert device.read_token(station.data_dir) not in (None, old_token)
    assert not list(Path(station.data_dir).glob("*.tmp"))
