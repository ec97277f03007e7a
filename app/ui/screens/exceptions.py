"""Exceptions: rejected operations and ledger flags, each with what to do next.

A person reads what happened, does what the next step says, and resolves it with a
note saying what they did.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.errors import KnownError
from app.services.results import ExceptionRow, StaffSession
from app.ui.models import ExceptionModel, kind_text, local_time
from app.ui.ports import Exceptions
from app.ui.screens.common import table_view
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label, panel

REFRESH_KEY = "Ctrl+R"  # F5 opens Printers
NOTHING_OPEN = "Nothing to resolve. Refused operations and ledger flags will appear here."


class ExceptionsScreen(QWidget):
    """The list of open exceptions and the form to resolve one."""

    title = "Exceptions"
    changed_locally = Signal()

    def __init__(
        self,
        *,
        exceptions: Exceptions,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._exceptions = exceptions
        self._runner = runner
        self._staff = staff
        self._chosen: ExceptionRow | None = None

        self.model = ExceptionModel(self)
        self.view = table_view(self.model, stretch_column=1)
        self.summary = label("", role="muted")
        self.refresh_button = button(f"Refresh ({REFRESH_KEY})")
        self.message = MessageLine()
        self.row_title = label("", role="heading", wrap=True)
        self.row_when = label("", role="muted")
        self.row_detail = label("", wrap=True)
        self.row_next = MessageLine()
        self.note = QLineEdit()
        self.note.setPlaceholderText("What did you do? e.g. recounted, stock moved to damaged")
        self.note.setAccessibleName("Resolution note")
        self.resolve_button = button("Resolve", primary=True)

        self._build()
        self._show_row(None)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(self._on_row_chosen)
        self.note.returnPressed.connect(self._on_resolve)
        self.resolve_button.clicked.connect(self._on_resolve)
        shortcut = QShortcut(QKeySequence(REFRESH_KEY), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.refresh)

    def _build(self) -> None:
        top = QHBoxLayout()
        top.addWidget(label(self.title, role="title"))
        top.addSpacing(12)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)

        detail = panel()
        right = QVBoxLayout(detail)
        right.setContentsMargins(20, 16, 20, 16)
        right.setSpacing(10)
        right.addWidget(self.row_title)
        right.addWidget(self.row_when)
        right.addWidget(label("What happened", role="heading"))
        right.addWidget(self.row_detail)
        right.addWidget(label("What to do next", role="heading"))
        right.addWidget(self.row_next)
        right.addStretch(1)
        right.addWidget(label("Resolution note", role="heading"))
        right.addWidget(
            label("A lead or manager resolves exceptions and notes what was done.", role="muted")
        )
        right.addWidget(self.note)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.resolve_button)
        right.addLayout(row)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.view, 6)
        body.addWidget(detail, 5)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.view.setFocus()
        self.refresh()

    def on_scan(self, code: str) -> None:
        self.message.show_warning(
            "Scans are not used on this screen. Go to Stock lookup (F1) to look an item up."
        )

    def reset(self) -> None:
        """Forget the row chosen, the note and the list (read again when shown)."""
        self.message.clear_message()
        self.model.set_rows([])
        self.summary.setText("")
        self._show_row(None)

    def refresh(self) -> None:
        """Load the open exceptions again."""
        self._runner.run_db(
            self._exceptions.open_exceptions,
            on_done=self._on_loaded,
            on_error=self.message.show_error,
        )

    # -- slots ---------------------------------------------------------------------

    def _on_loaded(self, rows: list[ExceptionRow]) -> None:
        keep = self._chosen.key if self._chosen else None
        self.model.set_rows(rows)
        self.summary.setText(f"{len(rows)} open" if rows else NOTHING_OPEN)
        keys = [r.key for r in rows]
        if rows:
            self.view.selectRow(keys.index(keep) if keep in keys else 0)
        else:
            self._show_row(None)

    def _on_row_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        self._show_row(self.model.row_at(rows[0].row()) if rows else None)

    def _show_row(self, row: ExceptionRow | None) -> None:
        if row is None or self._chosen is None or row.key != self._chosen.key:
            self.note.clear()
        self._chosen = row
        self.resolve_button.setEnabled(row is not None)
        self.note.setEnabled(row is not None)
        if row is None:
            self.row_title.setText("No exception chosen")
            self.row_when.setText("")
            self.row_detail.setText("Choose one from the list to see what happened.")
            self.row_next.clear_message()
            return
        self.row_title.setText(row.title)
        self.row_when.setText(f"{local_time(row.created_at)}  ·  {kind_text(row.kind)}")
        self.row_detail.setText(row.detail)
        self.row_next.show_warning(row.next_step or "Ask a lead or manager what to do.")

    def _on_resolve(self) -> None:
        row, staff = self._chosen, self._staff()
        if row is None or staff is None:
            return
        note = self.note.text().strip()
        if not note:
            self.message.show_error(
                KnownError("Write a short note first.", next_step="Say what you did about it.")
            )
            self.note.setFocus()
            return
        self.resolve_button.setEnabled(False)
        self._runner.run_db(
            self._exceptions.resolve,
            staff,
            row.key,
            note,
            on_done=lambda _: self._on_resolved(row),
            on_error=self._on_resolve_failed,
        )

    def _on_resolved(self, row: ExceptionRow) -> None:
        where = (
            "It closes for the whole store with the next sync."
            if row.ledger_flag
            else "Your note is saved at this station."
        )
        self.message.show_ok(f"Resolved: {row.title}. {where}")
        self.note.clear()
        self.changed_locally.emit()
        self.refresh()
        self.view.setFocus()

    def _on_resolve_failed(self, error: KnownError) -> None:
        self.resolve_button.setEnabled(self._chosen is not None)
        self.message.show_error(error)
