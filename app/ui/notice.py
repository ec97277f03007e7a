"""The screen a station shows before it is enrolled: how to enrol it, and a retry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.ui.widgets import MessageLine, button, label, panel

ENROL_COMMAND = "counterbench station enrol --ledger URL --code CODE"
CODE_COMMAND = "counterbench ledger enrol-code --location STORE-CODE"


class NotEnrolledScreen(QWidget):
    """Says plainly that the station needs enrolling, and how. Emits ``check_requested``."""

    check_requested = Signal()

    def __init__(self, *, data_dir: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        command = ENROL_COMMAND
        if data_dir is not None:
            command += f" \\\n    --data-dir {data_dir}"
        self.message = MessageLine()
        self.check_button = button("Check again", primary=True)
        self.quit_button = button("Quit")

        card = panel()
        card.setFixedWidth(820)
        body = QVBoxLayout(card)
        body.setContentsMargins(32, 28, 32, 28)
        body.setSpacing(12)
        body.addWidget(label("This station is not enrolled yet", role="title"))
        body.addWidget(
            label(
                "A station must be enrolled with the stock ledger once before anyone can log "
                "in. Ask your manager for a one-time enrolment code, then run:",
                wrap=True,
            )
        )
        body.addWidget(label(command, role="code"))
        body.addWidget(
            label(
                "URL is the ledger's address (for example http://127.0.0.1:8400). A manager "
                f"makes a code on the ledger with:  {CODE_COMMAND}",
                role="muted",
                wrap=True,
            )
        )
        body.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.quit_button)
        row.addWidget(self.check_button)
        body.addLayout(row)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.check_button.clicked.connect(self.check_requested)
        self.check_button.setFocus()

    def still_not_enrolled(self) -> None:
        """The check found no enrolment yet."""
        self.message.show_warning("Still not enrolled. Run the command above, then check again.")
