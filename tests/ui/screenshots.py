"""Render the terminal's screenshots offscreen from a real demo ledger, at each counter
screen size (1024x768 and 1366x768) into OUT_DIR/<size>/.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.screenshots [OUT_DIR] [--profile demo|tiny]
        [--size 1024x768 ...]

Starts a ledger (tests/support/ledger.py) with demo data, enrols a station at BLR-01,
makes one count the ledger rejects (so Exceptions has a row), then drives the real window
by keys and saves not-enrolled.png (before enrolment), login.png, stock-lookup.png,
count.png, shelf-label-preview.png (F8 on the item shown; each dialog drawn over the
window where it opens), exceptions.png, printers.png (F5) and bin-labels.png (F8 there).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from app.services.printing import station_printing
from app.services.station import Station, build_station
from app.ui.idle import IdleWatch
from app.ui.main_window import MainWindow
from app.ui.notice import NotEnrolledScreen
from app.ui.scanner import ScanInput
from app.ui.screens.printers import PrintersScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger

STORE = "BLR-01"


def wait_until(app: QApplication, done: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
    app.processEvents()


def type_into(widget: QWidget, text: str, *, enter: bool = True) -> None:
    QTest.keyClicks(widget, text, Qt.KeyboardModifier.NoModifier, 120)  # by hand
    if enter:
        QTest.keyClick(widget, Qt.Key.Key_Return)


def over_window(window: QWidget, dialog: QWidget) -> QPixmap:
    """The window, dimmed, with ``dialog`` drawn centred on it (offscreen has no
    window manager to compose them)."""
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(15, 23, 42, 90))
    shown = dialog.grab()
    corner = QPoint(
        (picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 2
    )
    painter.drawPixmap(corner, shown)
    painter.setPen(QColor(15, 23, 42, 140))
    painter.drawRect(corner.x() - 1, corner.y() - 1, shown.width() + 1, shown.height() + 1)
    painter.end()
    return picture


def reject_one_count(ledger: RunningLedger, station: Station, query: str) -> None:
    """A count of an item whose SKU the ledger renamed meanwhile: the ledger refuses it."""
    lead = station.auth.login_pin("L200", "2222")
    sku = station.stock.lookup(query)[-1].sku
    count_settled(station.stock, lead, sku, 4)
    ledger.sql("UPDATE items SET sku = 'RENAMED' WHERE sku = :sku", {"sku": sku})
    try:
        station.sync.sync_once()
    finally:
        ledger.sql("UPDATE items SET sku = :sku WHERE sku = 'RENAMED'", {"sku": sku})


def not_enrolled(out: Path, size: QSize) -> Path:
    """The window a station shows before it is enrolled."""
    shell = QMainWindow()
    shell.setCentralWidget(NotEnrolledScreen(data_dir=Path("/var/lib/counterbench")))
    shell.resize(size)
    shell.show()
    QApplication.processEvents()
    path = out / "not-enrolled.png"
    shell.grab().save(str(path))
    shell.close()
    return path


def shown_window(
    app: QApplication, station: Station, station_dir: Path, size: QSize, *, scans: ScanInput
) -> tuple[MainWindow, TaskRunner]:
    """The station's main window with its label printing, shown at ``size`` once its first
    status is in; ``scans`` is installed on ``app``."""
    runner = TaskRunner()
    scans.install(app)
    window = MainWindow(
        services=station,
        runner=runner,
        scans=scans,
        idle=IdleWatch(3600),
        printing=station_printing(station_dir, station.db),
    )
    window.resize(size)
    window.show()
    window.activateWindow()
    wait_until(app, lambda: window.last_status is not None)
    return window, runner


def render(out: Path, profile: str, size: QSize) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app)
    root = Path(tempfile.mkdtemp(prefix="cb-shots-"))
    saved: list[Path] = [not_enrolled(out, size)]
    with RunningLedger(f"sqlite:///{root / 'ledger.sqlite3'}", root / "ledger") as ledger:
        ledger.seed(profile)
        station = build_station(root / "station")
        station.enrolment.enrol(ledger.url, ledger.enrol_code(STORE), "Counter 1", "counter")
        reject_one_count(ledger, station, "rice")
        scans = ScanInput()
        window, runner = shown_window(app, station, root / "station", size, scans=scans)

        def shot(widget: QWidget, name: str) -> None:
            wait_until(app, lambda: not runner.is_busy())
            path = out / name
            widget.grab().save(str(path))
            saved.append(path)

        def dialog_shot(dialog: QWidget, name: str) -> None:
            wait_until(app, lambda: not runner.is_busy())
            path = out / name
            over_window(window, dialog).save(str(path))
            saved.append(path)

        login = window.login
        type_into(login.code_field, "L200")
        type_into(login.pin_field, "22", enter=False)
        wait_until(app, lambda: login.staff_name.text() != "")
        shot(window, "login.png")
        type_into(login.pin_field, "22")
        wait_until(app, lambda: window.staff() is not None)

        screen = window.screens[0]
        assert isinstance(screen, StockLookupScreen)
        type_into(screen.search, "rice")
        wait_until(app, lambda: screen.shown_item() is not None)
        QTest.keyClick(screen.results_view, Qt.Key.Key_F9)
        wait_until(app, lambda: screen.count_dialog is not None)
        dialog = screen.count_dialog
        assert dialog is not None
        shown = screen.shown_item()
        assert shown is not None
        before = shown.buckets[0].on_hand
        dialog.quantity.setText(str(max(0, before - 1)))
        dialog_shot(dialog, "count.png")
        QTest.keyClick(dialog.quantity, Qt.Key.Key_Return)
        wait_until(app, lambda: screen.message.tone() == "ok")
        wait_until(app, lambda: not runner.is_busy())
        shot(window, "stock-lookup.png")

        QTest.keyClick(screen.results_view, Qt.Key.Key_F8)
        wait_until(app, lambda: screen.label_dialog is not None)
        preview = screen.label_dialog
        assert preview is not None
        wait_until(app, preview.print_button.isEnabled)
        dialog_shot(preview, "shelf-label-preview.png")
        preview.reject()
        wait_until(app, lambda: screen.label_dialog is None)

        window.show_screen(1)
        wait_until(app, lambda: not runner.is_busy())
        shot(window, "exceptions.png")

        QTest.keyClick(window, Qt.Key.Key_F5)
        printers = window.current_screen()
        assert isinstance(printers, PrintersScreen)
        wait_until(app, lambda: printers.printers.rowCount() > 0)
        printers.printers_view.selectRow(4)  # shelf
        shot(window, "printers.png")
        QTest.keyClick(printers.printers_view, Qt.Key.Key_F8)
        wait_until(app, lambda: printers.tabs.currentWidget() is printers.bin_labels)
        shot(window, "bin-labels.png")
        runner.shutdown()
        app.removeEventFilter(scans)
        station.close()
    return saved


SIZES = ("1024x768", "1366x768")


def screen_size(text: str) -> QSize:
    """``1024x768`` as a size."""
    width, height = (int(n) for n in text.lower().split("x"))
    return QSize(width, height)


def render_each_size(description: str | None, render: Callable[[Path, QSize], list[Path]]) -> None:
    """The command line of a screenshot script without profiles: ``OUT`` (a folder per
    size below it) and ``--size`` (default: each size); prints each file it saved."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--size", action="append", choices=SIZES, help="default: each size")
    args = parser.parse_args()
    for size in args.size or SIZES:
        for path in render(args.out / size, screen_size(size)):
            print(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--profile", default="demo", choices=("demo", "tiny"))
    parser.add_argument("--size", action="append", choices=SIZES, help="default: each size")
    args = parser.parse_args()
    for size in args.size or SIZES:
        for path in render(args.out / size, args.profile, screen_size(size)):
            print(path)


if __name__ == "__main__":
    main()
