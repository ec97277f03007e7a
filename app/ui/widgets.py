"""Small widgets every screen uses: labels with a role, the message line, buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWidget

from app.errors import KnownError


def label(text: str = "", *, role: str = "", wrap: bool = False) -> QLabel:
    """A label with a theme role: ``title``, ``heading``, ``muted``, ``code``."""
    widget = QLabel(text)
    if role:
        widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def button(text: str, *, primary: bool = False, focus: bool = True) -> QPushButton:
    """A large push button; ``primary`` for the one main action of a screen."""
    widget = QPushButton(text)
    if primary:
        widget.setProperty("primary", True)
    if not focus:
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setAutoDefault(False)
    return widget


def panel() -> QFrame:
    """A white framed panel."""
    frame = QFrame()
    frame.setProperty("role", "panel")
    return frame


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class MessageLine(QLabel):
    """The one line where a screen tells the associate what happened and what to do next."""

    def __init__(self) -> None:
        super().__init__()
        self.setProperty("role", "message")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_ok(self, text: str) -> None:
        self._show(text, "ok")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def show_warning(self, text: str) -> None:
        self._show(text, "warn")

    def show_error(self, error: KnownError | str) -> None:
        if isinstance(error, KnownError):
            text = error.message + (f"\n{error.next_step}" if error.next_step else "")
        else:
            text = error
        self._show(text, "error")

    def tone(self) -> str:
        """The tone shown (ok, info, warn, error), or "" when the line is hidden."""
        return "" if self.isHidden() else str(self.property("tone") or "")

    def clear_message(self) -> None:
        self.setText("")
        self.setProperty("tone", "")
        self.hide()

    def _show(self, text: str, tone: str) -> None:
        self.setText(text)
        self.setProperty("tone", tone)
        repolish(self)
        self.show()
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Stay tall enough for the message and its next step (layouts size a label by its
        one-line hint otherwise, which hides the next step)."""
        if self.width() <= 0:
            return
        before = self.minimumHeight()
        self.setMinimumHeight(0)  # QLabel's height for width never goes below its minimum
        height = self.heightForWidth(self.width())
        self.setMinimumHeight(height if height > 0 else before)
        if height > 0 and height != before:
            parent = self.parentWidget()
            layout = parent.layout() if parent is not None else None
            if layout is not None:
                layout.activate()  # reflow now: the screen may be grabbed before it idles
