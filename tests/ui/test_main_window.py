"""The main window navigates, routes scans to the screen on show, and shows station state."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.config import SessionSettings
from app.services.results import StationStatus
from app.services.station import build_station
from app.ui.app import Terminal
from app.ui.main_window import MainWindow
from app.ui.notice import ENROL_COMMAND, NotEnrolledScreen
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.statusbar import StationStatusBar, age
from tests.support.ledger import RunningLedger
from tests.ui.conftest import STORE, Shell, focused, log_in, scan


def test_sidebar_lists_only_working_screens_with_f_keys(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    window = shell.window
    labels = [b.text() for b in window.nav.buttons()]
    assert labels == [
        "F1  Stock lookup", "F2  Exceptions", "F3  Pickup", "F4  Ship queue", "F6  Pack",
        "F10  Batch pick", "F11  Hand over", "Ctrl+F7  Returns",
    ]  # fmt: skip
    assert all(b.minimumSizeHint().height() >= 44 for b in window.findChildren(QPushButton))
    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    assert isinstance(window.current_screen(), ExceptionsScreen)
    assert window.nav.checkedId() == 1
    qtbot.keyClick(focused(), Qt.Key.Key_F1)
    assert isinstance(window.current_screen(), StockLookupScreen)
    stock = window.screens[0]
    assert isinstance(stock, StockLookupScreen)
    qtbot.waitUntil(stock.search.hasFocus)


def test_f_keys_do_nothing_before_login(qtbot: QtBot, shell: Shell) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    assert shell.window.pages.currentWidget() is shell.window.login
    assert shell.window.current_screen() is None


def test_scan_goes_to_the_screen_on_show(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    gtin = shell.station.stock.lookup("GRO-00001")[0].gtin
    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    exceptions = shell.window.current_screen()
    assert isinstance(exceptions, ExceptionsScreen)
    scan(qtbot, shell, gtin)
    assert exceptions.message.tone() == "warn", "the exceptions screen does not take scans"
    stock = shell.window.screens[0]
    assert isinstance(stock, StockLookupScreen)
    assert stock.shown_item() is None

    qtbot.keyClick(focused(), Qt.Key.Key_F1)
    scan(qtbot, shell, gtin)
    qtbot.waitUntil(lambda: stock.shown_item() is not None)
    shown = stock.shown_item()
    assert shown is not None
    assert shown.item.gtin == gtin


def test_status_bar_shows_station_and_sync_state(qtbot: QtBot, shell: Shell) -> None:
    expected = shell.station.status.status()
    bar = shell.window.status
    qtbot.waitUntil(lambda: shell.window.last_status is not None)
    assert bar.location.text().startswith(STORE)
    assert bar.station.text() == "Counter 1"
    assert bar.dot.property("state") == ("online" if expected.online else "offline")
    assert bar.pending.text() == "All sent"
    assert bar.last_sync.text().startswith("Last sync")
    assert "Counter 1 at BLR-01" in shell.window.login.station_line.text()


def test_status_bar_texts(qtbot: QtBot) -> None:
    bar = StationStatusBar()
    qtbot.addWidget(bar)
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    status = StationStatus(
        enrolled=True, location_code="BLR-01", location_name="Koramangala", station_name="C1",
        station_kind="counter", online=False, pending_ops=3, oldest_pending_age_s=125.0,
        last_sync_at=now - timedelta(seconds=12), cursor=5, open_exceptions=0,
        last_error="The ledger cannot be reached.",
    )  # fmt: skip
    bar.show_status(status, now)
    assert (bar.sync.text(), bar.dot.property("state")) == ("Offline", "offline")
    assert bar.pending.text() == "3 to send, oldest 2 min"
    assert bar.last_sync.text() == "Last sync 12 s ago"
    assert "cannot be reached" in bar.dot.toolTip()
    bar.show_status(replace(status, online=True, last_sync_at=None), now)
    assert (bar.sync.text(), bar.dot.property("state")) == ("Online", "pending")
    assert bar.last_sync.text() == "Never synced"
    assert [age(s) for s in (None, 5, 59, 60, 3600, 3660, 86_400, 200_000)] == [
        "", "5 s", "59 s", "1 min", "1 h", "1 h 1 min", "1 day", "2 days",
    ]  # fmt: skip


def test_unexpected_error_shows_the_crash_dialog(qtbot: QtBot, shell: Shell) -> None:
    def broken() -> None:
        raise RuntimeError("disk on fire")

    with qtbot.waitSignal(shell.runner.unexpected_error):
        shell.runner.run_db(broken)
    boxes = [w for w in shell.window.findChildren(QMessageBox) if w.isVisible()]
    assert len(boxes) == 1
    assert "unexpected" in boxes[0].text().lower()
    assert "RuntimeError: disk on fire" in boxes[0].informativeText()
    boxes[0].close()


def test_station_not_enrolled_shows_how_to_enrol(
    qtbot: QtBot, tmp_path: Path, ui_ledger: RunningLedger
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    station = build_station(tmp_path / "new")
    terminal = Terminal(
        app, station, printing=None, session=SessionSettings(), data_dir=tmp_path / "new"
    )
    try:
        window = terminal.open()
        qtbot.addWidget(window)
        notice = window.centralWidget()
        assert isinstance(notice, NotEnrolledScreen)
        shown = [lbl.text() for lbl in notice.findChildren(QLabel)]
        assert any(ENROL_COMMAND in t and str(tmp_path / "new") in t for t in shown)
        qtbot.mouseClick(notice.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: notice.message.tone() == "warn")
        assert "Still not enrolled" in notice.message.text()
        assert not station.sync.running

        station.enrolment.enrol(ui_ledger.url, ui_ledger.enrol_code(STORE), "Counter 2", "counter")
        qtbot.mouseClick(notice.check_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: isinstance(terminal.window, MainWindow))
        assert isinstance(terminal.window, MainWindow)
        assert terminal.window.isVisible()
        assert station.sync.running, "background sync starts once the station is enrolled"
        qtbot.addWidget(terminal.window)
    finally:
        terminal.shut_down()
        assert terminal.wait_stopped()
