"""What every screen shares: the screen protocol and a table view sized for touch."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.ui.theme import MIN_TOUCH_PX


class Screen(Protocol):
    """A screen the main window can show: a title, and what to do with a scan."""

    title: str

    def activate(self) -> None:
        """The screen was just shown: put the cursor where work starts, refresh."""

    def on_scan(self, code: str) -> None:
        """A scanner read ``code`` while this screen was showing."""


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
    return view


def fit_rows(view: QTableView, rows: int) -> None:
    """Make ``view`` exactly as tall as its header and ``rows`` rows: no scroll bar."""
    header = view.horizontalHeader().sizeHint().height()
    frame = 2 * view.frameWidth() + 4
    view.setFixedHeight(header + rows * MIN_TOUCH_PX + frame)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
