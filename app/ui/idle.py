"""Idle log-out: no key, click or touch for a while sends the station back to login.

The last part of the idle time is a warning: ``warning`` counts the seconds down (the
main window shows "Logging out in 27 s"), and any key, click or touch cancels it
(``stayed``). The key or click that cancels also does what it always does, so a scan
that arrives during the countdown is read whole.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

WARN_S = 30.0  # the countdown before an idle log-out (half the idle time when that is less)
TICK_MS = 1_000

_POINTER = (QMouseEvent, QWheelEvent, QTouchEvent)
_POINTER_ACTIVITY = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}
)


class IdleWatch(QObject):
    """Application event filter with timers that any input restarts.

    While armed (someone is logged in), ``warning(seconds_left)`` fires each second of
    the last ``warn_s`` without input, then ``timed_out`` once; input during the warning
    emits ``stayed``. ``arm(warn=False)`` times out without a warning (the login screen
    forgets what was typed there); ``disarm`` stops it.
    """

    warning = Signal(int)  # seconds left before the log-out
    stayed = Signal()  # input during the warning: no log-out
    timed_out = Signal()

    def __init__(self, idle_s: float, parent: QObject | None = None, *, warn_s: float = WARN_S):
        super().__init__(parent)
        self._idle_ms = max(1, round(idle_s * 1000))
        self._warn_ms = min(round(warn_s * 1000), self._idle_ms // 2)
        self._warns = True
        self._warning = False
        self._quiet = QTimer(self)  # input to the start of the warning
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._on_quiet)
        self._end = QTimer(self)  # to the log-out
        self._end.setSingleShot(True)
        self._end.timeout.connect(self._on_end)
        self._tick = QTimer(self)  # the countdown
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._say_left)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def arm(self, *, warn: bool = True) -> None:
        """Start counting idle time (after a login; ``warn=False`` at the login screen)."""
        self._warns = warn
        self._restart()

    def disarm(self) -> None:
        """Stop counting (at the login screen)."""
        for timer in (self._quiet, self._end, self._tick):
            timer.stop()
        self._warning = False

    def is_armed(self) -> bool:
        return self._quiet.isActive() or self._end.isActive()

    def is_warning(self) -> bool:
        """Whether the countdown to the log-out is on."""
        return self._warning

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here, so the test is cheap: any key event
        # is a key touched; a pointer event counts when pressed (a mere move does not).
        # isinstance first: event.type() builds a Python enum on each call.
        if (
            isinstance(event, QKeyEvent)
            or (isinstance(event, _POINTER) and event.type() in _POINTER_ACTIVITY)
        ) and self.is_armed():
            self._restart()
        return False

    def _restart(self) -> None:
        was_warning = self._warning
        self.disarm()
        if self._warns and self._warn_ms > 0:
            self._quiet.start(self._idle_ms - self._warn_ms)
        else:
            self._end.start(self._idle_ms)
        if was_warning:
            self.stayed.emit()

    def _on_quiet(self) -> None:
        self._warning = True
        self._end.start(self._warn_ms)
        self._tick.start()
        self._say_left()

    def _say_left(self) -> None:
        left_ms = max(0, self._end.remainingTime())
        self.warning.emit(max(1, math.ceil(left_ms / 1000)))

    def _on_end(self) -> None:
        self.disarm()
        self.timed_out.emit()
