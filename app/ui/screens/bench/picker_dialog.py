"""Choose who picks an order: the location's staff in a list, and "Nobody" last to take
the order off its picker, by arrows and Enter."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.services.shipping.results import Picker
from app.ui.widgets import label

NOBODY = "Nobody: take it off its picker"


class PickerDialog(QDialog):
    """Who picks ``order_number``: ↑ ↓ choose, Enter gives it, Esc leaves it as it is."""

    def __init__(
        self,
        order_number: str,
        pickers: Sequence[Picker],
        current: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Picker for {order_number}")
        self.choices = QListWidget()
        self.choices.setAccessibleName("Staff who may pick")
        for picker in pickers:
            item = QListWidgetItem(f"{picker.name}  ({picker.code}, {picker.role})")
            item.setData(Qt.ItemDataRole.UserRole, picker.code)
            self.choices.addItem(item)
            if picker.code == current:
                self.choices.setCurrentItem(item)
        nobody = QListWidgetItem(NOBODY)
        nobody.setData(Qt.ItemDataRole.UserRole, "")
        self.choices.addItem(nobody)
        if self.choices.currentRow() < 0:
            self.choices.setCurrentRow(0)
        self.choices.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label(f"Who picks {order_number}?", role="heading"))
        layout.addWidget(self.choices)
        layout.addWidget(label("↑ ↓ choose · Enter gives the order · Esc closes", role="muted"))
        self.choices.setFocus()

    def chosen(self) -> str:
        """The staff code chosen ("" for nobody)."""
        item = self.choices.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))
