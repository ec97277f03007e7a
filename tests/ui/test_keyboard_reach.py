"""Every enabled control on every screen and dialog can be reached with Tab, and Tab never
stays stuck in one place; after an action the cursor is where the next one starts.

The walk is generic: it lists the widgets a person could Tab to (shown, enabled, taking
Tab focus) by walking the widget tree, presses Tab from where the cursor is, and records
where the focus goes. A screen or a dialog added later is walked the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from app.domain.fulfilment import FulfilmentState
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.printers import PrintersScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.ui.conftest import Shell, focused, log_in, open_shell, scan, type_keys
from tests.ui.pickup_support import catalog_items, file_printing, place, state
from tests.ui.test_shelf_reprints import pull_new_prices

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from app.services.station import Station

S = FulfilmentState


def reachable(root: QWidget) -> list[QWidget]:
    """The widgets in ``root``'s window a person could put the cursor on with Tab."""
    return [
        widget
        for widget in [root, *root.findChildren(QWidget)]
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.isVisible()
        and widget.isEnabled()
        and widget.focusProxy() is None
        and widget.window() is root.window()
    ]


def tab_walk(qtbot: QtBot, presses: int) -> list[QWidget]:
    """Press Tab ``presses`` times where the cursor is; where it went each time."""
    went = []
    for _ in range(presses):
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        went.append(focused())
    return went


def same_choice(a: QWidget, b: QWidget) -> bool:
    """Radio buttons of one choice are one Tab stop (arrows move between them)."""
    return (
        isinstance(a, QRadioButton)
        and isinstance(b, QRadioButton)
        and a.parentWidget() is b.parentWidget()
        and a.autoExclusive()
        and b.autoExclusive()
    )


def name(widget: QWidget) -> str:
    said = widget.accessibleName()
    if not said and isinstance(widget, QAbstractButton):
        said = widget.text()
    if not said and isinstance(widget, QLineEdit):
        said = widget.placeholderText()
    return f"{type(widget).__name__} {said!r}"


def unreached(qtbot: QtBot, root: QWidget) -> list[str]:
    """The controls in ``root`` that Tab does not reach from where the cursor is (empty
    when Tab goes round every one of them)."""
    want = reachable(root)
    assert want, f"nothing to reach in {name(root)}"
    start = focused()
    went = tab_walk(qtbot, 2 * len(want) + 2)
    start.setFocus()  # back where the walk began
    assert all(w.window() is root.window() for w in went), "Tab left the window"
    return [name(w) for w in want if not any(w is g or same_choice(w, g) for g in went)]


def in_window(window: QWidget) -> bool:
    """Whether the cursor is somewhere in ``window``."""
    widget = QApplication.focusWidget()
    return widget is not None and widget.window() is window


def settled(qtbot: QtBot, shell: Shell) -> None:
    qtbot.waitUntil(lambda: not shell.runner.is_busy())
    QApplication.processEvents()


