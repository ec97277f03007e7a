"""The sidebar takes more than six screens: at 1024 x 768 and 1366 x 768, banners shown,
nine screens' buttons are all in the window, whole and readable, and every screen opens by
keyboard: F1…F6, F10, F11 and Returns' Ctrl+F7 by their keys, and Ctrl+PgDn/PgUp step
round them all (a screen past the F-keys has only those)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.idle import IdleWatch
from app.ui.main_window import MainWindow
from app.ui.scanner import ScanInput
from app.ui.screens.bench.pack import PackScreen
from app.ui.screens.bench.queue import BenchQueueScreen
from app.ui.screens.printers import PrintersScreen
from app.ui.screens.returns.screen import ReturnsScreen
from app.ui.sidebar import screen_keys
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from tests.ui.conftest import focused, type_keys
from tests.ui.pickup_support import file_printing

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from app.services.station import Station

SIZES = [QSize(1024, 768), QSize(1366, 768)]


class ComingScreen(QWidget):
    """A screen with nothing on it yet, as the sidebar sees one."""

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title = title
        self.shown = 0

    def activate(self) -> None:
        self.shown += 1

    def on_scan(self, code: str) -> None:
        pass

    def reset(self) -> None:
        pass


class NineScreens:
    """The main window with its nine working screens, logged out."""

    def __init__(self, station: Station, tmp_path: Path) -> None:
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        apply_theme(app)
        self.runner = TaskRunner()
        self.idle = IdleWatch(300.0)
        self.window = MainWindow(
            services=station,
            runner=self.runner,
            scans=ScanInput(),
            idle=self.idle,
            printing=file_printing(station, tmp_path),
        )


@contextmanager
def nine_screens(qtbot: QtBot, station: Station, tmp_path: Path) -> Iterator[MainWindow]:
    shell = NineScreens(station, tmp_path)
    window = shell.window
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    try:
        yield window
    finally:
        window.close()
        shell.idle.disarm()
        assert shell.runner.shutdown(10_000)


def _in_window(window: MainWindow, widget: QWidget) -> bool:
    """``widget`` is on show, whole, inside the window and inside what holds it."""
    place = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    holder = window.sidebar.nav_area.viewport()
    seen = QRect(holder.mapTo(window, QPoint(0, 0)), holder.size())
    return widget.isVisible() and window.rect().contains(place) and seen.contains(place)


def _in_sidebar(window: MainWindow, widget: QWidget) -> bool:
    """``widget`` is on show, its whole height in the part of the buttons' area scrolled
    into view (with a scroll bar shown, the buttons' right padding goes under it)."""
    top = widget.mapTo(window, QPoint(0, 0)).y()
    holder = window.sidebar.nav_area.viewport()
    seen_top = holder.mapTo(window, QPoint(0, 0)).y()
    inside = seen_top <= top and top + widget.height() <= seen_top + holder.height()
    return widget.isVisible() and inside


def test_keys_go_to_f1_to_f6_then_f10_and_f11_then_none(qtbot: QtBot) -> None:
    screens: list[QWidget] = [ComingScreen(str(n)) for n in range(10)]
    screens[4].key = "F5"  # type: ignore[attr-defined]  # Printers claims F5
    keys = screen_keys(screens)
    assert keys == ["F1", "F2", "F3", "F4", "F5", "F6", "F10", "F11", "", ""]
    assert not {"F7", "F8", "F9", "F12"} & set(keys)  # the screens' own keys, log out


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_nine_screens_fit_the_sidebar_and_each_opens_by_keyboard(
    qtbot: QtBot, station: Station, tmp_path: Path, size: QSize
) -> None:
    with nine_screens(qtbot, station, tmp_path) as window:
        window.resize(size)
        qtbot.waitUntil(lambda: window.size() == size)
        qtbot.waitUntil(lambda: window.login.code_field.hasFocus())
        _log_in(qtbot, window)
        qtbot.waitUntil(lambda: window.last_status is not None)  # it says the banner's text
        window.offline_banner.say("Offline since 10:42: work goes on and is sent when back.")
        window.idle_banner.say("Logging out in 30 s: press any key to stay.")
        for _ in range(3):
            QApplication.processEvents()
        assert window.offline_banner.isVisible() and window.idle_banner.isVisible()
        buttons = window.nav.buttons()
        assert len(buttons) == 9
        assert not window.sidebar.nav_area.verticalScrollBar().isVisible()
        for nav in buttons:
            assert _in_window(window, nav), nav.text()
            assert nav.width() >= nav.sizeHint().width(), f"{nav.text()!r} is cut"
            assert nav.height() >= 44, "a button one can still touch"
        keys = [Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4, Qt.Key.Key_F5,
                Qt.Key.Key_F6, Qt.Key.Key_F10, Qt.Key.Key_F11]  # fmt: skip
        for i, key in enumerate(keys):
            qtbot.keyClick(focused(), key)
            assert window.screen_stack.currentIndex() == i, window.nav.button(i).text()
            assert window.nav.checkedId() == i
        assert isinstance(window.screens[3], BenchQueueScreen)
        assert isinstance(window.screens[4], PrintersScreen)
        assert isinstance(window.screens[5], PackScreen)
        qtbot.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        last = window.screens[8]
        assert isinstance(last, ReturnsScreen) and window.nav.button(8).text() == "Ctrl+F7  Returns"
        assert window.current_screen() is last
        assert _in_window(window, window.nav.button(8))
        qtbot.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert window.screen_stack.currentIndex() == 0  # round to the first
        qtbot.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        assert window.current_screen() is last
        qtbot.keyClick(focused(), Qt.Key.Key_F1)
        qtbot.keyClick(focused(), Qt.Key.Key_F7, Qt.KeyboardModifier.ControlModifier)
        assert window.current_screen() is last


def test_a_short_window_scrolls_the_buttons_rather_than_clip_them(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    with nine_screens(qtbot, station, tmp_path) as window:
        window.setMinimumSize(0, 0)
        window.resize(QSize(1024, 520))  # far shorter than any counter screen: the
        qtbot.waitUntil(lambda: window.size() == QSize(1024, 520))  # window scrolls too
        qtbot.waitUntil(lambda: window.login.code_field.hasFocus())
        _log_in(qtbot, window)
        bar = window.sidebar.nav_area.verticalScrollBar()
        qtbot.waitUntil(bar.isVisible)
        qtbot.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        assert window.screen_stack.currentIndex() == 8
        qtbot.waitUntil(lambda: _in_sidebar(window, window.nav.button(8)))  # scrolled to
        assert not _in_sidebar(window, window.nav.button(0))


def _log_in(qtbot: QtBot, window: MainWindow) -> None:
    """Log in as the lead by keys: code, Enter, PIN, Enter."""
    type_keys(qtbot, "L200")
    type_keys(qtbot, "2222")
    qtbot.waitUntil(lambda: window.staff() is not None)
