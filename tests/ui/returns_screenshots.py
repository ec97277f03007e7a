"""Open Returns (Ctrl+F7) on a counter of a real demo ledger, part way through a return,
for a screenshot.

    python -m tests.ui.returns_screenshots [--at STEP]   (STEP: one of ``STEPS``)

Starts a demo ledger in a temporary folder, enrols a counter at BLR-01 and syncs it once,
keeps a web order of four demo items in its cache (one returned before at BLR-02, one
final sale, an order discount and shipping) and a till receipt sharing an item, opens the
window sized for the screen and logs in by keys. Then, by keys and scans: ``choose``
scans the shared item (two orders); ``scan`` opens the web order and takes two units
(B opened, and D defective to the vendor); ``grade``, ``defective`` and ``reason`` stop on
those steps of a third unit; ``done`` finishes with Ctrl+Enter (the credit note and RMA
labels go to the station's print folder). The two modes: ``noreceipt`` takes two units
without a receipt (Ctrl+N, the phone, scans and keys), ``manager`` then asks the manager's
code and PIN (Ctrl+Enter); ``putaway`` finishes the return, then Ctrl+B puts its first
unit in bin Q-01 and scans the second's RMA label. ``exchange`` takes two units, then
Ctrl+E and scans two replacements (demo items 6 and 7); ``exchanged`` records it (the
credit note, RMA labels and exchange slip go to the print folder). Take the picture with
/work/shared/tools/screenshot (SCREEN=1024x768x24).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.commands.qt_libraries import ensure_qt_libraries
from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.sold import SoldLine, SoldOrder
from app.services.station import Station
from app.storage import sold_orders
from app.storage.engine import raw_connection
from app.ui.idle import IdleWatch
from app.ui.main_window import MainWindow
from app.ui.scanner import ScanInput
from app.ui.screens.returns.screen import ReturnsScreen
from app.ui.screens.returns.steps import Step
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from app.ui.window_fit import show_fitted
from tests.ui.demo_station import demo_station

STEPS = ("find", "choose", "scan", "grade", "defective", "reason", "done", "noreceipt",
         "manager", "putaway", "exchange", "exchanged")  # fmt: skip
FROM_FIND = ("noreceipt", "manager")  # walked from the box, no order opened
# after the order is open: (what to scan or the keys to press) per step shown
KEYS = {
    "scan": ["item:0", "B", "2", "item:1", "D", "R", "3"],
    "grade": ["item:0", "B", "2", "item:1", "D", "R", "3", "item:0"],
    "defective": ["item:0", "B", "2", "item:1", "D", "R", "3", "item:0", "D"],
    "reason": ["item:0", "B", "2", "item:1", "D", "R", "3", "item:0", "C"],
    "done": ["item:0", "B", "2", "item:1", "D", "R", "3", "finish"],
    "noreceipt": ["ctrl+n", "phone", "item:0", "B", "2", "item:2", "A", "1"],
    "manager": ["ctrl+n", "phone", "item:0", "B", "2", "item:2", "A", "1", "finish"],
    "putaway": ["item:0", "B", "2", "item:1", "D", "R", "3", "finish", "ctrl+b", "rma:0",
                "bin:Q-01", "rma:1"],
    "exchange": ["item:0", "B", "2", "item:0", "A", "1", "ctrl+e", "swap:5", "swap:6"],
    "exchanged": ["item:0", "B", "2", "item:0", "A", "1", "ctrl+e", "swap:5", "swap:6",
                  "finish"],
}  # fmt: skip
CONTROL_KEYS = {"ctrl+n": Qt.Key.Key_N, "ctrl+b": Qt.Key.Key_B, "ctrl+e": Qt.Key.Key_E}
PHONE = "98450 12345"


def keep_orders(station: Station) -> tuple[SoldOrder, SoldOrder]:
    """A web order of four demo items and a till receipt sharing its first item."""
    today = datetime.now(UTC).date()
    with station.db.writing() as session:
        conn = raw_connection(session)
        items = conn.execute("SELECT sku, gtin, name FROM items ORDER BY id LIMIT 4").fetchall()
        (a, b, c, d) = [(str(s), str(g), str(n)) for s, g, n in items]
        before = (EarlierReturn(1, "BLR-02", today - timedelta(days=3)),)
        lines = (
            SoldLine(1, a[0], a[1], a[2], 2, 129900, "6109", 500),
            SoldLine(2, b[0], b[1], b[2], 1, 249900, "8516", 1800),
            SoldLine(3, c[0], c[1], c[2], 3, 39900, "6302", 500, earlier=before),
            SoldLine(4, d[0], d[1], d[2], 1, 89900, "6214", 500, final_sale=True),
        )
        web = SoldOrder(
            "WEB-240871", "web", today - timedelta(days=9), "BLR-01", lines,
            delivered_on=today - timedelta(days=6), location_state="KA", payment="card",
            discount_minor=20000, shipping_minor=4900, customer="Asha ••2345",
        )  # fmt: skip
        till = SoldOrder(
            "R-0042-118", "store", today - timedelta(days=2), "BLR-01", lines[:1],
            location_state="KA", payment="cash", customer="Ravi ••7781",
        )  # fmt: skip
        for order in (web, till):
            sold_orders.keep_order(conn, order, source="here")
    return web, till


def catalog_gtin(station: Station, position: int) -> str:
    """The GTIN of the demo catalogue's item at ``position`` (from 0)."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute("SELECT gtin FROM items ORDER BY id").fetchall()
    return str(rows[position][0])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at", choices=STEPS, default="scan", help="the step shown")
    args = parser.parse_args()
    ensure_qt_libraries()
    folder = Path(tempfile.mkdtemp(prefix="returns-shot-"))
    with demo_station(folder, "counter", "Counter 1") as station:
        web, _ = keep_orders(station)
        return show(station, web, args.at)


