"""Fixtures for GUI tests: a real ledger, an enrolled station, and the main window on it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.printing import PrintService, station_printing
from app.services.scan_settings import ScanSettings
from app.services.station import Station, build_station
from app.ui.idle import IdleWatch
from app.ui.input_filter import InputFilter
from app.ui.main_window import MainWindow
from app.ui.scanner import ScanInput
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from tests.labels.listener import PrinterListener
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.ui.wedge import send_code

STORE = "BLR-01"
IDLE_S = 300.0


class KeyClock:
    """The scanner's clock: every read moves it on by ``step`` seconds.

    With the default step, every key press looks typed by hand; set ``step`` below the
    scanner gap to make the next keys look like a scanner burst. No test waits for time.
    """

    HAND = 0.2
    SCANNER = 0.005

    def __init__(self) -> None:
        self.now = 1000.0
        self.step = self.HAND

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def enrol_station(ledger: RunningLedger, data_dir: Path) -> Station:
    """A station on ``data_dir`` enrolled at the test store and synced once."""
    station = build_station(data_dir)
    station.enrolment.enrol(ledger.url, ledger.enrol_code(STORE), "Counter 1", "counter")
    return station


@pytest.fixture(scope="session")
def ui_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """One seeded (tiny) ledger for the GUI tests; tests that push enrol their own station."""
    root = tmp_path_factory.mktemp("ui-ledger")
    yield from tiny_ledger(root / "ledger", f"sqlite:///{root / 'ledger.sqlite3'}")


@pytest.fixture(scope="session")
def enrolled_template(ui_ledger: RunningLedger, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A station directory enrolled and synced once, closed, for tests to copy."""
    path = tmp_path_factory.mktemp("ui-station") / "station"
    enrol_station(ui_ledger, path).close()
    return path


@pytest.fixture
def station(enrolled_template: Path, tmp_path: Path) -> Iterator[Station]:
    """A fresh copy of the enrolled station (it must not push: the copies share a device)."""
    path = tmp_path / "station"
    shutil.copytree(enrolled_template, path)
    built = build_station(path)
    yield built
    built.close()


class Shell:
    """The main window with its runner, scanner input and idle watch, as main.py wires them."""

    def __init__(
        self,
        station: Station,
        *,
        idle_s: float = IDLE_S,
        printing: PrintService | None = None,
        scan_settings: ScanSettings | None = None,
    ) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.app = app
        apply_theme(app)
        self.station = station
        self.clock = KeyClock()
        self.runner = TaskRunner()
        self.scans = ScanInput(settings=scan_settings, clock=self.clock)
        self.idle = IdleWatch(idle_s)
        self.input = InputFilter(scans=self.scans, idle=self.idle)  # as the terminal does
        self.input.install(app)
        self.window = MainWindow(
            services=station,
            runner=self.runner,
            scans=self.scans,
            idle=self.idle,
            printing=printing,
        )
        self.window.resize(1366, 800)

    def close(self) -> None:
        self.window.close()
        self.input.remove(self.app)
        self.idle.disarm()  # no timer left running for Python to collect on another thread
        assert self.runner.shutdown(10_000)


@contextmanager
def open_shell(
    qtbot: QtBot,
    station: Station,
    *,
    idle_s: float = IDLE_S,
    printing: PrintService | None = None,
    scan_settings: ScanSettings | None = None,
) -> Iterator[Shell]:
    """Show the main window on ``station`` at the login screen; close it afterwards."""
    built = Shell(station, idle_s=idle_s, printing=printing, scan_settings=scan_settings)
    qtbot.addWidget(built.window)
    try:
        built.window.show()
        built.window.activateWindow()
        qtbot.waitActive(built.window)
        qtbot.waitUntil(lambda: built.window.login.code_field.hasFocus())
        yield built
    finally:
        built.close()


@pytest.fixture
def shell(qtbot: QtBot, station: Station) -> Iterator[Shell]:
    with open_shell(qtbot, station) as built:
        yield built


@pytest.fixture
def printer() -> Iterator[PrinterListener]:
    """A TCP 9100 printer on loopback that takes every job."""
    listener = PrinterListener()
    yield listener
    listener.close()


def focused() -> QWidget:
    """The widget that has keyboard focus (keys go where a person's keys would)."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def type_keys(qtbot: QtBot, text: str, *, enter: bool = True) -> None:
    """Type ``text`` by hand into whatever has focus, then Enter."""
    for ch in text:
        qtbot.keyClick(focused(), ch)
    if enter:
        qtbot.keyClick(focused(), Qt.Key.Key_Return)


def scan(qtbot: QtBot, shell: Shell, code: str) -> None:
    """A keyboard-wedge scan, wherever focus is: the keys a USB scanner sends (Shift
    around capitals, GS as Ctrl+]; see ``tests/ui/wedge.py``), fast, ending with Enter."""
    shell.clock.step = KeyClock.SCANNER
    try:
        send_code(code)
    finally:
        shell.clock.step = KeyClock.HAND


def log_in(qtbot: QtBot, shell: Shell, code: str = "A100", pin: str = "1111") -> None:
    """Log in by keys: staff code, Enter, PIN, Enter."""
    type_keys(qtbot, code)
    assert shell.window.login.pin_field.hasFocus()
    type_keys(qtbot, pin)
    qtbot.waitUntil(lambda: shell.window.staff() is not None)


def tcp_printing(station: Station, target: str) -> PrintService:
    """The station's print service with its shelf labels going to ``target`` (TCP 9100)."""
    setup = {
        "profiles": [
            {
                "name": "counter-shelf",
                "base": "shelf-50x30-203",
                "transport": "tcp",
                "target": target,
                "timeout_s": 2,
            }
        ],
        "by_kind": {"shelf": "counter-shelf"},
    }
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)
