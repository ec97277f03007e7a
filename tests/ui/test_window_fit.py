"""The window fits a 1024 x 768 and a 1366 x 768 screen: every screen, in its fullest state,
inside the window with no scroll bar and no button cut short, the status bar in view at
one height whatever it says, and the window never larger than the screen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QToolButton,
    QWidget,
)

from app.domain.fulfilment import FulfilmentState
from app.errors import KnownError
from app.services.results import StaffSession, StationStatus
from app.ui.main_window import MainWindow
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.printers import PrintersScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.statusbar import BAR_HEIGHT_PX, StationStatusBar
from app.ui.widgets import ElidedLabel, MessageLine, repolish
from app.ui.window_fit import WINDOW_SIZE, fitted_geometry
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, log_in, open_shell, scan, type_keys
from tests.ui.pickup_support import catalog_items, file_printing, place, state

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from app.services.station import Station

S = FulfilmentState
SIZES = [QSize(1024, 768), QSize(1366, 768)]
LONG_MESSAGE = KnownError(  # as long as the screens' messages get, three lines at 1024
    "Wrong item: Nilgiri Naturals Bluetooth Earbuds Blue (ELE-00013) is not in order "
    "WEB-240001. It needs 1 × Kaveri Basmati Rice 2 kg, 2 × Deccan Pressure Cooker 3 L.",
    next_step="Put it back on the shelf, then scan an item of the order.",
)


def misfits(window: MainWindow, size: QSize) -> list[str]:
    """What does not fit ``window`` at ``size``: empty when everything does."""
    for _ in range(3):  # a changed minimum travels up one level per pass
        QApplication.processEvents()
    said: list[str] = []
    if window.size() != size:
        said.append(f"the window grew from {size.toTuple()} to {window.size().toTuple()}")
    area = window.centralWidget()
    assert isinstance(area, QScrollArea)
    page = area.widget()
    assert page is not None
    for axis, bar in enumerate((area.horizontalScrollBar(), area.verticalScrollBar())):
        if bar.isVisible():
            least = page.minimumSizeHint().toTuple()
            said.append(f"a scroll bar shows: the page needs {least}: {neediest(area, axis)}")
    status = window.status
    if status.height() != BAR_HEIGHT_PX or status.geometry().bottom() >= window.height():
        said.append(f"the status bar is at {status.geometry().getRect()}")
    said.extend(cut_items(status))
    for widget in window.findChildren(QWidget):
        layout = widget.layout()
        if widget.isVisible() and layout is not None:
            need = layout.totalMinimumSize()
            if widget.width() < need.width() or widget.height() < need.height():
                said.append(
                    f"{type(widget).__name__} is squeezed to {widget.size().toTuple()}"
                    f" below its {need.toTuple()}"
                )
    for table in window.findChildren(QTableView):
        header = table.horizontalHeader()
        if table.isVisible() and table.model().rowCount() and header.length() > header.width():
            said.append(f"{table.accessibleName() or 'a table'} is cut: {columns(table)}")
    for button in window.findChildren(QAbstractButton):
        if isinstance(button, QToolButton):
            continue  # a line edit's clear button, drawn smaller than its hint
        if button.isVisible() and button.width() < button.sizeHint().width():
            said.append(f"button {button.text()!r} is cut to {button.width()} px")
    return said


def cut_items(bar: StationStatusBar) -> list[str]:
    """The status bar's items on show that are cut short ("…") or clipped mid-letter."""
    said = []
    for label in bar.findChildren(QLabel):
        if not label.isVisible():
            continue
        room = label.contentsRect().width()
        wanted = label.fontMetrics().horizontalAdvance(label.text())
        if label.width() < label.sizeHint().width() or wanted > room:
            said.append(f"status bar item {label.text()!r} is cut to {label.width()} px")
    return said


def columns(table: QTableView) -> str:
    header = table.horizontalHeader()
    model = table.model()
    widths = [
        f"{model.headerData(c, Qt.Orientation.Horizontal)} {header.sectionSize(c)}"
        for c in range(model.columnCount())
    ]
    return f"{', '.join(widths)} in {header.width()} px"


def neediest(area: QScrollArea, axis: int) -> str:
    """The chain of widgets that asks for the most room along ``axis`` (0 across, 1 down)."""
    chain = []
    widget: QWidget | None = area.widget()
    while widget is not None:
        need = widget.minimumSizeHint().toTuple()[axis]
        chain.append(
            f"{type(widget).__name__}{widget.objectName() and '#' + widget.objectName()} {need}"
        )
        stacked = isinstance(widget, QStackedWidget)  # counts its hidden pages too
        shown = [
            w
            for w in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if stacked or not w.isHidden()
        ]
        widget = max(shown, key=lambda w: w.minimumSizeHint().toTuple()[axis], default=None)
    return " > ".join(chain)


def fullest(window: MainWindow) -> None:
    """The message of the screen on show, and the status bar's, at their longest."""
    screen = window.current_screen() or window.login
    line = getattr(screen, "message", None)
    if isinstance(line, MessageLine):
        line.show_error(LONG_MESSAGE)
    window.status.showMessage(f"{LONG_MESSAGE} {LONG_MESSAGE.next_step}")


