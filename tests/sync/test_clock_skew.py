"""A terminal whose clock is days off keeps working and is told, and so is HQ (issue 9 §3).

A real station with a faked clock (its ``Clock`` seam) syncs with a real ledger: the
station reads the skew from the ledger's answer, the ledger from the station's header.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from app.commands.station import _status_text
from app.domain.clock import Clock
from app.services.station import Station, build_station
from app.storage import device
from app.sync.protocol import CLOCK_HEADER
from app.ui.statusbar import StationStatusBar
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.sync.stations import FAST, ledger_on_hand, sku


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """A ledger of this module's own: the clock exceptions it opens at BLR-01 would show
    in every other sync test's station."""
    yield from tiny_ledger(tmp_path_factory.mktemp("clock-ledger"))


def _station(ledger: RunningLedger, data_dir: Path, off_by: list[timedelta]) -> Station:
    """A station whose clock is ``off_by[0]`` off the real time (change it to move it)."""
    clock: Clock = lambda: datetime.now(UTC) + off_by[0]  # noqa: E731
    station = build_station(data_dir, sync_settings=FAST, clock=clock)
    station.enrolment.enrol(ledger.url, ledger.enrol_code("BLR-01"), "Counter with a clock")
    return station


def _clock_flags(ledger: RunningLedger, device_id: str) -> list[tuple[str, str]]:
    return [
        (str(kind), str(message))
        for kind, message in ledger.sql(
            "SELECT kind, message FROM exceptions WHERE kind = 'clock_skew' AND message LIKE :d",
            {"d": f"%{device_id}%"},
        )
    ]


def _device_id(station: Station) -> str:
    with station.db.reading() as session:
        enrolment = device.enrolment(session)
        assert enrolment is not None
        return enrolment.device_id


def test_a_clock_days_behind_is_said_in_the_status_bar_and_to_hq_once(
    shared_ledger: RunningLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    off_by = [-timedelta(days=2, minutes=3)]
    station = _station(shared_ledger, tmp_path / "s", off_by)
    try:
        counted = count_settled(station.stock, None, sku(shared_ledger, 47), 7)
        for _ in range(3):  # every round sees the skew; HQ hears of it once
            station.sync.sync_once()
        status = station.status.status()
        bar = StationStatusBar()
        qtbot.addWidget(bar)
        bar.resize(1366, 42)
        bar.show_status(status)

        assert station.status.status().pending_ops == 0  # it keeps working
        assert ledger_on_hand(shared_ledger, counted.sku) == 7
        assert bar.clock.isVisibleTo(bar)
        assert bar.clock.text() == (
            "This terminal's clock is 2 days behind — ask IT to set the time"
        )
        said = _status_text(status).splitlines()[-1]
        assert said == "Clock     This terminal's clock is 2 days behind — ask IT to set the time"
        [(_, message)] = _clock_flags(shared_ledger, _device_id(station))
        assert "is 2 days behind" in message

        off_by[0] = timedelta(0)  # IT sets the time: the warning goes, HQ's stays to close
        station.sync.sync_once()
        bar.show_status(station.status.status())
        assert not bar.clock.isVisibleTo(bar)
        off_by[0] = timedelta(hours=3)  # off again later: said again, once
        station.sync.sync_once()
        station.sync.sync_once()
        flags = _clock_flags(shared_ledger, _device_id(station))
        assert len(flags) == 2 and "is 3 hours ahead" in flags[1][1]
    finally:
        station.close()


def test_a_clock_right_within_five_minutes_says_nothing(
    shared_ledger: RunningLedger, tmp_path: Path, qtbot: QtBot
) -> None:
    station = _station(shared_ledger, tmp_path / "s", [timedelta(minutes=4)])
    try:
        station.sync.sync_once()
        bar = StationStatusBar()
        qtbot.addWidget(bar)
        bar.show_status(station.status.status())

        assert not bar.clock.isVisibleTo(bar) and bar.clock.text() == ""
        assert _clock_flags(shared_ledger, _device_id(station)) == []
    finally:
        station.close()


def test_a_clock_header_the_ledger_cannot_read_is_ignored(
    station: Station, shared_ledger: RunningLedger
) -> None:
    token = device.read_token(station.data_dir)
    for junk in ("yesterday", "9999-99-99T00:00:00", "0001-01-01T00:00:00+14:00", "x" * 500):
        answer = requests.get(
            f"{shared_ledger.url}/v1/sync/pull",
            params={"cursor": 0, "limit": 1},
            headers={"Authorization": f"Bearer {token}", CLOCK_HEADER: junk},
            timeout=10,
        )
        assert answer.status_code == 200, (junk, answer.text)
    assert _clock_flags(shared_ledger, _device_id(station)) == []
