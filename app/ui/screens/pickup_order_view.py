"""What the Pickup screen shows of the open order (:mod:`.pickup_order_panel`): its title,
what it is, its lines, the next step's hint, the step field with the one primary action,
and the short and tag buttons; kept in place from order to order."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.domain.fulfilment import FulfilmentState
from app.services.pickup_results import PickupDetail
from app.ui.screens.common import fit_rows, table_view
from app.ui.screens.pickup_models import PickupLineModel, order_meta, order_title
from app.ui.screens.pickup_steps import PLACEHOLDERS, Step, hint_for, restock_hint
from app.ui.widgets import button, keep_room, label

S = FulfilmentState
PRIMARY_KEY = "F9"
SHORT_KEY = "F7"
TAG_KEY = "F8"
TAGGED = (S.STAGED, S.READY_FOR_PICKUP)
NO_PRIMARY = (Step.NONE, Step.WAIT)
LEAST_ROWS = 2  # the lines shown on a short screen, the rest a scroll away
NO_ORDER_META = "Scan the customer's QR or choose an order in the queue."


class OrderView(QWidget):
    """The open pickup order as shown, and the widgets its steps are run from."""

    resized = Signal()  # the view needs another height (more or fewer lines)

    def __init__(self, *, with_tag: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows_shown = -1
        self.title = label("No order open", role="title", wrap=True)
        self.meta = label(NO_ORDER_META)
        self.meta.setProperty("role", "muted")
        self.meta.setWordWrap(True)
        self.lines = PickupLineModel(self)
        self.lines_view = table_view(self.lines, stretch_column=0)
        self.step_hint = label("", role="heading", wrap=True)
        self.step_field = QLineEdit()
        self.step_field.setAccessibleName("Scan or type for the next step")
        self.primary = button(f"{Step.NONE.value}", primary=True)
        self.short_button = button(f"Mark line short ({SHORT_KEY})")
        self.tag_button = button(f"Pickup tag ({TAG_KEY})")
        self.tag_button.setVisible(with_tag)

        self._build()
        self._geometry_kept = False

    def _build(self) -> None:
        step_row = QHBoxLayout()
        step_row.addWidget(self.step_field, 1)
        step_row.addWidget(self.primary)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.short_button)  # its room is kept while hidden
        actions.addWidget(self.tag_button)  # so the tag button stays at the right edge
        inside = QVBoxLayout(self)
        inside.setContentsMargins(0, 0, 0, 0)
        inside.setSpacing(10)
        inside.addWidget(self.title)
        inside.addWidget(self.meta)
        inside.addWidget(self.lines_view, 100)  # its rows first, up to all of them
        inside.addWidget(self.step_hint)
        inside.addLayout(step_row)
        inside.addLayout(actions)
        inside.addStretch(1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._geometry_kept:  # once, styled as shown
            self._geometry_kept = True
            self._keep_geometry()

    def _keep_geometry(self) -> None:
        """Keep the step row and the action row where they are from order to order: the
        primary button as wide as its widest step, the hint two lines tall, the short
        button's room kept while hidden (a widget that moves repaints, and a scan should
        repaint no more than it must)."""
        shown = self.primary.text()
        widths = []
        for step in Step:
            self.primary.setText(f"{step.value} ({PRIMARY_KEY})")
            widths.append(self.primary.sizeHint().width())
        self.primary.setText(shown)
        self.primary.setMinimumWidth(max(widths))
        self.step_hint.setMinimumHeight(2 * self.step_hint.fontMetrics().lineSpacing())
        keep_room(self.short_button)

    def show_order(
        self,
        order: PickupDetail | None,
        step: Step,
        *,
        busy: bool,
        online: bool,
        restock_checked: bool,
    ) -> None:
        """Show ``order`` (None: no order open) at ``step``. What is as shown stays
        untouched (Qt skips an unchanged text), so a scan relays out no more than it must."""
        self.lines.set_rows([] if order is None else order.lines)
        self.lines_view.clearSelection()  # F7 marks short only a line chosen in this order
        rows = max(1, min(6, self.lines.rowCount()))
        if rows != self._rows_shown:
            fit_rows(self.lines_view, rows, least=LEAST_ROWS)
            self._rows_shown = rows
            self.resized.emit()
        self.primary.setText(f"{step.value} ({PRIMARY_KEY})")
        self.primary.setEnabled(step not in NO_PRIMARY and not busy)
        _set_visible(self.short_button, step is Step.PICK)
        self.tag_button.setEnabled(order is not None and order.summary.state in TAGGED)
        self.step_field.setPlaceholderText(PLACEHOLDERS.get(step, "Scan or type, then Enter"))
        self.step_field.clear()
        if order is None:
            self.title.setText("No order open")
            self.meta.setText(NO_ORDER_META)
            self.step_hint.setText("")
            return
        self.title.setText(order_title(order))
        self.meta.setText(order_meta(order))
        if step is Step.RESTOCK:
            self.step_hint.setText(restock_hint(order, bin_checked=restock_checked))
        else:
            self.step_hint.setText(hint_for(order, step, online=online))


def _set_visible(widget: QWidget, visible: bool) -> None:
    """Show or hide ``widget`` only when that changes (each change relays out its row)."""
    if widget.isHidden() == visible:
        widget.setVisible(visible)
