"""The scan handler tells a scanner burst from hand typing, on the keys a USB
keyboard-wedge scanner really sends (``tests/ui/wedge.py``): Shift down before a capital
letter or ``: * _``, the key with ShiftModifier, Shift up; GS as Ctrl+] or a stand-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.services.scan_settings import ScanSettings
from app.ui.scanner import ScanFeedback, ScanInput
from tests.ui.wedge import CTRL, GS, NO, press_key, send_char, send_code

SCANNER_S = 0.004  # between two keys of a scan: within one USB poll or the next
HAND_S = 0.150  # between two keys typed by a quick typist
USB_POLL_S = 0.030  # a scan split across two polls of a slow USB scanner
GS1 = "0109501101530003" + "17270331" + "10AB-12" + GS + "21XYZ9"
# Every code the terminal reads, as printed on its label.
CODES = {
    "GTIN-13": "8901234567893",
    "SKU": "STA-01842",
    "pickup QR": "CBPU1:WEB-240001:240001",
    "badge": "BADGE-L200",
    "bin": "H-04",
    "SSCC (GS1-128, AI 00)": "00106141412345678908",
    "GS1 with GS": GS1,
    "Code 128 with * and _": "LOT_7*2",
}


class FakeClock:
    """A clock the test moves forward, so no test waits for real time."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


@pytest.fixture
def field(qtbot: QtBot) -> Iterator[QLineEdit]:
    """A text field with keyboard focus, and a button after it (where Tab would go)."""
    window = QWidget()
    layout = QVBoxLayout(window)
    line = QLineEdit()
    layout.addWidget(line)
    layout.addWidget(QPushButton("Next"))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    line.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
    yield line  # the window lives as long as the test


class Scans:
    """A ScanInput on a fake clock, installed on the application, and what it emitted."""

    def __init__(self, settings: ScanSettings | None) -> None:
        self.clock = FakeClock()
        self.input = (
            ScanInput(clock=self.clock)
            if settings is None
            else ScanInput(settings=settings, clock=self.clock)
        )
        self.got: list[str] = []
        self.input.scanned.connect(self.got.append)
        self.input.install(_app())

    def keys(
        self, code: str, *, gap_s: float = SCANNER_S, enter: bool = True, gs: str | None = None
    ) -> None:
        """``code`` as a wedge sends it, ``gap_s`` apart (GS as Ctrl+] or ``gs``)."""
        send_code(code, pace=lambda: self.clock.tick(gap_s), enter=enter, gs_stand_in=gs)


@pytest.fixture
def scans() -> Iterator[Callable[..., Scans]]:
    """Install a ScanInput (the defaults, or ``settings``) for the test; removed after."""
    made: list[Scans] = []

    def install(settings: ScanSettings | None = None) -> Scans:
        made.append(Scans(settings))
        return made[-1]

    yield install
    for each in made:
        _app().removeEventFilter(each.input)


def _returns(field: QLineEdit) -> list[str]:
    """The texts the field had when Enter reached it."""
    seen: list[str] = []
    field.returnPressed.connect(lambda: seen.append(field.text()))
    return seen


@pytest.mark.parametrize("code", CODES.values(), ids=CODES.keys())
def test_every_code_scans_with_the_keys_a_wedge_sends(
    field: QLineEdit, scans: Callable[..., Scans], code: str
) -> None:
    scan = scans()
    returns = _returns(field)
    field.setText("abc")
    scan.keys(code)
    assert scan.got == [code]
    assert field.text() == "abc", "the scanned characters are taken back out of the field"
    assert returns == [], "the scanner's Enter is swallowed"


