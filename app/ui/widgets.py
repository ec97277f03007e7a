"""Small widgets every screen uses: labels with a role, the message line, buttons, a
one-line label that gives up width when room is short, and a holder that keeps its
content's relayouts inside."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import KnownError


def code_and_pin(who: str) -> tuple[QLineEdit, QLineEdit]:
    """The staff code field and the hidden PIN field of ``who`` approving ("Lead's",
    "Manager's"), as every approval dialog asks them."""
    code = QLineEdit()
    code.setAccessibleName(f"{who} staff code")
    pin = QLineEdit()
    pin.setEchoMode(QLineEdit.EchoMode.Password)
    pin.setAccessibleName(f"{who} PIN")
    return code, pin


def enter_walks(fields: Sequence[QWidget], accept: Callable[[], object]) -> None:
    """Enter on a field of ``fields`` moves to the next one; on the last it accepts."""
    for here, there in pairwise(fields):
        if here.hasFocus():
            there.setFocus()
            return
    accept()


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


def title_row(title: str, search: QLineEdit, find: QPushButton) -> QHBoxLayout:
    """A screen's title with its search field and Find button beside it, on one row: the
    height a 768-pixel screen cannot spare for a title of its own."""
    row = QHBoxLayout()
    row.setSpacing(16)
    row.addWidget(label(title, role="title"))
    row.addWidget(search, 1)
    row.addWidget(find)
    return row


def panel() -> QFrame:
    """A white framed panel."""
    frame = QFrame()
    frame.setProperty("role", "panel")
    return frame


def card(*, spacing: int | None = None) -> tuple[QFrame, QVBoxLayout]:
    """A white framed panel holding a work area, and its column layout."""
    frame = panel()
    inside = QVBoxLayout(frame)
    inside.setContentsMargins(16, 10, 16, 10)
    if spacing is not None:
        inside.setSpacing(spacing)
    return frame, inside


def screen_layout(
    screen: QWidget, header: QLayout, *rows: QWidget, body: QWidget | QLayout
) -> QVBoxLayout:
    """A work screen's column: its title row, ``rows`` (a summary, the message line), then
    ``body`` taking the rest of the height."""
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(24, 12, 24, 12)
    layout.setSpacing(8)
    layout.addLayout(header)
    for row in rows:
        layout.addWidget(row)
    if isinstance(body, QLayout):
        layout.addLayout(body, 1)
    else:
        layout.addWidget(body, 1)
    return layout


def keep_room(widget: QWidget) -> None:
    """``widget`` keeps its room while hidden: what is below it does not jump (and all
    repaint) each time it comes and goes."""
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)


def shortcut(owner: QWidget, key: str | Qt.Key, slot: Callable[[], object]) -> QShortcut:
    """``key`` runs ``slot`` while the focus is in ``owner`` or one of its children."""
    keys = QShortcut(QKeySequence(key), owner)
    keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    keys.activated.connect(slot)
    return keys


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


class ElidedLabel(QLabel):
    """One line of text that shrinks to ``min_chars`` characters when room is short, its
    end drawn as "…" (``text()`` is still all of it). A row of these never makes the
    window wider than the screen."""

    def __init__(self, text: str = "", *, min_chars: int = 6) -> None:
        super().__init__(text)
        self._min_chars = min_chars
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        least = self.fontMetrics().averageCharWidth() * (self._min_chars + 1)
        return QSize(min(hint.width(), least + margins.left() + margins.right()), hint.height())

    def is_elided(self) -> bool:
        """Whether the text is cut short on screen."""
        room = self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(self.text()) > room

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.is_elided():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        room = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, room.width()
        )
        self.style().drawItemText(
            painter,
            room,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )
        painter.end()


class Insulated(QWidget):
    """One widget filling this one, with its relayouts kept inside.

    Every scan changes the open order's texts. Qt relays out the widgets around a changed
    text level by level up to the window, each level with its own repaint; this widget
    has no layout of its own, so the relayout stops here (its size comes from around it)
    unless the content's minimum size changed: then the layout around it fits it anew.
    Having no layout, it has no height-for-width: a scroll area around it sizes it by its
    minimum, not by how tall its wrapped labels would be at some width. With
    ``wrapped_labels``, its minimum height is what the content on show needs at the
    width it has, wrapped labels and all.
    """

    def __init__(self, widget: QWidget, *, wrapped_labels: bool = False) -> None:
        super().__init__()
        self._widget = widget
        self._wrapped = wrapped_labels
        widget.setParent(self)
        self._least = self.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self._widget.sizeHint()

    def minimumSizeHint(self) -> QSize:
        least = self._widget.minimumSizeHint()
        if self._wrapped and self.width() > 0:
            least.setHeight(max(least.height(), least_height(self._widget, self.width())))
        return least

    def refit(self) -> None:
        """Fit the content anew (its size may have changed)."""
        self._least = self.minimumSizeHint()
        self.updateGeometry()  # for a layout around it
        QCoreApplication.postEvent(self, QEvent(QEvent.Type.LayoutRequest))  # a scroll area

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the content was laid out anew
            self._refit_when_changed()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._widget.setGeometry(self.rect())
        if self._wrapped and event.size().width() != event.oldSize().width():
            self._refit_when_changed()

    def _refit_when_changed(self) -> None:
        if self.minimumSizeHint() != self._least:
            self.refit()


def least_height(widget: QWidget, width: int) -> int:
    """The least height ``widget`` needs at ``width``, its wrapped labels wrapped (for a
    stack of pages, the page on show)."""
    page = widget.currentWidget() if isinstance(widget, QStackedWidget) else None
    if page is not None:
        return least_height(page, width)
    layout = widget.layout()
    if layout is None or not layout.hasHeightForWidth():
        return widget.minimumSizeHint().height()
    return layout.minimumHeightForWidth(width)
