"""Keyboard-wedge scanner input and scan feedback.

A wedge scanner "types" its code very fast and ends with Enter. ``ScanInput`` watches
every key press of the application: a burst of at least ``min_length`` characters with
gaps under ``max_gap_ms`` that ends with Enter (or the station's suffix) is a scan. It
takes the scanned characters back out of the text field they landed in, swallows the
Enter and emits ``scanned``. Typing by hand is slower than the gap, so it reaches the
widgets untouched.

A scanner types as a keyboard does: Shift down before a capital letter or ``:`` ``*``
``_``, Shift up after. Modifier keys alone (Shift, Ctrl, Alt, AltGr, Meta, Caps Lock …)
neither end nor extend a burst. The GS1 group separator (FNC1) arrives as Ctrl+] or as a
stand-in character the store set its scanners to send; both become ASCII 29 in the code.
The station's ``ScanSettings`` (``counterbench station scanner``) set the gap, the
shortest code, and a prefix and suffix key the scanners send around each code. An AIM
symbology identifier (``]C0``, ``]Q1`` …) is taken off, except a GS1 one (``]C1``,
``]d2`` …), which tells ``app.domain.gs1.item_code`` that the data is read by AI.

Gaps are measured on the time the windowing system gave each key (so a busy GUI thread
does not split a scan), or on ``time.monotonic`` where the platform gives none.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.domain.gs1 import GS, GS1_SYMBOLOGIES, split_symbology
from app.services.scan_settings import CONTROL_NAMES, ScanSettings
from app.ui.widgets import repolish

_ENTER_KEYS = frozenset({Qt.Key.Key_Return, Qt.Key.Key_Enter})
_KEY_PRESS = QEvent.Type.KeyPress
_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_Mode_switch,
    }
)
_NOT_TYPING = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
_NAMED_KEYS = {"Tab": {Qt.Key.Key_Tab}, "Enter": _ENTER_KEYS, "Return": _ENTER_KEYS}


@dataclass(frozen=True)
class ScanKey:
    """A prefix or suffix as set in ``ScanSettings``: keys it matches, or a character."""

    keys: frozenset[int] = frozenset()
    char: str = ""

    @classmethod
    def named(cls, name: str) -> ScanKey:
        """``F13``, ``Tab``, ``Enter``, ``STX`` or one character; '' matches nothing."""
        if not name:
            return cls()
        if name in CONTROL_NAMES:
            return cls(char=CONTROL_NAMES[name])
        if len(name) == 1:
            return cls(char=name)
        keys = _NAMED_KEYS.get(name) or {Qt.Key[f"Key_{name}"]}
        return cls(keys=frozenset(int(k.value) for k in keys))

    def matches(self, key: int, char: str | None) -> bool:
        return key in self.keys or (bool(self.char) and char == self.char)


class ScanInput(QObject):
    """Application event filter that tells scanner bursts from hand typing."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        settings: ScanSettings | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings or ScanSettings()
        self._max_gap_s = self.settings.max_gap_s
        self._prefix = ScanKey.named(self.settings.prefix)
        self._suffix = ScanKey.named(self.settings.suffix)
        self._clock = clock
        self._chars: list[str] = []
        self._prefixed = False  # the burst began with the station's prefix
        self._last_at = 0.0
        self._ended_at: float | None = None  # a scan ended by a suffix other than Enter
        self._field_before: tuple[QLineEdit, str] | None = None

    def install(self, app: QApplication) -> None:
        """Start watching the keys of the whole application."""
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here, hundreds per scan: paints, layouts,
        # and each key event once more for every parent it propagates to. The cheap tests
        # go first; event.type() builds a Python enum on each call, so it comes last.
        if (
            not isinstance(event, QKeyEvent)
            or not _is_first_receiver(watched)
            or event.type() != _KEY_PRESS
        ):
            return False
        return self._on_key(event, watched)

    def _on_key(self, event: QKeyEvent, receiver: QObject) -> bool:
        key = event.key()
        if key in _MODIFIER_KEYS:
            return False  # Shift before a capital letter is part of a scan
        now = self._clock() if self._clock is not None else _key_time(event)
        in_burst = bool(self._chars or self._prefixed) and 0 <= now - self._last_at < (
            self._max_gap_s
        )
        char = _typed_char(event)
        if key in _ENTER_KEYS and self._after_suffix(now):
            return True  # the Enter a scanner sends after its suffix
        if not in_burst and self._prefix.matches(key, char):  # only a burst's first key
            self._begin(receiver, now, prefixed=True)
            return not (char and char.isprintable())  # a prefix key or Ctrl+B types nothing
        if key in _ENTER_KEYS or (in_burst and self._suffix.matches(key, char)):
            return self._end(receiver, now, in_burst, by_suffix=key not in _ENTER_KEYS)
        swallow = char == GS  # Ctrl+] types nothing in a field: keep it from shortcuts too
        if char == self.settings.gs_stand_in:
            char = GS
        if char is None or (not char.isprintable() and char != GS):
            self._forget()  # arrows, F-keys, Ctrl+C …: no scanner sends these
            return False
        if not in_burst:
            self._begin(receiver, now, prefixed=False)
        self._chars.append(char)
        self._last_at = now
        return swallow

    def _begin(self, receiver: QObject, now: float, *, prefixed: bool) -> None:
        self._chars.clear()
        self._prefixed = prefixed
        self._last_at = now
        self._field_before = (
            (receiver, receiver.text()) if isinstance(receiver, QLineEdit) else None
        )

    def _end(self, receiver: QObject, now: float, in_burst: bool, *, by_suffix: bool) -> bool:
        code = "".join(self._chars) if in_burst else ""
        prefixed = self._prefixed
        self._forget()
        if len(code) < self.settings.min_length or (self.settings.prefix and not prefixed):
            return False
        self._take_back(receiver)
        self._ended_at = now if by_suffix else None
        symbology, data = split_symbology(code)
        self.scanned.emit(code if symbology in GS1_SYMBOLOGIES else data)
        return True

    def _after_suffix(self, now: float) -> bool:
        ended, self._ended_at = self._ended_at, None
        return ended is not None and not self._chars and 0 <= now - ended < self._max_gap_s

    def _forget(self) -> None:
        self._chars.clear()
        self._prefixed = False

    def _take_back(self, receiver: QObject) -> None:
        """Put back the text the field had before the scanner typed into it."""
        before, self._field_before = self._field_before, None
        if before is not None and before[0] is receiver:
            before[0].setText(before[1])