def test_gs_sent_as_ctrl_bracket_or_as_the_stores_stand_in(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    scan = scans(ScanSettings(gs_stand_in="~"))
    scan.keys(GS1)  # Ctrl+], text ASCII 29 as X11 gives it
    scan.keys(GS1, gs="~")  # the scanner set to send ~ for FNC1
    head, tail = GS1.split(GS)
    scan.keys(head, enter=False)
    press_key(Qt.Key.Key_BracketRight, "]", CTRL)  # Ctrl+] with text "]", as QTest makes it
    scan.keys(tail)
    assert scan.got == [GS1, GS1, GS1]
    assert field.text() == ""


def test_modifier_keys_alone_never_break_a_scan(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    scan = scans()
    code = "STA-01842"
    lone_modifiers = [
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
    ]
    for char, modifier in zip(code, lone_modifiers + [Qt.Key.Key_Shift] * 2, strict=True):
        QTest.sendKeyEvent(QTest.KeyAction.Press, field, modifier, "", NO)
        QTest.sendKeyEvent(QTest.KeyAction.Release, field, modifier, "", NO)
        scan.clock.tick(SCANNER_S)
        send_char(char)
    scan.clock.tick(SCANNER_S)
    press_key(Qt.Key.Key_Return, "\r")
    assert scan.got == [code]


def test_symbology_identifiers_other_than_gs1_are_taken_off(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    scan = scans()
    scan.keys("]C0BADGE-L200")
    scan.keys("]Q1CBPU1:WEB-240001:240001")
    scan.keys("]d2" + GS1)
    assert scan.got == ["BADGE-L200", "CBPU1:WEB-240001:240001", "]d2" + GS1]


def test_hand_typing_with_shift_reaches_the_field_untouched(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    scan = scans()
    returns = _returns(field)
    typed = "Order WEB-240001: 2*STA_01842"
    scan.keys(typed, gap_s=HAND_S)
    assert scan.got == []
    assert field.text() == typed
    assert returns == [typed]


@pytest.mark.parametrize(
    ("pause_s", "is_scan"),
    [(USB_POLL_S, True), (0.0399, True), (0.0401, False), (HAND_S, False)],
    ids=["30 ms USB poll", "just under the 40 ms gap", "just over the gap", "a person"],
)
def test_a_burst_split_across_usb_polls(
    field: QLineEdit, scans: Callable[..., Scans], pause_s: float, is_scan: bool
) -> None:
    scan = scans()
    returns = _returns(field)
    scan.keys("CBPU1:WEB-", enter=False)
    scan.keys("240001:240001", gap_s=pause_s, enter=False)  # the next poll's keys
    scan.keys("", gap_s=SCANNER_S)
    code = "CBPU1:WEB-240001:240001"
    assert scan.got == ([code] if is_scan else [])
    assert field.text() == ("" if is_scan else code)
    assert returns == ([] if is_scan else [code])


def test_gap_and_shortest_code_come_from_the_station_settings(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    slow_scanner = scans(ScanSettings(max_gap_ms=80, min_length=6))
    slow_scanner.keys("BADGE-L200", gap_s=0.060)
    slow_scanner.keys("H-04")  # shorter than 6: typed text
    assert slow_scanner.got == ["BADGE-L200"]
    assert field.text() == "H-04"


def test_short_burst_or_a_slow_pause_is_not_a_scan(
    field: QLineEdit, scans: Callable[..., Scans]
) -> None:
    scan = scans()
    scan.keys("12")
    for part in ("12", "3456", "78"):  # fast runs with slow pauses between
        scan.keys(part, enter=False)
        scan.clock.tick(0.3)
    scan.keys("")
    assert scan.got == []
    assert field.text() == "1212345678"


@pytest.mark.parametrize(
    ("prefix", "key", "text", "modifier"),
    [
        ("F13", Qt.Key.Key_F13, "", NO),
        ("STX", Qt.Key.Key_B, "\x02", CTRL),
        ("]", Qt.Key.Key_BracketRight, "]", NO),
    ],
    ids=["F13", "STX as Ctrl+B", "]"],
)
def test_a_prefix_marks_every_scan(
    field: QLineEdit,
    scans: Callable[..., Scans],
    prefix: str,
    key: Qt.Key,
    text: str,
    modifier: Qt.KeyboardModifier,
) -> None:
    scan = scans(ScanSettings(prefix=prefix))
    returns = _returns(field)
    press_key(key, text, modifier, pace=lambda: scan.clock.tick(SCANNER_S))
    scan.keys("STA-01842")
    scan.clock.tick(1.0)
    scan.keys("H-04")  # fast, but without the prefix: not from the station's scanners
    assert scan.got == ["STA-01842"]
    assert field.text() == "H-04"
    assert returns == ["H-04"]


@pytest.mark.parametrize(
    ("code", "got"),
    [
        ("STA-01]842", "STA-01]842"),
        ("]d2" + GS1, "]d2" + GS1),  # an AIM identifier after the prefix: GS1 kept
        ("]C0STA-01842", "STA-01842"),  # a plain Code 128 identifier is taken off
    ],
    ids=["] inside the code", "]d2 GS1 DataMatrix", "]C0 Code 128"],
)
def test_the_prefix_counts_only_as_the_first_key_of_a_burst(
    field: QLineEdit, scans: Callable[..., Scans], code: str, got: str
) -> None:
    scan = scans(ScanSettings(prefix="]"))
    scan.keys("]" + code)
    assert scan.got == [got]
    assert field.text() == ""


@pytest.mark.parametrize("then_enter", [False, True], ids=["Tab", "Tab then Enter"])
def test_a_tab_suffix_ends_the_scan_and_keeps_the_focus(
    field: QLineEdit, scans: Callable[..., Scans], then_enter: bool
) -> None:
    scan = scans(ScanSettings(suffix="Tab"))
    returns = _returns(field)
    pace = lambda: scan.clock.tick(SCANNER_S)  # noqa: E731
    scan.keys("BADGE-L200", enter=False)
    press_key(Qt.Key.Key_Tab, "\t", pace=pace)
    if then_enter:
        press_key(Qt.Key.Key_Return, "\r", pace=pace)
    assert scan.got == ["BADGE-L200"]
    assert QApplication.focusWidget() is field
    assert returns == []
    scan.clock.tick(1.0)
    scan.keys("BIN", gap_s=HAND_S, enter=False)  # a person's Tab still moves on
    press_key(Qt.Key.Key_Tab, "\t", pace=pace)
    assert QApplication.focusWidget() is not field


def test_a_character_suffix_ends_the_scan(field: QLineEdit, scans: Callable[..., Scans]) -> None:
    scan = scans(ScanSettings(suffix="#"))
    scan.keys("STA-01842#", enter=False)
    assert scan.got == ["STA-01842"]
    assert field.text() == ""


def test_feedback_flashes_the_status_widget(qtbot: QtBot) -> None:
    bar = QWidget()
    qtbot.addWidget(bar)
    feedback = ScanFeedback(bar, beep=False)
    feedback.scan_ok()
    assert bar.property("scan") == "ok"
    feedback.scan_failed()
    assert bar.property("scan") == "failed"
    qtbot.waitUntil(lambda: bar.property("scan") == "", timeout=3_000)
