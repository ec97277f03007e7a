"""Closing the terminal: the window goes at once, sync and workers stop within a bound,
even when the ledger accepts the connection and never answers."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.config import SessionSettings, SyncSettings
from app.services.station import Station, build_station
from app.sync.client import LedgerClient
from app.ui.app import Terminal

CLOSE_BOUND_MS = 5_000  # generous: the terminal gives sync 1 s and its workers 1 s


class BlackHole:
    """A listening socket on 127.0.0.1 that accepts connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        """Stop accepting and drop every held connection (a stuck request then ends)."""
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self.held:
            conn.close()
        self.server.close()


@pytest.fixture
def black_hole() -> Iterator[BlackHole]:
    hole = BlackHole()
    yield hole
    hole.close()


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _terminal(station: Station, data_dir: Path) -> Terminal:
    return Terminal(_app(), station, printing=None, session=SessionSettings(), data_dir=data_dir)


def test_close_with_a_silent_ledger_does_not_hang(
    qtbot, enrolled_template: Path, tmp_path: Path, black_hole: BlackHole
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


def test_close_stops_sync_and_closes_the_cache(qtbot, station: Station, tmp_path: Path) -> None:
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
