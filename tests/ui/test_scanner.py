"""The scan handler tells a scanner burst from hand typing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.ui.scanner import ScanFeedback, ScanInput


class FakeClock:
    """A clock the test moves forward, so no test waits for real time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


def _field_window(qtbot: QtBot) -> tuple[QWidget, QLineEdit]:
    window = QWidget()
    layout = QVBoxLayout(window)
    field = QLineEdit()
    layout.addWidget(field)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is field)
    return window, field


def _type(qtbot: QtBot, widget: QWidget, text: str, clock: FakeClock, gap_s: float) -> None:
    for ch in text:
        clock.now += gap_s
        qtbot.keyClick(widget, ch)
    clock.now += gap_s
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_fast_burst_ending_with_enter_is_a_scan(qtbot: QtBot) -> None:
    _, field = _field_window(qtbot)
    clock = FakeClock()
    scans = ScanInput(clock=clock)
    scans.install(_app())
    returns: list[str] = []
    field.returnPressed.connect(lambda: returns.append(field.text()))
    field.setText("abc")
    try:
        with qtbot.waitSignal(scans.scanned) as blocker:
            _type(qtbot, field, "8901234567893", clock, gap_s=0.005)
    finally:
        _app().removeEventFilter(scans)
    assert blocker.args == ["8901234567893"]
    assert field.text() == "abc", "the scanned characters are taken back out of the field"
    assert returns == [], "the scanner's Enter is swallowed"


def test_hand_typing_reaches_the_field(qtbot: QtBot) -> None:
    _, field = _field_window(qtbot)
    clock = FakeClock()
    scans = ScanInput(clock=clock)
    scans.install(_app())
    got: list[str] = []
    scans.scanned.connect(got.append)
    returns: list[str] = []
    field.returnPressed.connect(lambda: returns.append(field.text()))
    try:
        _type(qtbot, field, "SKU-1001", clock, gap_s=0.150)
    finally:
        _app().removeEventFilter(scans)
    assert got == []
    assert field.text() == "SKU-1001"
    assert returns == ["SKU-1001"]


def test_short_burst_is_not_a_scan(qtbot: QtBot) -> None:
    _, field = _field_window(qtbot)
    clock = FakeClock()
    scans = ScanInput(clock=clock)
    scans.install(_app())
    got: list[str] = []
    scans.scanned.connect(got.append)
    try:
        _type(qtbot, field, "12", clock, gap_s=0.005)
        # a slow pause in the middle of a fast run breaks the burst
        _type(qtbot, field, "", clock, gap_s=0.0)
        for ch, gap in zip(
            "12345678", (0.005, 0.005, 0.3, 0.005, 0.005, 0.005, 0.3, 0.005), strict=True
        ):
            clock.now += gap
            qtbot.keyClick(field, ch)
        clock.now += 0.005
        qtbot.keyClick(field, Qt.Key.Key_Return)
    finally:
        _app().removeEventFilter(scans)
    assert got == []
    assert field.text() == "1212345678"


def test_feedback_flashes_the_status_widget(qtbot: QtBot) -> None:
    bar = QWidget()
    qtbot.addWidget(bar)
    feedback = ScanFeedback(bar, beep=False)
    feedback.scan_ok()
    assert bar.property("scan") == "ok"
    feedback.scan_failed()
    assert bar.property("scan") == "failed"
    qtbot.waitUntil(lambda: bar.property("scan") == "", timeout=3_000)
