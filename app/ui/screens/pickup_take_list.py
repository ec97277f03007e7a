"""What the customer takes at a handover: each ready line ticked, with how many of its
units. Space unticks a whole line; Left and Right take one unit fewer or more of the
chosen line (1 of 2), down to none and up to what is ready. Arrows, not − and +: a
scanner types those inside codes (SKU STA-01842), and never an arrow. Part of the
handover panel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from app.services.pickup_results import PickupDetail, PickupLineView
from app.ui.theme import MIN_TOUCH_PX

FEWER_KEYS = (Qt.Key.Key_Left,)
MORE_KEYS = (Qt.Key.Key_Right,)
LEAST_ROWS = 2  # lines shown on a short screen, the rest a scroll away


class TakeList(QListWidget):
    """The ready lines of one order and the units of each the customer takes."""

    units_changed = Signal()  # a line ticked, unticked, or its units changed

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Lines to hand over")
        self._lines: dict[str, PickupLineView] = {}
        self._units: dict[str, int] = {}
        self.itemChanged.connect(self._on_ticked)

    def fill(self, order: PickupDetail) -> None:
        """Every line with units ready, each taken whole."""
        blocked = self.blockSignals(True)
        self.clear()
        self._lines = {x.sku: x for x in order.lines if x.ready_waiting}
        self._units = {sku: x.ready_waiting for sku, x in self._lines.items()}
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        for sku in self._lines:
            item = QListWidgetItem(sku)
            item.setData(Qt.ItemDataRole.UserRole, sku)
            item.setFlags(flags | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setSizeHint(QSize(0, MIN_TOUCH_PX))
            self.addItem(item)
        self.blockSignals(blocked)
        self.setCurrentRow(0)
        rows = max(1, self.count())
        frame = 2 * self.frameWidth() + 4
        self.setMaximumHeight(rows * MIN_TOUCH_PX + frame)  # a short screen scrolls the rest
        self.setMinimumHeight(min(rows, LEAST_ROWS) * MIN_TOUCH_PX + frame)

    def forget(self) -> None:
        """No order (at a log-out)."""
        blocked = self.blockSignals(True)
        self.clear()
        self.blockSignals(blocked)
        self._lines, self._units = {}, {}

    def taken(self) -> dict[str, int]:
        """SKU -> units the customer takes (lines with none left out)."""
        return {sku: n for sku, n in self._units.items() if n}

    def left(self) -> list[str]:
        """SKUs of lines with ready units the customer does not take."""
        return [sku for sku, n in self._units.items() if n < self._lines[sku].ready_waiting]

    def units_left(self) -> int:
        return sum(self._lines[sku].ready_waiting - self._units[sku] for sku in self.left())

    def show_scans(self, scanned: Callable[[str], int]) -> None:
        """Each line as "1 of 2 × Kurta (SKU-1) · 1 of 1 scanned"."""
        blocked = self.blockSignals(True)
        for i in range(self.count()):
            item = self.item(i)
            sku = str(item.data(Qt.ItemDataRole.UserRole))
            line, units = self._lines[sku], self._units[sku]
            ready = line.ready_waiting
            took = f"{units} of {ready}" if units != ready else f"{ready}"
            item.setText(
                f"{took} × {line.name or sku}  ({sku})  ·  {scanned(sku)} of {units} scanned"
            )
            state = Qt.CheckState.Checked if units else Qt.CheckState.Unchecked
            if item.checkState() != state:
                item.setCheckState(state)
        self.blockSignals(blocked)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in FEWER_KEYS or key in MORE_KEYS:
            self._step(-1 if key in FEWER_KEYS else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def _step(self, by: int) -> None:
        item = self.currentItem()
        if item is None:
            return
        sku = str(item.data(Qt.ItemDataRole.UserRole))
        units = min(self._lines[sku].ready_waiting, max(0, self._units[sku] + by))
        if units != self._units[sku]:
            self._units[sku] = units
            self.units_changed.emit()

    def _on_ticked(self, item: QListWidgetItem) -> None:
        sku = str(item.data(Qt.ItemDataRole.UserRole))
        ticked = item.checkState() == Qt.CheckState.Checked
        units = self._lines[sku].ready_waiting if ticked else 0
        if units != self._units.get(sku):
            self._units[sku] = units
            self.units_changed.emit()
