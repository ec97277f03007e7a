"""Idle log-out: no key, click or touch for a while sends the station back to login."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTouchEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

_POINTER = (QMouseEvent, QWheelEvent, QTouchEvent)
_POINTER_ACTIVITY = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}
)


class IdleWatch(QObject):
    """Application event filter with a timer that any input restarts.

    ``timed_out`` fires once after ``idle_s`` without input while the watch is armed
    (someone is logged in); ``disarm`` stops it at the login screen.
    """

    timed_out = Signal()

    def __init__(self, idle_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(idle_s * 1000)))
        self._timer.timeout.connect(self.timed_out)

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def arm(self) -> None:
        """Start counting idle time (after a login)."""
        self._timer.start()

    def disarm(self) -> None:
        """Stop counting (at the login screen)."""
        self._timer.stop()

    def is_armed(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of the application passes here, so the test is cheap: any key event
        # is a key touched; a pointer event counts when pressed (a mere move does not).
        # isinstance first: event.type() builds a Python enum on each call.
        if (
            isinstance(event, QKeyEvent)
            or (isinstance(event, _POINTER) and event.type() in _POINTER_ACTIVITY)
        ) and self._timer.isActive():
            self._timer.start()
        return False
