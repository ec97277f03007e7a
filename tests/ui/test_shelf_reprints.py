"""Shelf labels to reprint after price changes, on Stock lookup: the count after a pulled
price change, Shift+F8 prints them all on the shelf printer, the row goes; it fits 1024."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from app.services.station import Station
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import SCOPE_COLUMNS, Scope
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.labels.listener import PrinterListener
from tests.ui.conftest import focused, log_in, open_shell, tcp_printing
from tests.ui.test_window_fit import misfits, opened

WAIT_MS = 10_000


def pull_new_prices(station: Station, items: int) -> None:
    """Catalog changes raising the first items' prices by ₹10, applied as a pull does."""
    columns = SCOPE_COLUMNS[Scope.CATALOG]
    with station.db.writing() as session:
        conn = raw_connection(session)
        rows = conn.execute(
            f"SELECT {', '.join(columns)} FROM items ORDER BY id LIMIT ?", (items,)
        ).fetchall()
        changes = []
        for values in rows:
            row = dict(zip(columns, values, strict=True))
            row["price_minor"] += 1000
            changes.append((Scope.CATALOG, str(row["id"]), row))
        mirror.apply_changes(conn, changes)


def test_shift_f8_prints_the_shelf_labels_of_changed_prices(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    pull_new_prices(station, 2)
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        opened(qtbot, shell, QSize(1024, 768))
        log_in(qtbot, shell, "L200", "2222")
        screen = shell.window.current_screen()
        assert isinstance(screen, StockLookupScreen) and screen.reprints is not None
        bar = screen.reprints
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        assert bar.count_label.text() == "Prices changed: 2 shelf labels show an old price."
        assert misfits(shell.window, QSize(1024, 768)) == []

        qtbot.keyClick(focused(), Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)

        jobs = printer.wait_for_jobs(1)
        qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
        assert jobs[0].count(b"^XA") == 2  # both labels, one job
        assert "2 shelf label(s): Printed on counter-shelf" in screen.message.text()
        assert printing.shelf_reprints_count() == 0


def test_labels_already_reprinted_elsewhere_are_said_and_the_row_goes(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    """The failed path: the list emptied after the count was read (printed from another
    window), so Shift+F8 is refused with what happened, and the row is counted again."""
    pull_new_prices(station, 1)
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        screen = shell.window.current_screen()
        assert isinstance(screen, StockLookupScreen) and screen.reprints is not None
        bar = screen.reprints
        qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
        staff = station.auth.login_pin("L200", "2222")
        printing.print_shelf_reprints(staff)  # the count on screen is now out of date
        printer.wait_for_jobs(1)

        qtbot.keyClick(focused(), Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)

        qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
        assert screen.message.text() == "No shelf label is waiting to be reprinted."
        assert bar.print_button.isEnabled()