def test_tab_reaches_every_control_of_every_screen(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    pull_new_prices(station, 1)  # Stock lookup shows its reprints bar ("Print all")
    with open_shell(qtbot, station, printing=file_printing(station, tmp_path)) as shell:
        window = shell.window
        assert unreached(qtbot, window.login) == []
        log_in(qtbot, shell, "L200", "2222")  # a lead: every action enabled
        stock = window.current_screen()
        assert isinstance(stock, StockLookupScreen) and stock.reprints is not None
        qtbot.waitUntil(stock.reprints.isVisible)
        assert stock.reprints.print_button in reachable(window)
        type_keys(qtbot, "GRO-00001")
        qtbot.waitUntil(lambda: stock.shown_item() is not None)
        for i, screen in enumerate(window.screens):
            window.show_screen(i)
            settled(qtbot, shell)
            assert unreached(qtbot, window) == [], type(screen).__name__
            if isinstance(screen, PrintersScreen):
                screen.show_bin_labels()
                settled(qtbot, shell)
                assert unreached(qtbot, window) == [], "bin labels"


def test_tab_reaches_every_control_of_every_dialog(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    with open_shell(qtbot, station, printing=file_printing(station, tmp_path)) as shell:
        log_in(qtbot, shell, "L200", "2222")
        stock = shell.window.current_screen()
        assert isinstance(stock, StockLookupScreen)
        type_keys(qtbot, "GRO-00001")
        qtbot.waitUntil(lambda: stock.shown_item() is not None)

        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: stock.count_dialog is not None)
        count = stock.count_dialog
        assert count is not None
        qtbot.waitUntil(lambda: in_window(count))
        assert unreached(qtbot, count) == []
        count.reject()
        qtbot.waitUntil(lambda: stock.count_dialog is None)
        qtbot.waitUntil(lambda: in_window(shell.window))

        qtbot.keyClick(focused(), Qt.Key.Key_F8)
        qtbot.waitUntil(lambda: stock.label_dialog is not None)
        preview = stock.label_dialog
        assert preview is not None
        qtbot.waitUntil(preview.print_button.isEnabled)
        qtbot.waitUntil(lambda: in_window(preview))
        assert unreached(qtbot, preview) == []
        preview.reject()
        qtbot.waitUntil(lambda: stock.label_dialog is None)


def test_tab_reaches_every_control_of_a_pickup_order_its_handover_and_its_short_dialog(
    qtbot: QtBot, shell: Shell, ui_ledger: object
) -> None:
    from tests.support.ledger import RunningLedger

    assert isinstance(ui_ledger, RunningLedger)
    (a, a_gtin, _), (b, b_gtin, _) = catalog_items(ui_ledger, 9, 19)
    placed = place(ui_ledger, "WEB-UI-901", [(a, 1), (b, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    window = shell.window
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = window.current_screen()
    assert isinstance(screen, PickupScreen)
    type_keys(qtbot, "WEB-UI-901")
    qtbot.waitUntil(lambda: state(screen) is S.ACCEPTED)
    settled(qtbot, shell)
    assert unreached(qtbot, window) == [], "picking"

    screen.detail.step_field.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_F7)  # mark a line short: asks first
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(lambda: in_window(dialog))
    assert unreached(qtbot, dialog) == []
    dialog.reject()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    qtbot.waitUntil(lambda: in_window(window))

    for code in (a_gtin, b_gtin, "H-21"):
        scan(qtbot, shell, code)
        settled(qtbot, shell)
    qtbot.waitUntil(lambda: state(screen) is S.STAGED)
    screen.detail.step_field.setFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # the handover
    qtbot.waitUntil(screen.handover.code_field.hasFocus)
    settled(qtbot, shell)
    assert unreached(qtbot, window) == [], "handover"


def test_after_a_handover_the_next_keys_go_to_the_step_field(
    qtbot: QtBot, shell: Shell, ui_ledger: object
) -> None:
    """A quantity keyed after a handover (``2*`` for the next customer's scan) lands where
    quantities are read, not in the search box."""
    from tests.support.ledger import RunningLedger

    assert isinstance(ui_ledger, RunningLedger)
    ((a, a_gtin, _),) = catalog_items(ui_ledger, 25)
    placed = place(ui_ledger, "WEB-UI-902", [(a, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, a_gtin)
    shell.station.pickup.stage(staff, fid, "H-22")
    shell.station.pickup.ready(staff, fid)
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = shell.window.current_screen()
    assert isinstance(screen, PickupScreen)
    scan(qtbot, shell, placed["pickup_qr"])  # the customer's QR: the handover, verified
    qtbot.waitUntil(lambda: screen.right.currentWidget() is screen.handover)
    scan(qtbot, shell, "H-22")
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(screen.handover.confirm_button.isEnabled)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: state(screen) is S.COLLECTED)
    settled(qtbot, shell)

    assert focused() is screen.detail.step_field
    type_keys(qtbot, "2*", enter=False)
    assert screen.detail.step_field.text() == "2*"
    assert screen.search.text() != "2*" and "2*" not in screen.search.text()


def test_the_keyboard_walk_finds_a_trap(qtbot: QtBot) -> None:
    """The walk itself: a table that keeps Tab for its cells is reported as a trap."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QPushButton, QTableView, QVBoxLayout

    page = QWidget()
    qtbot.addWidget(page)
    table = QTableView()
    model = QStandardItemModel(3, 3, page)
    table.setModel(model)
    after = QPushButton("Resolve")
    layout = QVBoxLayout(page)
    layout.addWidget(table)
    layout.addWidget(after)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    table.setFocus()
    table.setCurrentIndex(model.index(0, 0))
    qtbot.waitUntil(table.hasFocus)
    assert unreached(qtbot, page) == ["QPushButton 'Resolve'"]
    table.setTabKeyNavigation(False)
    assert unreached(qtbot, page) == []
