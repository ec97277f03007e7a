"""Keyboard-wedge scanner input and scan feedback.

A wedge scanner "types" its code very fast and ends with Enter. ``ScanInput`` watches
every key press of the application: a burst of at least ``min_length`` characters with
gaps under ``max_gap_s`` that ends with Enter is a scan. It takes the scanned characters
back out of the text field they landed in, swallows the Enter and emits ``scanned``.
Typing by hand is slower than the gap, so it reaches the widgets untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from app.ui.widgets import repolish

MAX_GAP_S = 0.040
MIN_LENGTH = 4
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_KEY_PRESS = QEvent.Type.KeyPress


class ScanInput(QObject):
    """Application event filter that tells scanner bursts from hand typing."""

    scanned = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        max_gap_s: float = MAX_GAP_S,
        min_length: int = MIN_LENGTH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self._max_gap_s = max_gap_s
        self._min_length = min_length
        self._clock = clock
        self._chars: list[str] = []
        self._last_at = 0.0
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
        now = self._clock()
        in_burst = bool(self._chars) and now - self._last_at < self._max_gap_s
        if event.key() in _ENTER_KEYS:
            code = "".join(self._chars) if in_burst else ""
            self._chars.clear()
            if len(code) < self._min_length:
                return False
            self._take_back(receiver)
            self.scanned.emit(code)
            return True
        text = event.text()
        plain = event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier == (
            Qt.KeyboardModifier.NoModifier
        )
        if len(text) != 1 or not text.isprintable() or not plain:
            self._chars.clear()
            return False
        if not in_burst:
            self._chars.clear()
            self._field_before = (
                (receiver, receiver.text()) if isinstance(receiver, QLineEdit) else None
            )
        self._chars.append(text)
        self._last_at = now
        return False

    def _take_back(self, receiver: QObject) -> None:
        """Put back the text the field had before the scanner typed into it."""
        before, self._field_before = self._field_before, None
        if before is not None and before[0] is receiver:
            before[0].setText(before[1])


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
