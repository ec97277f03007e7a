"""Stock lookup by scan and by typing, and a count by keys that lands in the outbox."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.services.results import ItemStock
from app.storage.models import OutboxOp
from app.ui.models import signed
from app.ui.screens.count_dialog import CountDialog
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.support.counting import count_settled
from tests.ui.conftest import Shell, focused, log_in, scan, type_keys

SKU = "GRO-00001"
BOOK = 347  # a book quantity no other figure on screen has


def _screen(shell: Shell) -> StockLookupScreen:
    screen = shell.window.current_screen()
    assert isinstance(screen, StockLookupScreen)
    return screen


def _shown(screen: StockLookupScreen) -> ItemStock:
    shown = screen.shown_item()
    assert shown is not None, "no item on screen"
    return shown


def test_scanned_gtin_shows_the_item_and_its_buckets(qtbot: QtBot, shell: Shell) -> None:
    expected = shell.station.stock.item_stock(shell.station.stock.lookup(SKU)[0].item_id)
    log_in(qtbot, shell)
    screen = _screen(shell)
    qtbot.waitUntil(screen.search.hasFocus)
    scan(qtbot, shell, expected.item.gtin)
    qtbot.waitUntil(lambda: screen.shown_item() is not None)
    assert screen.search.text() == expected.item.gtin
    assert screen.item_title.text() == expected.item.name
    assert expected.item.sku in screen.item_meta.text()
    sellable = expected.buckets[0]
    row = [screen.buckets.index(0, c).data() for c in range(4)]
    assert row == [
        "Sellable",
        str(sellable.on_hand),
        str(sellable.reserved),
        str(sellable.available),
    ]
    assert screen.nearby.rowCount() == len(expected.nearby) > 0
    first = expected.nearby[0]
    assert screen.nearby.index(0, 0).data() == first.location_code
    assert shell.window.feedback.last == "ok"


def test_unknown_scan_says_nothing_was_found(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    screen = _screen(shell)
    scan(qtbot, shell, "4006381333931")
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert "Nothing found" in screen.message.text()
    assert shell.window.feedback.last == "failed"
    assert screen.shown_item() is None


def test_typed_name_lists_results_to_choose_from(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    screen = _screen(shell)
    name_word = shell.station.stock.lookup(SKU)[0].name.split()[0]
    type_keys(qtbot, name_word)
    qtbot.waitUntil(lambda: screen.shown_item() is not None)
    assert screen.results.rowCount() >= 1
    assert all(name_word.lower() in r.name.lower() for r in screen.results.rows())
    if screen.results.rowCount() > 1:
        second = screen.results.row_at(1)
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: _shown(screen).item.item_id == second.item_id)


def _open_count(qtbot: QtBot, shell: Shell) -> tuple[StockLookupScreen, CountDialog, int]:
    """Log in, show SKU, press F9: the screen, its count dialog and the book figure."""
    log_in(qtbot, shell)
    screen = _screen(shell)
    type_keys(qtbot, SKU)
    qtbot.waitUntil(lambda: screen.shown_item() is not None)
    book = _shown(screen).buckets[0].on_hand
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: screen.count_dialog is not None and screen.count_dialog.isVisible())
    dialog = screen.count_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.quantity)
    return screen, dialog, book


def _dialog_texts(dialog: CountDialog) -> str:
    return " ".join(w.text() for w in dialog.findChildren(QLabel) if w.isVisible())


def test_count_by_keys_is_saved_to_the_outbox(qtbot: QtBot, shell: Shell) -> None:
    status = shell.station.status
    assert status.status().pending_ops == 0
    screen, dialog, book = _open_count(qtbot, shell)
    assert dialog.quantity.text() == ""  # a blind count: the book is not filled in
    assert str(book) not in _dialog_texts(dialog).split()  # nor shown
    observed = book + 1  # near the book: saved at once
    type_keys(qtbot, str(observed))

    qtbot.waitUntil(lambda: screen.message.tone() == "ok")
    assert "Count saved on this station" in screen.message.text()
    assert "next sync" in screen.message.text()
    assert screen.count_dialog is None
    assert status.status().pending_ops == 1
    qtbot.waitUntil(lambda: screen.buckets.index(0, 1).data() == str(observed))
    assert screen.buckets.index(0, 4).data() == signed(1)
    summary = screen.results.row_at(0)
    assert summary.sellable_available == _shown(screen).item.sellable_available
    qtbot.waitUntil(lambda: "1 to send" in shell.window.status.pending.text())


def test_a_count_far_from_the_book_is_counted_again_blind_then_explained(
    qtbot: QtBot, shell: Shell
) -> None:
    screen, dialog, book = _open_count(qtbot, shell)
    far = book + 50
    type_keys(qtbot, str(far))
    qtbot.waitUntil(lambda: "again" in dialog.hint.text())
    assert dialog.quantity.text() == "" and dialog.quantity.hasFocus()  # the first is hidden
    assert str(far) not in _dialog_texts(dialog).split()
    assert shell.station.status.status().pending_ops == 0

    type_keys(qtbot, str(far - 1))  # the second count, still far from the book
    qtbot.waitUntil(lambda: dialog.reason.isVisible() and dialog.reason.hasFocus())
    assert dialog.reason.count() >= 2 and dialog.reason.currentData() == "miscounted_before"
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # the next reason, chosen by keys
    chosen, words = dialog.reason.currentData(), dialog.reason.currentText()
    qtbot.keyClick(focused(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: screen.message.tone() == "ok")
    assert screen.count_dialog is None
    assert words in screen.message.text()
    with shell.station.db.reading() as session:
        (op,) = session.scalars(select(OutboxOp)).all()
    assert op.payload["observed"] == far - 1
    assert (op.payload["first_count"], op.payload["reason"]) == (far, chosen)


def _window_texts(shell: Shell) -> list[str]:
    """Every word a person can read in the main window: labels, fields, buttons, headers and
    the cells of every table, of the widgets that show."""
    texts: list[str] = []
    for w in shell.window.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QAbstractItemView) and (model := w.model()) is not None:
            for row in range(model.rowCount()):
                for column in range(model.columnCount()):
                    texts.append(str(model.index(row, column).data()))
    return " ".join(texts).split()


def test_the_window_behind_a_blind_count_shows_no_book(qtbot: QtBot, shell: Shell) -> None:
    staff = shell.station.auth.login_pin("A100", "1111")
    count_settled(shell.station.stock, staff, SKU, BOOK)  # the book here is now 347
    screen, dialog, book = _open_count(qtbot, shell)
    assert book == BOOK
    assert str(BOOK) not in _window_texts(shell)
    assert str(BOOK) not in _dialog_texts(dialog).split()

    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # cancelled: the figures are back
    qtbot.waitUntil(lambda: screen.count_dialog is None)
    assert str(BOOK) in _window_texts(shell)


def test_tab_reaches_every_control_of_the_count_dialog(qtbot: QtBot, shell: Shell) -> None:
    _screen_, dialog, _book = _open_count(qtbot, shell)
    type_keys(qtbot, "1", enter=False)  # Save is enabled once there is a number
    reached = []
    for _ in range(8):
        reached.append(focused())
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    wanted = [dialog.quantity, dialog.less, dialog.more, dialog.bucket, dialog.save, dialog.cancel]
    assert all(w in reached for w in wanted)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: _screen_.count_dialog is None)


def test_cancelled_count_saves_nothing(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    screen = _screen(shell)
    type_keys(qtbot, SKU)
    qtbot.waitUntil(lambda: screen.shown_item() is not None)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: screen.count_dialog is not None and screen.count_dialog.isVisible())
    dialog = screen.count_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.quantity)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: screen.count_dialog is None)
    assert shell.station.status.status().pending_ops == 0
    qtbot.waitUntil(screen.search.hasFocus)
