"""The window's size on the screen it opens on: never larger than the screen's free area.

On a screen with room to spare the window opens at ``WINDOW_SIZE``, centred. On a smaller
one (a 1366 x 768 or 1024 x 768 counter screen) it takes the free area and is maximized,
so the status bar is always in view, with a window manager or without one (a kiosk).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

WINDOW_SIZE = QSize(1366, 768)
FRAME_PX = QSize(16, 48)  # room for a window manager's borders and title bar


def fitted_geometry(available: QRect, preferred: QSize = WINDOW_SIZE) -> tuple[QRect, bool]:
    """Where the window goes on a screen whose free area is ``available``, and whether it
    is maximized: when ``preferred`` with a frame around it does not fit."""
    framed = preferred + FRAME_PX
    if framed.width() > available.width() or framed.height() > available.height():
        return QRect(available), True
    placed = QRect(available.topLeft(), preferred)
    placed.moveCenter(available.center())
    return placed, False


def show_fitted(window: QWidget) -> None:
    """Show ``window`` sized for the free area of its screen (see ``fitted_geometry``)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    geometry, maximized = fitted_geometry(screen.availableGeometry())
    window.setGeometry(geometry)  # what a kiosk without a window manager keeps
    if maximized:
        window.showMaximized()
    else:
        window.show()
