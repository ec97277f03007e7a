"""Shelf labels from Stock lookup (F8): preview, print to a TCP 9100 printer, reprint,
and a refused printer that says so and offers retry or save as PDF."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.domain.labels import LabelKind
from app.labels.profiles import BUILT_IN
from app.services.station import Station
from app.ui.label_preview import LabelPreviewDialog
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.labels.listener import PrinterListener, refused_port
from tests.ui.conftest import Shell, log_in, open_shell, tcp_printing, type_keys

SKU = "GRO-00001"
WAIT_MS = 10_000


def _open_shelf_label(qtbot: QtBot, shell: Shell) -> LabelPreviewDialog:
    """Log in, find the item by SKU, press F8; returns the preview once it is drawn."""
    if shell.window.staff() is None:
        log_in(qtbot, shell)
    screen = shell.window.current_screen()
    assert isinstance(screen, StockLookupScreen)
    qtbot.waitUntil(screen.search.hasFocus)
    type_keys(qtbot, SKU)
    qtbot.waitUntil(lambda: screen.shown_item() is not None, timeout=WAIT_MS)
    assert screen.shelf_label_button.isVisible() and screen.shelf_label_button.isEnabled()
    qtbot.keyClick(screen.results_view, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.label_dialog is not None, timeout=WAIT_MS)
    dialog = screen.label_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=WAIT_MS)
    return dialog


def test_f8_previews_prints_and_reprints_the_shelf_label(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    item = station.stock.item_stock(station.stock.lookup(SKU)[0].item_id).item
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        dialog = _open_shelf_label(qtbot, shell)
        assert item.gtin in dialog.title.text()
        assert "counter-shelf" in dialog.details.text() and "203 dpi" in dialog.details.text()
        first = dialog.pages.itemAt(0)
        assert first is not None
        shown = first.widget()
        assert isinstance(shown, QLabel)
        page = shown.pixmap()
        shelf = BUILT_IN["shelf-50x30-203"]
        assert (page.width(), page.height()) == (shelf.width, shelf.height)  # 1 px per dot
        assert not dialog.reprint_button.isEnabled()
        with qtbot.waitSignal(dialog.printed, timeout=WAIT_MS) as printed:
            dialog.print_button.click()
        assert printed.args[0].reprint is False
        (job,) = printer.wait_for_jobs(1)
        assert b"^XA\n^CI28" in job and b"^BE" in job and item.gtin[:12].encode() in job
        assert item.sku.encode() in job

        dialog.close_button.click()
        screen = shell.window.current_screen()
        assert isinstance(screen, StockLookupScreen)
        qtbot.waitUntil(lambda: screen.label_dialog is None)

        again = _open_shelf_label(qtbot, shell)
        assert "Printed once before" in again.message.text()
        assert again.reprint_button.isEnabled()
        with qtbot.waitSignal(again.printed, timeout=WAIT_MS) as reprinted:
            again.reprint_button.click()
        assert reprinted.args[0].reprint is True
        assert "Reprinted" in again.message.text()
        assert len(printer.wait_for_jobs(2)) == 2

    history = printing.history(item.gtin)
    assert [(j.kind, j.status, j.reprint, j.staff_code) for j in history] == [
        (str(LabelKind.SHELF), "printed", False, "A100"),
        (str(LabelKind.SHELF), "printed", True, "A100"),
    ]


def test_refused_printer_says_so_and_offers_retry_or_pdf(
    qtbot: QtBot, station: Station, tmp_path: Path
) -> None:
    item = station.stock.item_stock(station.stock.lookup(SKU)[0].item_id).item
    printing = tcp_printing(station, f"127.0.0.1:{refused_port()}")
    with open_shell(qtbot, station, printing=printing) as shell:
        dialog = _open_shelf_label(qtbot, shell)
        with qtbot.waitSignal(dialog.print_failed, timeout=WAIT_MS):
            dialog.print_button.click()
        assert "refused the connection" in dialog.message.text()
        assert "save the label as PDF" in dialog.message.text()
        assert dialog.message.tone() == "error"
        assert dialog.print_button.text() == "Retry" and dialog.print_button.isEnabled()
        with qtbot.waitSignal(dialog.print_failed, timeout=WAIT_MS):
            dialog.print_button.click()  # retry: still refused, and recorded again
        target = tmp_path / "shelf.pdf"
        dialog.save_pdf_to(target)
        qtbot.waitUntil(lambda: "Saved as" in dialog.message.text(), timeout=WAIT_MS)
        assert target.read_bytes().startswith(b"%PDF")
    failed = printing.history(item.gtin)
    assert [j.status for j in failed] == ["failed", "failed"]
    assert all("refused" in j.error for j in failed)


def test_without_printing_there_is_no_shelf_label_action(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    screen = shell.window.current_screen()
    assert isinstance(screen, StockLookupScreen)
    assert not screen.shelf_label_button.isVisible()
    qtbot.keyClick(screen.search, Qt.Key.Key_F8)
    assert screen.label_dialog is None