def show(station: Station, web: SoldOrder, at: str) -> int:
    """The window on ``station``, logged in by keys, the return walked to ``at``."""
    app = QApplication(sys.argv)
    apply_theme(app)
    runner = TaskRunner()
    window = MainWindow(services=station, runner=runner, scans=ScanInput(), idle=IdleWatch(900))
    show_fitted(window)
    window.raise_()
    window.activateWindow()

    def focus() -> QWidget:
        return QApplication.focusWidget() or window

    def typed(keys: str) -> None:
        QTest.keyClicks(focus(), keys)
        QTest.keyClick(focus(), Qt.Key.Key_Return)

    def later(ms: int, then: Callable[[], None]) -> None:
        QTimer.singleShot(ms, then)

    def log_in() -> None:
        if window.last_status is None or not window.login.code_field.hasFocus():
            later(100, log_in)
            return
        typed("A100")
        later(200, lambda: typed("1111"))
        later(1200, when_logged_in)

    def when_logged_in() -> None:
        if window.staff() is None:  # the PIN is still being checked
            later(200, when_logged_in)
            return
        open_returns()

    def open_returns() -> None:
        QTest.keyClick(focus(), Qt.Key.Key_F7, Qt.KeyboardModifier.ControlModifier)
        screen = window.current_screen()
        assert isinstance(screen, ReturnsScreen)
        if at == "find":
            return
        if at == "choose":
            screen.on_scan(web.lines[0].gtin)
            return
        if at in FROM_FIND:
            walk_all(screen)
            return
        screen.on_scan(web.order_number)
        later(300, partial(when_open, screen))

    def when_open(screen: ReturnsScreen) -> None:
        if screen.step is not Step.SCAN:  # the cache is still being read
            later(200, partial(when_open, screen))
            return
        walk_all(screen)

    def walk_all(screen: ReturnsScreen, steps: tuple[str, ...] | None = None) -> None:
        """Each step 600 ms after the one before; one that must wait, waits."""
        left = tuple(KEYS[at]) if steps is None else steps
        if not left:
            return
        if left[0].startswith("rma:") and screen.last_taken is None:  # still printing
            later(300, partial(walk_all, screen, left))
            return
        later(600, partial(walk, screen, left[0]))
        later(600, partial(walk_all, screen, left[1:]))

    def walk(screen: ReturnsScreen, step: str) -> None:
        if step in CONTROL_KEYS:
            QTest.keyClick(focus(), CONTROL_KEYS[step], Qt.KeyboardModifier.ControlModifier)
        elif step == "phone":
            typed(PHONE)
        elif step.startswith("rma:") and screen.last_taken is not None:
            screen.on_scan(screen.last_taken.rma_ids[int(step.removeprefix("rma:"))])
        elif step.startswith("bin:"):
            screen.on_scan(step.removeprefix("bin:"))
        elif step.startswith("swap:"):
            screen.on_scan(catalog_gtin(station, int(step.removeprefix("swap:"))))
        elif step.startswith("item:"):
            screen.on_scan(web.lines[int(step.removeprefix("item:"))].gtin)
        elif step == "finish":
            QTest.keyClick(focus(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        else:
            QTest.keyClicks(focus(), step.lower())

    later(300, log_in)
    code = app.exec()
    runner.shutdown(5_000)
    station.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
