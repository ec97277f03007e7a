"""The pack step's questions, by keys only: a lead accepts a parcel weight outside the
range (staff code, PIN and a reason; Enter moves on, Enter on the reason accepts, Esc
closes), and why a parcel's label is void (Enter accepts, Esc keeps the label)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QInputDialog,
    QVBoxLayout,
    QWidget,
)

from app.domain.shipping.weights import OVERRIDE_REASONS
from app.services.shipping.pack import LeadOverride
from app.ui.widgets import code_and_pin, enter_walks, label

LEAD_KEYS = "Enter moves on · ↑ ↓ choose the reason · Enter there accepts · Esc closes"


class LeadDialog(QDialog):
    """The lead's code, PIN and reason for accepting ``weight_words``."""

    def __init__(self, weight_words: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A lead accepts the weight")
        self.code, self.pin = code_and_pin("Lead's")
        self.reason = QComboBox()
        self.reason.setAccessibleName("Why the weight is right")
        for code, words in OVERRIDE_REASONS.items():
            self.reason.addItem(words, code)
        form = QFormLayout()
        form.addRow("Lead", self.code)
        form.addRow("PIN", self.pin)
        form.addRow("Reason", self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(label(weight_words, wrap=True))
        layout.addLayout(form)
        layout.addWidget(label(LEAD_KEYS, role="muted", wrap=True))
        self.code.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves from the code to the PIN to the reason, and there accepts."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
        else:
            enter_walks((self.code, self.pin, self.reason), self.accept)

    def override(self) -> LeadOverride:
        """What the lead keyed."""
        return LeadOverride(
            self.code.text().strip().upper(), self.pin.text(), str(self.reason.currentData())
        )


def void_dialog(sscc: str, parent: QWidget) -> QInputDialog:
    """Ask why the label of parcel ``sscc`` is void (a misprint, unless typed otherwise)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Void a label")
    dialog.setLabelText(f"Why is the label of parcel {sscc} void?")
    dialog.setTextValue("Misprinted label")
    return dialog
