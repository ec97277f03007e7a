"""What the hold-shelf bin labels panel is made of: the bin list (a checkable model and
its wrapping grid view, keyboard-driven: arrows move, Space checks) and the preview
picture shrunk to fit its box."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QSizePolicy

from app.domain.labels import BinLabel
from app.ui.theme import ACCENT, MIN_TOUCH_PX

Index = QModelIndex | QPersistentModelIndex
BIN_CELL = QSize(118, MIN_TOUCH_PX + 2)
BIN_COLUMNS = 4
BINS_STYLE = f"""
QListView {{
    background: #ffffff; border: 1px solid #c9d0da; border-radius: 6px; outline: 0; padding: 4px;
}}
QListView:focus {{ border: 2px solid {ACCENT}; }}
QListView::item {{ border-radius: 4px; }}
QListView::item:selected {{ background: #dde5f1; color: #14181f; }}
QListView::item:selected:focus {{ border: 2px solid {ACCENT}; }}
QListView::indicator {{ width: 22px; height: 22px; }}
"""
PREVIEW_STYLE = "FittedImage { background: #e9edf3; border-radius: 6px; padding: 10px; }"
EDGE = QColor("#9aa4b2")  # the label's edge, drawn round the preview


class BinModel(QAbstractListModel):
    """The store's hold-shelf bins, each checked when chosen for printing."""

    chosen_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._bins: list[BinLabel] = []
        self._chosen: set[str] = set()

    def set_bins(self, bins: Sequence[BinLabel]) -> None:
        """Show ``bins``; bins still there stay chosen."""
        self.beginResetModel()
        self._bins = list(bins)
        self._chosen &= {b.bin_code for b in self._bins}
        self.endResetModel()
        self.chosen_changed.emit()

    def bins(self) -> list[BinLabel]:
        return list(self._bins)

    def chosen(self) -> list[BinLabel]:
        """The chosen bins, in the store's order."""
        return [b for b in self._bins if b.bin_code in self._chosen]

    def row_of(self, code: str) -> int:
        """The row of bin ``code`` (any case), or -1."""
        wanted = code.strip().upper()
        return next((i for i, b in enumerate(self._bins) if b.bin_code.upper() == wanted), -1)

    def choose(self, row: int, chosen: bool = True) -> None:
        self.setData(self.index(row), _state(chosen), Qt.ItemDataRole.CheckStateRole)

    def choose_all(self, chosen: bool) -> None:
        self._chosen = {b.bin_code for b in self._bins} if chosen else set()
        if self._bins:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._bins) - 1), [Qt.ItemDataRole.CheckStateRole]
            )
        self.chosen_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._bins)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._bins):
            return None
        item = self._bins[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.bin_code
        if role == Qt.ItemDataRole.CheckStateRole:
            return _state(item.bin_code in self._chosen)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.caption
        if role == Qt.ItemDataRole.SizeHintRole:
            return BIN_CELL - QSize(8, 2)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        code = self._bins[index.row()].bin_code
        if Qt.CheckState(value) == Qt.CheckState.Checked:
            self._chosen.add(code)
        else:
            self._chosen.discard(code)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.chosen_changed.emit()
        return True


def _state(chosen: bool) -> Qt.CheckState:
    return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked


class FittedImage(QLabel):
    """A picture shrunk to fit its box (never enlarged), keeping its proportions."""

    def __init__(self) -> None:
        super().__init__()
        self._picture = QPixmap()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(240, 120)
        self.setStyleSheet(PREVIEW_STYLE)

    def show_picture(self, picture: QPixmap) -> None:
        self._picture = picture
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._picture.isNull():
            self.clear()
            return
        room = self.contentsRect().size()
        shown = self._picture
        if shown.width() > room.width() or shown.height() > room.height():
            shown = shown.scaled(
                room,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        else:
            shown = shown.copy()
        painter = QPainter(shown)
        painter.setPen(EDGE)
        painter.drawRect(0, 0, shown.width() - 1, shown.height() - 1)
        painter.end()
        self.setPixmap(shown)


def bin_list_view(model: BinModel) -> QListView:
    """The bins as a grid of large check boxes, four to a row, wrapping downwards."""
    view = QListView()
    view.setModel(model)
    view.setAccessibleName("Hold-shelf bins; Space chooses")
    view.setFlow(QListView.Flow.LeftToRight)
    view.setWrapping(True)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setUniformItemSizes(True)
    view.setGridSize(BIN_CELL)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setStyleSheet(BINS_STYLE)
    view.setFixedWidth(BIN_COLUMNS * BIN_CELL.width() + 28)
    return view
