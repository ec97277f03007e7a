"""Idle log-out: no key, click or touch for a while sends the station back to login.

The last part of the idle time is a warning: ``warning`` counts the seconds down (the
main window shows "Logging out in 27 s"), and any key, click or touch cancels it
(``stayed``). The key or click that cancels also does what it always does, so a scan
that arrives during the countdown is read whole.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
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
        self._armed = False
        self._warning = False
        self._touched_at = 0.0  # time.monotonic() of the last input
        self._seconds_left = 0  # said by the countdown
        self._quiet = QTimer(self)  # input to the start of the warning
        self._quiet.setSingleShot(True)
        self._quiet.timeout.connect(self._on_quiet)
        self._end = QTimer(self)  # to the log-out
        self._end.setSingleShot(True)
        self._end.setTimerType(Qt.TimerType.PreciseTimer)
        self._end.timeout.connect(self._on_end)
        self._tick = QTimer(self)  # the countdown
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def arm(self, *, warn: bool = True) -> None:
        """Start counting idle time (after a login; ``warn=False`` at the login screen)."""
        self._warns = warn
        self._armed = True
        self._restart()

    def disarm(self) -> None:
        """Stop counting (at the login screen)."""
        self._armed = False
        self._stop_timers()

    def is_armed(self) -> bool:
        return self._armed

    def is_warning(self) -> bool:
        """Whether the countdown to the log-out is on."""
        return self._warning

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here, a key event once for every widget
        # it propagates to, so the work is one clock read: the timers are not restarted
        # per key but look at the last input when they fire. A key during the warning
        # cancels it at once. isinstance first: event.type() builds a Python enum.
        if self._armed and (
            isinstance(event, QKeyEvent)
            or (isinstance(event, _POINTER) and event.type() in _POINTER_ACTIVITY)
        ):
            self._touched_at = time.monotonic()
            if self._warning:
                self._restart()
                self.stayed.emit()
        return False

    def _stop_timers(self) -> None:
        for timer in (self._quiet, self._end, self._tick):
            timer.stop()
        self._warning = False

    def _restart(self) -> None:
        self._stop_timers()
        self._touched_at = time.monotonic()
        if self._warns and self._warn_ms > 0:
            self._quiet.start(self._idle_ms - self._warn_ms)
        else:
            self._end.start(self._idle_ms)

    def _still_quiet_ms(self, quiet_ms: int) -> int:
        """How much longer than now ``quiet_ms`` after the last input ends (0 when over)."""
        since_ms = (time.monotonic() - self._touched_at) * 1000
        return max(0, math.ceil(quiet_ms - since_ms))

    def _on_quiet(self) -> None:
        wait_ms = self._still_quiet_ms(self._idle_ms - self._warn_ms)
        if wait_ms > 0:  # input came since the timer started
            self._quiet.start(wait_ms)
            return
        self._warning = True
        self._end.start(self._warn_ms)
        self._tick.start()
        self._seconds_left = math.ceil(self._warn_ms / 1000)
        self.warning.emit(self._seconds_left)

    def _on_tick(self) -> None:
        # Counted, not read off the end timer: a tick and the end fall on the same
        # instant, in either order, so each second is said once and the end says none.
        self._seconds_left -= 1
        if self._seconds_left >= 1:
            self.warning.emit(self._seconds_left)

    def _on_end(self) -> None:
        wait_ms = 0 if self._warning else self._still_quiet_ms(self._idle_ms)
        if wait_ms > 0:  # no warning (login screen) and input came since it started
            self._end.start(wait_ms)
            return
        self.disarm()
        self.timed_out.emit()
