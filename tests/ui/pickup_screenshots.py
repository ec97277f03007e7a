"""Render the Pickup screen at each step, offscreen from a real demo ledger, at each counter
screen size (1024x768 and 1366x768) into OUT_DIR/<size>/.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.pickup_screenshots [OUT_DIR] [--size 1024x768]

Starts a ledger (tests/support/ledger.py) with the demo data, enrols a station at BLR-01
with its pickup tags going to a stand-in tag printer on loopback (raw TCP 9100,
tests/labels/listener.py), readies two demo orders by the
pickup service (APP-240003 to hand over in part; MKT-240004 staged, then cancelled by
customer service through the ledger's admin API, so it comes back as a restock task),
then drives the real main window by keys (typing by hand, scans as a wedge scanner's fast
bursts) and saves:

* pickup.png: F3, the queue, WEB-240001 found and open (new: accept it)
* pickup-short.png: F7 on a line to pick: the dialog asks why it is short (then Esc)
* pickup-pick.png: picking WEB-240001 after ``2*`` keyed before a scan
* pickup-wrong-item.png: an item not in the order scanned, refused
* pickup-stage.png: WEB-240001 on its hold-shelf bin, Mark ready next
* pickup-ready.png: after Mark ready (F9), the pickup tag printed
* pickup-handover.png: the handover, pickup code checked, bin and items scanned
* pickup-handover-partial.png: APP-240003 by ID check, one line left with a reason chosen
* pickup-receive.png: WEB-240015 (ship-for-pickup from WH-BHW) received in part
* pickup-restock.png: MKT-240004's restock task, its bin scanned
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import requests
from PySide6.QtCore import QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import LabelKind
from app.services.pickup_results import PickupDetail
from app.services.station import Station, build_station
from app.ui.main_window import MainWindow
from app.ui.scanner import ScanInput
from app.ui.screens.pickup import PickupScreen
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from tests.labels.listener import PrinterListener
from tests.support.ledger import RunningLedger
from tests.ui.conftest import KeyClock
from tests.ui.screenshots import (
    STORE,
    over_window,
    render_each_size,
    shown_window,
    wait_until,
)

S = FulfilmentState
PICKED = "WEB-240001"  # picked, staged, made ready and handed over on screen
PARTIAL = "APP-240003"  # readied beforehand; handed over in part
CANCELLED = "MKT-240004"  # staged beforehand, cancelled centrally: a restock task
RECEIVED = "WEB-240015"  # ship-for-pickup, shipped by WH-BHW: received by scan


class Shot(Protocol):
    """Save the window (with ``dialog`` drawn over it) as ``name``."""

    def __call__(self, name: str, dialog: QWidget | None = None) -> None: ...


class Keys:
    """Keys as a person and a scanner press them, into whatever has keyboard focus."""

    def __init__(self, app: QApplication, clock: KeyClock) -> None:
        self.app = app
        self.clock = clock

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        if widget is None:
            raise RuntimeError("nothing has keyboard focus")
        return widget

    def type(self, text: str, *, enter: bool = True) -> None:
        """Typed by hand (each key slower than a scanner's)."""
        for ch in text:
            QTest.keyClicks(self.focused(), ch)
        if enter:
            self.press(Qt.Key.Key_Return)

    def scan(self, code: str) -> None:
        """A keyboard-wedge scan: a fast burst of keys ending with Enter."""
        self.clock.step = KeyClock.SCANNER
        try:
            self.type(code)
        finally:
            self.clock.step = KeyClock.HAND

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        QTest.keyClick(self.focused(), key, modifier)
        self.app.processEvents()


def tag_printing_setup(data_dir: Path, target: str) -> None:
    """Pickup tags to the tag printer at ``target`` (host:port, raw TCP 9100)."""
    setup = {
        "profiles": [
            {
                "name": "hold-shelf-tags",
                "base": "zebra-4x3-203",
                "transport": "tcp",
                "target": target,
            }
        ],
        "by_kind": {str(LabelKind.PICKUP_TAG): "hold-shelf-tags"},
    }
    (data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")


def fulfilment_id(station: Station, number: str) -> int:
    found = station.pickup.find(number).orders
    if len(found) != 1:
        raise RuntimeError(f"{number} is not in the station's cache")
    return found[0].fulfilment_id


def gtins(order: PickupDetail) -> dict[str, str]:
    """SKU -> GTIN of the order's lines."""
    return {x.sku: x.gtin for x in order.lines}


def prepare_orders(ledger: RunningLedger, station: Station) -> None:
    """APP-240003 ready on H-03; MKT-240004 staged on H-04, then cancelled centrally."""
    staff = station.auth.login_pin("A190", "1111")
    for number, bin_code in ((PARTIAL, "H-03"), (CANCELLED, "H-04")):
        fid = fulfilment_id(station, number)
        station.pickup.accept(staff, fid)
        for line in station.pickup.order(fid).lines:
            station.pickup.pick(staff, fid, line.gtin, line.ordered)
        station.pickup.stage(staff, fid, bin_code)
    station.pickup.ready(staff, fulfilment_id(station, PARTIAL))
    station.sync.sync_once()  # the ledger knows MKT-240004 is on its bin
    response = requests.post(
        f"{ledger.url}/v1/orders/{CANCELLED}/cancel",
        json={"reason": "customer called to cancel"},
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    response.raise_for_status()
    station.sync.sync_once()  # the cancel comes back: a restock task for bin H-04


def item_not_in(ledger: RunningLedger, order: PickupDetail) -> str:
    """The GTIN of a catalog item that is not on ``order``."""
    taken = {x.sku for x in order.lines}
    for sku, gtin in ledger.sql("SELECT sku, gtin FROM items ORDER BY id LIMIT 20"):
        if sku not in taken:
            return str(gtin)
    raise RuntimeError("no item left outside the order")


class Counter:
    """The main window at the counter, its Pickup screen, and what the script waits for."""

    def __init__(self, app: QApplication, window: MainWindow, runner: TaskRunner, keys: Keys):
        self.app = app
        self.window = window
        self.runner = runner
        self.keys = keys
        self.debug = Path(tempfile.gettempdir()) / "pickup-screenshots-stuck.png"

    @property
    def screen(self) -> PickupScreen:
        screen = self.window.current_screen()
        assert isinstance(screen, PickupScreen)
        return screen

    def until(self, done: Callable[[], bool]) -> None:
        """Run the event loop until ``done``; stuck: says where, with a picture."""
        try:
            wait_until(self.app, done)
        except TimeoutError:
            self.window.grab().save(str(self.debug))
            said = self.window.current_screen()
            text = said.message.text() if isinstance(said, PickupScreen) else ""
            raise TimeoutError(f"stuck (see {self.debug}); the screen says: {text!r}") from None

    def settled(self) -> None:
        """Nothing left running; the status bar up to date."""
        self.until(lambda: not self.runner.is_busy())
        self.window.refresh_status()
        self.until(lambda: not self.runner.is_busy())

    def says(self, text: str) -> Callable[[], bool]:
        return lambda: text in self.screen.message.text()

    def state(self) -> S | None:
        order = self.screen.open_order()
        return None if order is None else order.summary.state

    def is_state(self, state: S) -> Callable[[], bool]:
        return lambda: self.state() is state

    def opened(self, number: str) -> Callable[[], bool]:
        def check() -> bool:
            order = self.screen.open_order()
            return order is not None and order.summary.order_number == number

        return check

    def order(self) -> PickupDetail:
        order = self.screen.open_order()
        assert order is not None
        return order

    def find(self, number: str) -> None:
        """Type an order number where the cursor is (the search field, or the step field:
        what is no step there is searched) and open it."""
        self.keys.type(number)
        self.until(self.opened(number))
        self.until(self.screen.detail.step_field.hasFocus)


def drive(counter: Counter, ledger: RunningLedger, shot: Shot) -> None:
    """One associate at the counter, by keys only, through every pickup screen."""
    keys, until, window = counter.keys, counter.until, counter.window
    keys.type("A100")
    until(window.login.pin_field.hasFocus)
    keys.type("1111")
    until(lambda: window.staff() is not None)
    keys.press(Qt.Key.Key_F3)
    screen = counter.screen
    until(lambda: any(r.order == PICKED for r in screen.queue.model.rows()))

    keys.type(PICKED)
    until(counter.is_state(S.ROUTED))
    until(screen.detail.step_field.hasFocus)
    shot("pickup.png")

    keys.press(Qt.Key.Key_F9)  # Accept
    until(counter.is_state(S.ACCEPTED))
    keys.press(Qt.Key.Key_F7)  # mark a line short: asks why first
    until(lambda: screen.detail.short_dialog is not None)
    short = screen.detail.short_dialog
    assert short is not None
    shot("pickup-short.png", short)
    keys.press(Qt.Key.Key_Escape)  # changes nothing
    until(lambda: screen.detail.short_dialog is None)
    until(lambda: QApplication.focusWidget() is not None)
    lines = counter.order().lines
    two = next(x for x in lines if x.ordered == 2)
    one = next(x for x in lines if x.ordered == 1)
    keys.type("2*", enter=False)  # the quantity keyed first, then the scan
    keys.scan(two.gtin)
    until(counter.says("of 3 units picked"))
    shot("pickup-pick.png")

    keys.scan(item_not_in(ledger, counter.order()))
    until(lambda: screen.message.tone() == "error")
    shot("pickup-wrong-item.png")

    keys.scan(one.gtin)
    until(counter.is_state(S.PICKED))
    keys.scan("H-01")  # the hold-shelf bin label
    until(counter.is_state(S.STAGED))
    shot("pickup-stage.png")

    keys.press(Qt.Key.Key_F9)  # Mark ready: the pickup tag prints by itself
    until(counter.is_state(S.READY_FOR_PICKUP))
    until(counter.says("Pickup tag printed"))
    shot("pickup-ready.png")

    keys.press(Qt.Key.Key_F9)  # Hand over: verify first
    panel = screen.handover
    until(panel.code_field.hasFocus)
    keys.type("240001")  # the customer's pickup code (app/ledger/seed.py)
    until(panel.code_verified)
    keys.scan("H-01")
    until(panel.bin_checked)
    for code in (two.gtin, two.gtin, one.gtin):
        keys.scan(code)
    until(panel.confirm_button.isEnabled)
    shot("pickup-handover.png")
    keys.press(Qt.Key.Key_Return)  # hands over
    until(counter.is_state(S.COLLECTED))

    counter.find(PARTIAL)
    until(counter.is_state(S.READY_FOR_PICKUP))
    keys.press(Qt.Key.Key_F9)
    until(panel.code_field.hasFocus)
    first = counter.order().lines[0]
    keys.scan("H-03")
    until(panel.bin_checked)
    keys.scan(first.gtin)
    until(lambda: panel.scanned(first.sku) == 1)
    keys.press(Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # ID check
    until(panel.id_last4.hasFocus)
    keys.type("4821", enter=False)
    keys.press(Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # the lines to take
    until(panel.take_list.hasFocus)
    keys.press(Qt.Key.Key_Down)
    keys.press(Qt.Key.Key_Space)  # the customer leaves the second line
    until(panel.reason.isVisible)
    keys.press(Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # why it is cancelled
    until(panel.reason.hasFocus)
    keys.press(Qt.Key.Key_Down)  # the first of the store's reasons
    shot("pickup-handover-partial.png")
    keys.press(Qt.Key.Key_Return)
    until(counter.is_state(S.COLLECTED))

    counter.find(RECEIVED)
    coming = max(counter.order().lines, key=lambda x: x.in_transit)
    keys.type(f"{coming.in_transit}*", enter=False)
    keys.scan(coming.gtin)
    until(counter.says("units received"))
    shot("pickup-receive.png")

    counter.find(CANCELLED)
    keys.scan("H-04")
    until(counter.says("Bin H-04 checked"))
    shot("pickup-restock.png")


def render(out: Path, size: QSize) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["pickup-screenshots"])
    assert isinstance(app, QApplication)
    apply_theme(app)
    root = Path(tempfile.mkdtemp(prefix="cb-pickup-shots-"))
    saved: list[Path] = []
    printer = PrinterListener()
    with RunningLedger(f"sqlite:///{root / 'ledger.sqlite3'}", root / "ledger") as ledger:
        ledger.seed("demo")
        station = build_station(root / "station")
        station.enrolment.enrol(ledger.url, ledger.enrol_code(STORE), "Counter 1", "counter")
        prepare_orders(ledger, station)
        tag_printing_setup(root / "station", printer.target)
        clock = KeyClock()
        scans = ScanInput(clock=clock)
        window, runner = shown_window(app, station, root / "station", size, scans=scans)
        counter = Counter(app, window, runner, Keys(app, clock))

        def shot(name: str, dialog: QWidget | None = None) -> None:
            counter.settled()
            path = out / name
            (window.grab() if dialog is None else over_window(window, dialog)).save(str(path))
            saved.append(path)

        try:
            drive(counter, ledger, shot)
        finally:
            runner.shutdown()
            app.removeEventFilter(scans)
            station.close()
            printer.close()
    return saved


def main() -> None:
    render_each_size(__doc__, render)


if __name__ == "__main__":
    main()
