"""Marking a pickup line short: confirm, and say why (a reason of the retailer's list).

Opened by F7 on the Pickup screen. The reasons list shows what each does to stock here
(not found: nothing to promise until counted; damaged: moved to damaged stock). Up and
Down choose, Enter marks the line short, Esc leaves it as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.pickup_results import PickupLineView, ReasonChoice
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import label


class ShortDialog(QDialog):
    """Asks to confirm a short of the rest of one line, and why."""

    def __init__(
        self,
        line: PickupLineView,
        reasons: tuple[ReasonChoice, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mark line short")
        self.setModal(True)
        self.setMinimumWidth(620)
        self.line = line
        units = f"{line.to_pick} unit{'s' * (line.to_pick != 1)}"
        name = line.name or line.sku
        self._reasons = reasons
        self.reasons = QListWidget()
        self.reasons.setAccessibleName("Why the line is short")
        for reason in reasons:
            item = QListWidgetItem(f"{reason.label}  —  {reason.effect}")
            item.setData(Qt.ItemDataRole.UserRole, reason.code)
            item.setSizeHint(QSize(0, MIN_TOUCH_PX))
            self.reasons.addItem(item)
        self.reasons.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.confirm = buttons.addButton("Mark short", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setProperty("primary", True)
        self.confirm.setDefault(True)
        self.cancel = buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(f"Mark {units} of {name} ({line.sku}) short?", role="heading"))
        layout.addWidget(
            label(
                "The customer gets what is picked; the ledger moves the rest to another "
                "store or tells the customer.",
                role="muted",
                wrap=True,
            )
        )
        if reasons:
            layout.addWidget(label("Why (Up and Down choose, Enter marks it short)"))
            layout.addWidget(self.reasons)
            self.reasons.setFocus()
        else:  # never synced: no reasons here yet
            self.reasons.hide()
            layout.addWidget(label("Press Enter to mark it short, Esc to go back.", role="muted"))
            self.confirm.setFocus()
        layout.addWidget(buttons)

    def chosen_reason(self) -> str:
        """The code of the chosen reason ("" when none is offered)."""
        item = self.reasons.currentItem()
        return "" if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def chosen_said(self) -> str:
        """The chosen reason and its effect, as said after the short: "Not found on the
        shelf: not available to promise here until counted." ("" when none)."""
        row = self.reasons.currentRow()
        if not 0 <= row < len(self._reasons):
            return ""
        chosen = self._reasons[row]
        return f"{chosen.label}: {chosen.effect}."
