"""The one application event filter of the terminal: scanner and idle watch share it.

Every event of the application (paints, layouts, timers, and each key once more for
every widget it propagates to) is wrapped for Python once per application filter, about
a thousand times a scan. One filter that hands each event to the idle watch and then to
the scanner pays that once, inside the one frame a scan has.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from app.ui.idle import IdleWatch
from app.ui.scanner import ScanInput


class InputFilter(QObject):
    """Application event filter: any input to ``idle``, then keys to ``scans``."""

    def __init__(self, *, scans: ScanInput, idle: IdleWatch, parent: QObject | None = None):
        super().__init__(parent)
        self._scans = scans
        self._idle = idle

    def install(self, app: QApplication) -> None:
        app.installEventFilter(self)

    def remove(self, app: QApplication) -> None:
        app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self._idle.eventFilter(watched, event)  # never swallows: input only restarts it
        return self._scans.eventFilter(watched, event)