def opened(qtbot: QtBot, shell: Shell, size: QSize) -> None:
    shell.window.resize(size)
    qtbot.waitUntil(lambda: shell.window.size() == size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_screen_fits_with_its_longest_message(
    qtbot: QtBot, station: Station, size: QSize, tmp_path: Path
) -> None:
    with open_shell(qtbot, station, printing=file_printing(station, tmp_path)) as shell:
        window = shell.window
        opened(qtbot, shell, size)
        fullest(window)
        assert misfits(window, size) == []
        log_in(qtbot, shell, "L200", "2222")

        stock = window.current_screen()
        assert isinstance(stock, StockLookupScreen)
        type_keys(qtbot, "a")  # many items: the results list full
        qtbot.waitUntil(lambda: stock.shown_item() is not None)
        for i, _ in enumerate(window.screens):
            window.show_screen(i)
            qtbot.waitUntil(lambda: not shell.runner.is_busy())
            fullest(window)
            assert misfits(window, size) == [], type(window.current_screen()).__name__
        printers = next(s for s in window.screens if isinstance(s, PrintersScreen))
        window.show_screen(window.screens.index(printers))
        printers.show_bin_labels()
        qtbot.waitUntil(lambda: not shell.runner.is_busy())
        fullest(window)
        assert misfits(window, size) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_pickup_fits_a_partial_handover_of_many_lines(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger, size: QSize
) -> None:
    lines = catalog_items(ui_ledger, 1, 2, 3, 4, 7, 8)
    number = f"WEB-28{size.width()}"  # as long as the shop's order numbers
    fid = place(ui_ledger, number, [(sku, 1) for sku, _, _ in lines])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    for _, gtin, _ in lines:
        shell.station.pickup.pick(staff, fid, gtin)
    shell.station.pickup.stage(staff, fid, "H-20")
    shell.station.pickup.ready(staff, fid)
    window = shell.window
    opened(qtbot, shell, size)
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = window.current_screen()
    assert isinstance(screen, PickupScreen)
    type_keys(qtbot, number)
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    fullest(window)
    assert misfits(window, size) == []
    assert screen.queue.view.width() >= 200, "the queue shows its order numbers"

    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # the handover
    panel = screen.handover
    qtbot.waitUntil(panel.code_field.hasFocus)
    scan(qtbot, shell, "H-20")
    qtbot.waitUntil(panel.bin_checked)
    qtbot.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)  # the customer leaves a line: a reason
    qtbot.waitUntil(panel.reason.isVisible)
    qtbot.keyClick(focused(), Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # the first of the store's reasons
    fullest(window)
    assert misfits(window, size) == []
    assert screen.queue.view.width() >= 200


def test_a_window_opens_at_its_size_where_there_is_room_and_fills_a_small_screen() -> None:
    big = QRect(0, 0, 1920, 1040)
    placed, maximized = fitted_geometry(big)
    assert not maximized and placed.size() == WINDOW_SIZE and big.contains(placed)
    assert placed.center() == big.center()
    for free in (QRect(0, 0, 1366, 768), QRect(0, 0, 1024, 768), QRect(0, 28, 1366, 740)):
        placed, maximized = fitted_geometry(free)
        assert maximized and placed == free, free


def test_the_status_bar_keeps_its_height_and_its_sync_state_with_a_long_message(
    qtbot: QtBot, shell: Shell
) -> None:
    window = shell.window
    opened(qtbot, shell, QSize(1024, 768))
    status = window.status
    status.showMessage(" ".join(["Finish or close the open dialog before scanning."] * 4))
    QApplication.processEvents()
    assert status.height() == BAR_HEIGHT_PX and window.size() == QSize(1024, 768)
    for shown in (status.dot, status.sync, status.pending):
        assert shown.isVisible() and status.rect().contains(shown.geometry())
    assert not status.location.isVisible()  # steps aside for the message
    status.clearMessage()
    QApplication.processEvents()
    assert status.location.isVisible()
    bar_top = status.mapTo(window, QPoint(0, 0)).y()
    assert bar_top + status.height() <= window.height()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_status_bar_item_reads_whole_also_in_a_scan_flash(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    window = shell.window
    opened(qtbot, shell, size)
    qtbot.waitUntil(lambda: window.last_status is not None)  # the station's own has come
    status = window.status
    status.show_staff(
        StaffSession(1, "L200", "Lakshmi Nair Venkataraman", "lead", datetime.now(UTC))
    )
    # a status at its longest: offline, sync paused, many waiting, exceptions open
    status.show_status(
        StationStatus(
            enrolled=True, location_code="BLR-01", location_name="Bengaluru Koramangala",
            station_name="Counter 1 by the door", station_kind="counter", online=False,
            pending_ops=128, oldest_pending_age_s=7_500.0, last_sync_at=None, cursor=5,
            open_exceptions=12, last_error="", sync_note="another process syncs",
        )
    )  # fmt: skip
    for flash in ("", "ok", "failed"):
        status.setProperty("scan", flash)
        repolish(status)
        QApplication.processEvents()
        assert cut_items(status) == [], flash
        shown = [w.text() for w in (status.sync, status.pending, status.exceptions)]
        assert all(w.isVisible() for w in (status.sync, status.pending, status.exceptions))
        assert shown == ["Offline, sync paused", "128 to send, oldest 2 h 5 min", "12 exceptions"]
        assert status.last_sync.isVisible() and status.last_sync.text() == "Never synced"
    assert status.location.text().startswith("BLR-01") and status.location.isVisible()
    if size.width() == 1024:  # no room for the names: the sidebar names the staff
        assert status.location.text() == "BLR-01"
        assert not status.staff.isVisible() and not status.station.isVisible()


def test_labels_give_up_width_before_the_window_grows(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    name = ElidedLabel("BLR-01 Bengaluru Koramangala, the store at the corner")
    name.setParent(holder)
    assert name.minimumSizeHint().width() < name.sizeHint().width() // 2
    name.resize(name.minimumSizeHint())
    assert name.is_elided() and name.text().endswith("corner")
