"""The chosen exception: what happened, what to do next, and (for a lead or manager) the
note and Resolve. Beside the list on a wide screen, below it on a narrow one."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.services.results import ExceptionRow
from app.ui.models import local_time
from app.ui.statusbar import age
from app.ui.widgets import MessageLine, button, label, panel

ENTER_OPENS = {"order": "Enter on the list opens order {} on Pickup.",
               "item": "Enter on the list opens {} in Stock lookup."}  # fmt: skip
NOT_YOURS = "A lead or manager resolves exceptions: ask one to log in here."


class ExceptionDetail(QWidget):
    """What one exception says, and the form to resolve it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = label("", role="heading", wrap=True)
        self.when = label("", role="muted", wrap=True)
        self.what = label("", wrap=True)
        self.next_step = MessageLine()
        self.opens = label("", role="muted", wrap=True)
        self.note = QLineEdit()
        self.note.setPlaceholderText("What did you do? e.g. put both items back on the shelf")
        self.note.setAccessibleName("Resolution note")
        self.resolve_button = button("Resolve", primary=True)
        self.not_yours = label(NOT_YOURS, role="muted", wrap=True)
        self.form = QWidget()
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._build()
        self.show_row(None)
        self.allow_resolve(False)

    def _build(self) -> None:
        texts = QVBoxLayout()
        texts.setSpacing(8)
        texts.addWidget(self.title)
        texts.addWidget(self.when)
        texts.addWidget(label("What happened", role="heading"))
        texts.addWidget(self.what)
        texts.addWidget(label("What to do next", role="heading"))
        texts.addWidget(self.next_step)
        texts.addStretch(1)

        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(8)
        form.addWidget(label("Resolution note", role="heading"))
        form.addWidget(self.note)
        form.addWidget(self.resolve_button)
        side = QVBoxLayout()
        side.setSpacing(12)
        side.addWidget(self.form)
        side.addWidget(self.not_yours)
        side.addWidget(self.opens)
        side.addStretch(1)

        box = panel()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.addLayout(self._layout)
        self._layout.setSpacing(16)
        self._layout.addLayout(texts, 3)
        self._layout.addLayout(side, 2)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(box)

    def arrange(self, *, beside_list: bool) -> None:
        """Beside the list: texts above the form; below the list: texts left, form right."""
        self._layout.setDirection(
            QBoxLayout.Direction.TopToBottom if beside_list else QBoxLayout.Direction.LeftToRight
        )

    def allow_resolve(self, allowed: bool) -> None:
        """Show the note and Resolve only to someone whose role may resolve."""
        self.form.setVisible(allowed)
        self.not_yours.setVisible(not allowed)

    def show_row(self, row: ExceptionRow | None) -> None:
        chosen = row is not None
        self.note.setEnabled(chosen)
        self.resolve_button.setEnabled(chosen)
        if row is None:
            self.title.setText("No exception chosen")
            self.when.setText("")
            self.what.setText("Choose one from the list to see what happened.")
            self.next_step.clear_message()
            self.opens.setText("")
            return
        self.title.setText(row.title)
        about = f"  ·  {row.about}" if row.about else ""
        self.when.setText(f"Open for {age(row.age_s)}, since {local_time(row.created_at)}{about}")
        self.what.setText(row.detail)
        self.next_step.show_warning(row.next_step or "Ask a lead or manager what to do.")
        if row.order_number:
            self.opens.setText(ENTER_OPENS["order"].format(row.order_number))
        elif row.sku:
            self.opens.setText(ENTER_OPENS["item"].format(row.about or row.sku))
        else:
            self.opens.setText("")
