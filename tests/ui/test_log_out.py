"""The next person at the counter sees nothing of the last one.

User A verifies a customer's pickup code and scans the bin, walks away, is warned and
then logged out for idling; user B logs in and finds no open order, no "Code checked",
no typed text and no messages. Every screen is walked widget by widget after a log-out
and compared with how it was built, so a screen (or a field added to one) that forgets
to forget fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import PickupOp
from app.services.station import Station
from app.ui.main_window import MainWindow
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.widgets import MessageLine
from tests.support.ledger import RunningLedger
from tests.ui.conftest import focused, log_in, open_shell, scan, type_keys
from tests.ui.pickup_support import file_printing, items, outbox_types, place, state
from tests.ui.test_shelf_reprints import pull_new_prices

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
IDLE_S = 6.0  # the countdown is its last half: 3 s
WAIT_MS = 15_000
A_TEXT = "typed by A"


def what_shows(window: MainWindow) -> list[tuple[str, object]]:
    """Everything a person reads or fills on the screens (not in dialogs), in order."""
    shown: list[tuple[str, object]] = []
    for screen in window.screens:
        for w in [screen, *screen.findChildren(QWidget)]:
            if w.window() is not window:
                continue  # a dialog: it must be closed, see the tests
            name = f"{type(screen).__name__}/{type(w).__name__}"
            if isinstance(w, QLineEdit):
                shown.append((name, w.text()))
            elif isinstance(w, QTextEdit | QPlainTextEdit):
                shown.append((name, w.toPlainText()))
            elif isinstance(w, QLabel):
                shown.append((name, (w.text(), w.isHidden())))
            elif isinstance(w, QAbstractButton):
                shown.append((name, (w.text(), w.isChecked())))
            elif isinstance(w, QComboBox):
                shown.append((name, (w.currentIndex(), w.count())))
            elif isinstance(w, QStackedWidget | QTabWidget):
                shown.append((name, w.currentIndex()))
            elif isinstance(w, QAbstractItemView):
                model = w.model()
                shown.append((name, model.rowCount() if model is not None else -1))
    return shown


def open_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _ready_order(station: Station, ui_ledger: RunningLedger, number: str, bin_code: str) -> dict:
    ((a, a_gtin),) = items(ui_ledger, 26)
    placed = place(ui_ledger, number, [(a, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()  # pulls the order; nothing to push yet
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    station.pickup.stage(staff, fid, bin_code)
    station.pickup.ready(staff, fid)
    return {**placed, "gtin": a_gtin}


def test_a_verifies_a_code_is_idled_out_and_b_sees_nothing_of_it(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    placed = _ready_order(station, ui_ledger, "WEB-UI-341", "H-16")
    with open_shell(qtbot, station, idle_s=IDLE_S) as shell:
        window = shell.window
        log_in(qtbot, shell, "A100", "1111")
        qtbot.keyClick(focused(), Qt.Key.Key_F3)
        screen = window.current_screen()
        assert isinstance(screen, PickupScreen)
        qtbot.waitUntil(screen.search.hasFocus)
        type_keys(qtbot, "WEB-UI-341")
        qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
        qtbot.waitUntil(screen.detail.step_field.hasFocus)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # hand over: verify first
        panel = screen.handover
        qtbot.waitUntil(panel.code_field.hasFocus)
        type_keys(qtbot, placed["pickup_code"])
        qtbot.waitUntil(panel.code_verified)
        scan(qtbot, shell, "H-16")
        qtbot.waitUntil(panel.bin_checked)
        assert "Code checked" in panel.verify.code_state.text()
        assert window.staff() is not None, "A was logged out while still working"

        # A walks away: first the countdown, which any key cancels
        banner = window.idle_banner
        qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
        assert "press any key to stay" in banner.text() and "Logging out in" in banner.text()
        qtbot.keyClick(focused(), Qt.Key.Key_Shift)
        assert not banner.isVisible()
        assert window.staff() is not None and panel.code_verified()
        # ... then, no key again: the countdown runs out
        qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.staff() is None, timeout=WAIT_MS)
        assert window.pages.currentWidget() is window.login
        assert "not used for a while" in window.login.message.text()
        assert not banner.isVisible()

        log_in(qtbot, shell, "L200", "2222")  # B
        qtbot.keyClick(focused(), Qt.Key.Key_F3)
        assert window.current_screen() is screen
        qtbot.waitUntil(screen.search.hasFocus)
        assert screen.open_order() is None
        assert screen.right.currentWidget() is screen.detail
        assert panel.order_id() is None and not panel.code_verified()
        assert not panel.bin_checked()
        assert (screen.search.text(), panel.code_field.text()) == ("", "")
        assert screen.message.isHidden()
        everything = " ".join(str(value) for _, value in what_shows(window))
        assert "Code checked" not in everything and "WEB-UI-341" not in everything
        assert "H-16" not in everything

        scan(qtbot, shell, placed["gtin"])  # B's scan of the last item hands nothing over
        qtbot.waitUntil(lambda: screen.message.tone() != "")
        assert PickupOp.HANDOVER not in outbox_types(shell)


def test_every_screen_is_as_built_after_a_log_out(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    """Fill every field and message line of every screen, open a dialog, log out with
    F12: each screen is as it was built, and no dialog is left open."""
    printing = file_printing(station, tmp_path / "labels")
    with open_shell(qtbot, station, printing=printing) as shell:
        window = shell.window
        built = what_shows(window)
        log_in(qtbot, shell, "L200", "2222")
        for index in range(len(window.screens)):  # each screen shown (and loaded) once
            window.show_screen(index)
        qtbot.waitUntil(lambda: not shell.runner.is_busy())
        for screen in window.screens:
            for field in screen.findChildren(QLineEdit):
                if field.isEnabled() and not field.isReadOnly():
                    field.setText(A_TEXT)
            for line in screen.findChildren(MessageLine):
                line.show_info(f"Said to A: {A_TEXT}")
        assert what_shows(window) != built

        stock = window.screens[0]
        assert isinstance(stock, StockLookupScreen) and stock.reprints is not None
        pull_new_prices(shell.station, 1)  # the reprints bar shows: a log-out hides it
        window.show_screen(0)
        qtbot.waitUntil(stock.search.hasFocus)
        qtbot.waitUntil(stock.reprints.isVisible)
        type_keys(qtbot, "GRO-00001")
        qtbot.waitUntil(lambda: stock.shown_item() is not None)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # the count dialog
        qtbot.waitUntil(lambda: stock.count_dialog is not None and stock.count_dialog.isVisible())
        dialog = stock.count_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.quantity)
        type_keys(qtbot, "7", enter=False)  # the dialog has the keys

        qtbot.keyClick(focused(), Qt.Key.Key_F12)
        qtbot.waitUntil(lambda: not open_dialogs())
        qtbot.waitUntil(lambda: stock.count_dialog is None)
        assert window.staff() is None and window.pages.currentWidget() is window.login
        assert what_shows(window) == built
        assert shell.station.status.status().pending_ops == 0, "the dialog saved nothing"
