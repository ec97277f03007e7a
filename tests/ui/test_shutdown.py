"""Closing the terminal: the window goes at once, sync and workers stop within a bound,
even when the ledger accepts the connection and never answers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.config import SessionSettings, SyncSettings
from app.services.station import Station, build_station
from app.sync.client import LedgerClient
from app.ui.app import Terminal
from tests.sync.silent import SilentLedger

CLOSE_BOUND_MS = 5_000  # generous: the terminal gives sync 1 s and its workers 1 s


@pytest.fixture
def black_hole() -> Iterator[SilentLedger]:
    hole = SilentLedger()
    yield hole
    hole.close()


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _terminal(station: Station, data_dir: Path) -> Terminal:
    return Terminal(_app(), station, printing=None, session=SessionSettings(), data_dir=data_dir)


def test_close_with_a_silent_ledger_does_not_hang(
    qtbot: QtBot, enrolled_template: Path, tmp_path: Path, black_hole: SilentLedger
) -> None:
    path = tmp_path / "station"
    shutil.copytree(enrolled_template, path)

    def silent_ledger(_url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        return LedgerClient(black_hole.url, token=token, settings=settings)

    station = build_station(path, client_factory=silent_ledger)
    terminal = _terminal(station, path)
    try:
        window = terminal.open()
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: len(black_hole.held) > 0, timeout=10_000)
        assert station.sync.running  # a sync request is in flight, and nobody answers it
        window.close()
        assert not window.isVisible()
        assert not terminal.is_stopped()  # the window went first; the station closes after
        qtbot.waitUntil(terminal.is_stopped, timeout=CLOSE_BOUND_MS)
        assert not station.sync.running
        assert terminal.runner.wait(0)
    finally:
        terminal.shut_down()
        assert terminal.wait_stopped()
        station.close()


def test_close_stops_sync_and_closes_the_cache(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    terminal = _terminal(station, station.data_dir)
    window = terminal.open()
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: station.sync.last_report is not None, timeout=10_000)
    window.close()
    qtbot.waitUntil(terminal.is_stopped, timeout=CLOSE_BOUND_MS)
    assert terminal.closed_cleanly is True
    assert not station.sync.running
    before = terminal.runner.run_db(lambda: None)  # refused quietly after shutdown
    assert not terminal.runner.is_busy() and before > 0
