"""Send keys as a USB keyboard-wedge barcode scanner sends them.

A wedge scanner is a keyboard. For each character of a code it presses Shift first when
the character needs it (capitals, and ``: * _ ! ? …`` on a US layout), then presses the
key with ShiftModifier and the character as its text, releases the key, then Shift. Enter
ends the code. GS (ASCII 29, FNC1 in a GS1 code) goes as Ctrl+] (Control down, ``]``
with ControlModifier and text ASCII 29 as X11 and Windows give it, Control up), or as the
stand-in character the store set its scanners to send. Every key goes to the widget that
has focus at that moment, as a scanner's keys do.

``pace`` runs before each key press that is not a modifier (each character, Enter): move
a fake clock there (``pace=lambda: clock.tick(0.004)`` for a scanner, ``0.2`` for a
person). The ``KeyClock`` of ``tests/ui/conftest.py`` moves on by itself on every read.

    send_code("STA-01842")                        # a scan of a SKU, ending with Enter
    send_code(gs1, gs_stand_in="~")               # GS sent as the store's stand-in
    send_code("Hello", pace=lambda: clock.tick(0.2), enter=False)  # typed by hand
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

GS = "\x1d"
SHIFTED = frozenset('~!@#$%^&*()_+{}|:"<>?')  # US layout: these need Shift, as capitals do
NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
PRESS = QTest.KeyAction.Press
RELEASE = QTest.KeyAction.Release


def focus_target() -> QWidget:
    """Where a keyboard's keys go now: the focus widget, else the active window."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None, "nothing has keyboard focus"
    return widget


def key_of(char: str) -> Qt.Key:
    """The Qt key of a printable ASCII character (Qt names a key by its symbol)."""
    assert len(char) == 1 and " " <= char <= "~", f"not printable ASCII: {char!r}"
    return Qt.Key(ord(char.upper()))


def press_key(
    key: Qt.Key,
    text: str = "",
    modifier: Qt.KeyboardModifier = NO,
    *,
    pace: Callable[[], None] | None = None,
) -> None:
    """One key down and up, with its modifier key down and up around it when given."""
    held = {SHIFT: Qt.Key.Key_Shift, CTRL: Qt.Key.Key_Control}.get(modifier)
    if held is not None:
        QTest.sendKeyEvent(PRESS, focus_target(), held, "", modifier)
    if pace is not None:
        pace()
    QTest.sendKeyEvent(PRESS, focus_target(), key, text, modifier)
    QTest.sendKeyEvent(RELEASE, focus_target(), key, text, modifier)
    if held is not None:
        QTest.sendKeyEvent(RELEASE, focus_target(), held, "", NO)


def send_char(
    char: str, *, gs_stand_in: str | None = None, pace: Callable[[], None] | None = None
) -> None:
    """One character as a wedge sends it (GS as Ctrl+], or as ``gs_stand_in``)."""
    if char == GS and gs_stand_in is None:
        press_key(Qt.Key.Key_BracketRight, GS, CTRL, pace=pace)
        return
    if char == GS:
        char = gs_stand_in or char
    shifted = char.isupper() or char in SHIFTED
    press_key(key_of(char), char, SHIFT if shifted else NO, pace=pace)


def send_code(
    code: str,
    *,
    enter: bool = True,
    gs_stand_in: str | None = None,
    pace: Callable[[], None] | None = None,
) -> None:
    """Send ``code`` key by key as a wedge scanner does, then Enter (unless ``enter`` is
    False); the same keys typed slowly (``pace``) are a person typing."""
    for char in code:
        send_char(char, gs_stand_in=gs_stand_in, pace=pace)
    if enter:
        press_key(Qt.Key.Key_Return, "\r", pace=pace)
