"""What every screen shares: the screen protocol and a table view sized for touch."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QWidget,
)

from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine


class Screen(Protocol):
    """A screen the main window can show: a title, what to do with a scan, and how to
    forget the person who used it.

    A screen may also have ``on_station_status(status)``: the main window calls it when
    a sync landed or the station went offline or online (the cursor, the count waiting
    to be sent or the online state changed), so what is on show can be read again.
    """

    title: str

    def activate(self) -> None:
        """The screen was just shown: put the cursor where work starts, refresh."""

    def on_scan(self, code: str) -> None:
        """A scanner read ``code`` while this screen was showing."""

    def reset(self) -> None:
        """Someone logged out: forget all they did here (typed text, messages, what was
        open or chosen, answers still on their way) and be as when built. The next
        person sees nothing of the last one; ``activate`` loads what is to be shown."""


def forget_inputs(screen: QWidget) -> None:
    """Empty every text field and hide every message line of ``screen``: what the main
    window does for each screen at a log-out, before the screen's own ``reset`` (so a
    field added to a screen is never left holding the last person's text). The text
    inside a spin box or a combo box is their value, not typed text: left to ``reset``."""
    for field in screen.findChildren(QLineEdit):
        if not isinstance(field.parentWidget(), QAbstractSpinBox | QComboBox):
            field.clear()
    for editor in screen.findChildren(QTextEdit) + screen.findChildren(QPlainTextEdit):
        editor.clear()
    for line in screen.findChildren(MessageLine):
        line.clear_message()


def table_view(model: QAbstractItemModel, *, stretch_column: int = 0) -> QTableView:
    """A read-only row-selecting table with large rows; one column takes the spare width."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(MIN_TOUCH_PX)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move in it)
    return view


def fit_rows(view: QTableView, rows: int, *, least: int | None = None) -> None:
    """Make ``view`` exactly as tall as its header and ``rows`` rows: no scroll bar. With
    ``least``, it may give up height down to that many rows on a short screen, and
    scrolls the rest."""
    header = view.horizontalHeader().sizeHint().height()
    frame = 2 * view.frameWidth() + 4
    if least is None or least >= rows:
        view.setFixedHeight(header + rows * MIN_TOUCH_PX + frame)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return
    view.setMinimumHeight(header + least * MIN_TOUCH_PX + frame)
    view.setMaximumHeight(header + rows * MIN_TOUCH_PX + frame)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