def _key_time(event: QKeyEvent) -> float:
    """When the key was pressed, in seconds: the windowing system's time of the event."""
    stamp = event.timestamp()
    return stamp / 1000 if stamp else time.monotonic()


def _typed_char(event: QKeyEvent) -> str | None:
    """The character a key press types, as a scanner means it: a printable character,
    or a control character for Ctrl+letter or Ctrl+] (GS); None for any other key."""
    text = event.text()
    modifiers = event.modifiers()
    if modifiers & Qt.KeyboardModifier.ControlModifier:
        if len(text) == 1 and ord(text) < 0x20:
            return text  # X11 and Windows give Ctrl+] as ASCII 29 already
        key = event.key()
        return chr(key - 0x40) if 0x40 <= key <= 0x5F else None
    if modifiers & _NOT_TYPING or len(text) != 1 or not text.isprintable():
        return None
    return text


def _is_first_receiver(watched: QObject) -> bool:
    """True once per key press: for the focus widget (or the active window when none).

    An application filter sees a key event again for every parent it propagates to and
    for the window that received it from the system; only the first widget counts.
    """
    target = QApplication.focusWidget() or QApplication.activeWindow()
    return target is not None and watched is target


class ScanFeedback(QObject):
    """A beep and a short coloured flash on one widget (the status bar) per scan."""

    OK = "ok"
    FAILED = "failed"
    FLASH_MS = 900

    def __init__(self, target: QWidget, *, beep: bool = True) -> None:
        super().__init__(target)
        self._target = target
        self._beep = beep
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_flash_over)
        self.last: str = ""

    def scan_ok(self) -> None:
        """The scan was understood."""
        self._flash(self.OK)

    def scan_failed(self) -> None:
        """The scan was not understood or not found; beep twice as a scanner does."""
        self._flash(self.FAILED)
        if self._beep:
            QApplication.beep()

    def _flash(self, state: str) -> None:
        self.last = state
        if self._beep:
            QApplication.beep()
        self._target.setProperty("scan", state)
        repolish(self._target)
        self._timer.start(self.FLASH_MS)

    def _on_flash_over(self) -> None:
        self._target.setProperty("scan", "")
        repolish(self._target)
