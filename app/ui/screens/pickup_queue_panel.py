"""The left side of the Pickup screen: the queue by what is to be done, or what a search
found when it matched more than one order. Choosing an order (↑ ↓, click) opens it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHeaderView, QVBoxLayout, QWidget

from app.services.pickup_results import PickupQueue, PickupSummary
from app.ui.screens.common import table_view
from app.ui.screens.pickup_models import PickupQueueModel, QueueEntry, queue_entries
from app.ui.widgets import label

ORDER = 0
CUSTOMER = 1  # the column that gives way first on a narrow screen
QUEUE_MIN_PX = 230  # an order number and its age
CUSTOMER_ROOM_PX = 330  # narrower than this, the customer's name is left out


class QueuePanel(QWidget):
    """The pickup queue (a heading row per bucket, then its orders) in one table. It keeps
    room for each order's number and age; the customer's name shows where there is room."""

    order_chosen = Signal(int)  # fulfilment id of the row chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PickupQueueModel(self)
        self.view = table_view(self.model, stretch_column=CUSTOMER)
        self.showing_found = False  # what a search matched, not the queue
        self.setMinimumWidth(QUEUE_MIN_PX)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label("Queue", role="heading"))
        layout.addWidget(self.view, 1)
        self.view.selectionModel().selectionChanged.connect(self._on_chosen)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < CUSTOMER_ROOM_PX
        if self.view.isColumnHidden(CUSTOMER) != narrow:
            self.view.setColumnHidden(CUSTOMER, narrow)
            mode = QHeaderView.ResizeMode  # the order number takes the customer's room
            header = self.view.horizontalHeader()
            header.setSectionResizeMode(ORDER, mode.Stretch if narrow else mode.ResizeToContents)

    def show_queue(self, queue: PickupQueue, open_id: int | None) -> None:
        """Show ``queue``; the open order's row (when listed) is selected quietly."""
        self.showing_found = False
        self._set_rows(queue_entries(queue))
        self.mark_open(open_id)

    def mark_open(self, open_id: int | None) -> None:
        """Select the open order's row quietly and scroll it into view; no row selected
        when it is not listed (the list never points at another order than the one open)."""
        row = -1 if open_id is None else self.model.row_of(open_id)
        selection = self.view.selectionModel()
        blocked = selection.blockSignals(True)
        if row >= 0:
            self.view.selectRow(row)
            headings = [r for r in self.model.heading_rows() if r < row]
            if headings:  # its group's heading in view too, where the room allows
                self.view.scrollTo(self.model.index(headings[-1], 0))
            self.view.scrollTo(self.model.index(row, 0))
        else:
            self.view.clearSelection()
        selection.blockSignals(blocked)

    def clear(self) -> None:
        """No rows (until the queue is read again)."""
        self.showing_found = False
        self._set_rows([])

    def show_found(self, orders: Sequence[PickupSummary]) -> None:
        """The orders a search matched, the first chosen, the cursor in the list."""
        heading = QueueEntry(None, f"Found ({len(orders)})")
        rows = [heading] + [
            QueueEntry(s.fulfilment_id, s.order_number, s.customer_name) for s in orders
        ]
        self._set_rows(rows)
        self.showing_found = True
        self.view.selectRow(1)
        self.view.setFocus()

    def _set_rows(self, rows: list[QueueEntry]) -> None:
        """The rows, each heading across the whole row (its count and what is shown)."""
        self.model.set_rows(rows)
        self.view.clearSpans()
        for row in self.model.heading_rows():
            self.view.setSpan(row, 0, 1, self.model.columnCount())

    def _on_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if not rows:
            return
        fid = self.model.row_at(rows[0].row()).fulfilment_id
        if fid is not None:
            self.order_chosen.emit(fid)
