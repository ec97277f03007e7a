"""A manager approves a return without a receipt, by keys only: staff code, Enter, PIN,
Enter accepts; Esc closes and the units stay on the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QFormLayout, QVBoxLayout, QWidget

from app.services.returns.results import ManagerApproval
from app.ui.widgets import code_and_pin, enter_walks, label

MANAGER_KEYS = "Enter moves to the PIN · Enter there approves · Esc closes"
DIALOG_WIDTH = 440  # the summary in three lines, not six; fits 1024 x 768


class ManagerDialog(QDialog):
    """The manager's code and PIN for the return ``summary`` describes."""

    def __init__(self, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A manager approves the return")
        self.setMinimumWidth(DIALOG_WIDTH)
        self.code, self.pin = code_and_pin("Manager's")
        form = QFormLayout()
        form.addRow("Manager", self.code)
        form.addRow("PIN", self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(label(summary, wrap=True))
        layout.addLayout(form)
        layout.addWidget(label(MANAGER_KEYS, role="muted", wrap=True))
        self.code.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves from the code to the PIN, and there approves."""
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            super().keyPressEvent(event)
        else:
            enter_walks((self.code, self.pin), self.accept)

    def approval(self) -> ManagerApproval:
        """What the manager keyed."""
        return ManagerApproval(self.code.text().strip().upper(), self.pin.text())
