"""The bench's questions walked by keys, as ``test_keyboard_reach`` walks every screen and
dialog: the picker chooser (Alt+A on the Ship queue), the lead's weight override (F7 on
Pack, a weight out of range) and the reject reason (F8 on Batch pick). Tab reaches every
control and never sticks, the keys alone answer each, and each fits a 1024 x 768 and a
1366 x 768 window whole."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget

from app.domain.shipping.weights import OVERRIDE_REASONS
from app.ui.screens.bench.pack_dialogs import LeadDialog
from app.ui.screens.bench.picker_dialog import PickerDialog
from app.ui.screens.bench.queue import BenchQueueScreen
from tests.ui.conftest import Shell, focused, log_in, scan, type_keys
from tests.ui.test_bench_pack import NUMBER, order_to_pack, packs, to_pack_screen
from tests.ui.test_bench_pick import _orders, _pick_stop, _to_batch
from tests.ui.test_keyboard_reach import in_window, settled, unreached
from tests.ui.test_window_fit import SIZES, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

ALT = Qt.KeyboardModifier.AltModifier


def dialog_misfits(dialog: QDialog, size: QSize) -> list[str]:
    """What of ``dialog`` does not fit a window of ``size``: the dialog larger than it,
    squeezed below what its layout needs, or a one-line label cut short."""
    QApplication.processEvents()
    said = []
    if dialog.width() > size.width() or dialog.height() > size.height():
        said.append(f"{dialog.windowTitle()} is {dialog.size().toTuple()}")
    layout = dialog.layout()
    assert layout is not None
    need = layout.totalMinimumSize()
    if dialog.width() < need.width() or dialog.height() < need.height():
        said.append(f"squeezed to {dialog.size().toTuple()} below {need.toTuple()}")
    for text in dialog.findChildren(QLabel):
        if text.isVisible() and not text.wordWrap() and text.width() < text.sizeHint().width():
            said.append(f"'{text.text()[:40]}' is cut to {text.width()} px")
    return said


def _open_dialog(qtbot: QtBot) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(lambda: in_window(dialog))
    return dialog


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_picker_chooser_is_walked_and_answered_by_keys(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    _orders(shell.station, (0, 1), (1, 2))
    opened(qtbot, shell, size)
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    queue = shell.window.current_screen()
    assert isinstance(queue, BenchQueueScreen)
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0 and queue.view.hasFocus())
    qtbot.keyClick(focused(), Qt.Key.Key_A, ALT)
    dialog = _open_dialog(qtbot)
    assert isinstance(dialog, PickerDialog) and dialog.choices.hasFocus()
    assert unreached(qtbot, dialog) == []
    assert dialog_misfits(dialog, size) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    chosen = dialog.chosen()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: queue.dialog is None and queue.view.hasFocus())
    assert chosen
    qtbot.waitUntil(lambda: " picks " in queue.message.text())
    qtbot.waitUntil(lambda: queue.model.rows()[0].picker_code == chosen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_lead_override_is_walked_and_answered_by_keys(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    (_, a_gtin, _), (_, b_gtin, _), _ = order_to_pack(shell.station)
    opened(qtbot, shell, size)
    screen = to_pack_screen(qtbot, shell)
    scan(qtbot, shell, NUMBER)
    qtbot.waitUntil(lambda: screen.view_shown is not None and screen.weight.hasFocus())
    for code in (a_gtin, a_gtin, b_gtin):
        scan(qtbot, shell, code)
        settled(qtbot, shell)
    scan(qtbot, shell, "ST,GS,+009.500kg")  # the scale: far too heavy
    qtbot.waitUntil(lambda: "expected" in screen.message.text())
    qtbot.keyClick(focused(), Qt.Key.Key_F7)
    dialog = _open_dialog(qtbot)
    assert isinstance(dialog, LeadDialog) and dialog.code.hasFocus()
    assert unreached(qtbot, dialog) == []
    assert dialog_misfits(dialog, size) == []
    type_keys(qtbot, "L200")
    type_keys(qtbot, "2222")
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # the second reason
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(packs(shell.station)) == 1)
    assert packs(shell.station)[0]["override"] == {
        "lead": "L200",
        "reason": list(OVERRIDE_REASONS)[1],
    }
    qtbot.waitUntil(lambda: screen.dialog is None and screen.weight.hasFocus())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_reject_reason_is_walked_and_answered_by_keys(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    items = _orders(shell.station, (0, 1), (1, 1))
    opened(qtbot, shell, size)
    screen = _to_batch(qtbot, shell, marked=2)
    view = screen.shown()
    while view is not None and not view.done:
        assert view.current is not None
        if view.current.sku != items[1][1]:
            view = _pick_stop(qtbot, shell, screen)
            continue
        qtbot.keyClick(focused(), Qt.Key.Key_F7)
        before = screen.shown()
        type_keys(qtbot, "0")
        qtbot.waitUntil(lambda: screen.shown() is not before)  # noqa: B023
        view = screen.shown()
    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.reasons.choices.hasFocus())
    settled(qtbot, shell)
    window: QWidget = shell.window
    assert unreached(qtbot, window) == []
    assert misfits(shell.window, size) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    reason = screen.reasons.choices.currentItem().text()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: f"rejected: {reason}" in screen.message.text())
    assert screen.card.hasFocus()
