"""The main window's sidebar: the brand, a button per screen with the key that opens it,
who is logged in and the log-out button.

F1…F6, then F10 and F11, open the screens in sidebar order (a screen with a ``key``
attribute keeps that key: Printers is F5). F7…F9 are the screens' own keys and F12 logs
out, so screens past those eight have no key of their own: Ctrl+PgDn and Ctrl+PgUp step
through every screen, and the sidebar says so. From seven screens on the buttons sit
closer; should even that not fit the window (banners shown), they scroll, never clip.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.ui.screens.common import Screen
from app.ui.widgets import label

SCREEN_KEYS = ("F1", "F2", "F3", "F4", "F5", "F6", "F10", "F11")
NEXT_SCREEN_KEY, PREVIOUS_SCREEN_KEY = "Ctrl+PgDown", "Ctrl+PgUp"
COMPACT_FROM = 7  # screens from which the buttons sit closer
SIDEBAR_WIDTH = 240
NARROW_SIDEBAR_WIDTH = 172  # on a window narrower than WIDE_WINDOW_PX (1024 x 768)
WIDE_WINDOW_PX = 1280


class Sidebar(QWidget):
    """Navigation buttons for ``screens`` (``nav`` ids are screen indexes)."""

    def __init__(
        self, screens: list[QWidget], keys: list[str], logout_key: str, width: int
    ) -> None:
        super().__init__()
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)  # a subclass: else no fill
        self.setFixedWidth(sidebar_width(width))
        self.nav = QButtonGroup(self)
        self.staff_line = label("", role="muted", wrap=True)
        self.logout_button = QPushButton(f"Log out ({logout_key})")
        self.logout_button.setProperty("nav", "quiet")
        compact = len(screens) >= COMPACT_FROM
        side = QVBoxLayout(self)
        margin = 8 if compact else 16
        side.setContentsMargins(0, margin, 0, margin)
        side.setSpacing(4)
        brand = label("Counterbench", role="heading")
        brand.setContentsMargins(16, 0, 16, 4 if compact else 12)
        side.addWidget(brand)
        self.nav_area = self._nav_list(screens, keys, compact)
        side.addWidget(self.nav_area, 1)
        if "" in keys:
            hint = label("Ctrl+PgDn: next", role="muted")
            hint.setToolTip(
                f"{NEXT_SCREEN_KEY} and {PREVIOUS_SCREEN_KEY} step through every screen"
            )
            hint.setContentsMargins(16, 0, 12, 0)
            side.addWidget(hint)
        self.staff_line.setContentsMargins(16, 0, 12, 4)
        side.addWidget(self.staff_line)
        logout_row = QHBoxLayout()
        logout_row.setContentsMargins(12, 0, 12, 0)
        logout_row.addWidget(self.logout_button)
        side.addLayout(logout_row)

    def _nav_list(self, screens: list[QWidget], keys: list[str], compact: bool) -> QScrollArea:
        holder = QWidget()
        holder.setObjectName("navList")
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2 if compact else 4)
        for i, (widget, key) in enumerate(zip(screens, keys, strict=True)):
            nav = QPushButton(f"{key}  {cast(Screen, widget).title}".strip())
            nav.setProperty("nav", True)
            nav.setProperty("compact", compact)
            nav.setCheckable(True)
            nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.nav.addButton(nav, i)
            column.addWidget(nav)
        column.addStretch(1)
        area = QScrollArea()
        area.setObjectName("navArea")
        area.setWidget(holder)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        area.viewport().setAutoFillBackground(False)  # the sidebar's colour shows through
        holder.setAutoFillBackground(False)
        return area

    def mark(self, index: int) -> None:
        """Check screen ``index``'s button and scroll it into view."""
        button = self.nav.button(index)
        if button is not None:
            button.setChecked(True)
            # once the screen shown has been laid out (the area's height may change)
            QTimer.singleShot(0, lambda: self.nav_area.ensureWidgetVisible(button, 0, 0))

    def fit_width(self, window_width: int) -> None:
        self.setFixedWidth(sidebar_width(window_width))


def screen_keys(screens: list[QWidget]) -> list[str]:
    """The key that opens each screen: its own ``key``, else the next free of
    ``SCREEN_KEYS``; none past them (Ctrl+PgDn reaches those screens)."""
    claimed = {str(getattr(screen, "key", "")) for screen in screens} - {""}
    free = (key for key in SCREEN_KEYS if key not in claimed)
    return [str(getattr(screen, "key", "")) or next(free, "") for screen in screens]


def sidebar_width(window_width: int) -> int:
    """The sidebar's width: narrower on a small screen, so the screens keep their room."""
    return SIDEBAR_WIDTH if window_width >= WIDE_WINDOW_PX else NARROW_SIDEBAR_WIDTH
