"""The list of units taken in this return: the newest few, one line each, so a long
return never pushes the step's words off a 768-pixel screen."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.ui.widgets import ElidedLabel, label

SHOWN_UNITS = 4  # the newest units listed; the lines table counts them all


class TakenList(QWidget):
    """The units in this return, newest last, each on one line (cut with "…")."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Units in this return")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.more = label("", role="muted")
        column.addWidget(self.more)
        self.rows = [ElidedLabel(min_chars=20) for _ in range(SHOWN_UNITS)]
        for row in self.rows:
            column.addWidget(row)
        self.show_units([])

    def show_units(self, lines: list[str]) -> None:
        shown = lines[-SHOWN_UNITS:]
        hidden = len(lines) - len(shown)
        self.more.setText(f"… and {hidden} more before these" if hidden else "")
        self.more.setVisible(hidden > 0)
        for i, row in enumerate(self.rows):
            row.setText(shown[i] if i < len(shown) else "")
            row.setVisible(i < len(shown))

    def text(self) -> str:
        """Every unit shown, one a line."""
        return "\n".join(row.text() for row in self.rows if row.isVisibleTo(self))
