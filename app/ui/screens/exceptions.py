"""Exceptions: one row per cause (refused steps and ledger flags), each with what
happened and what to do next.

A person reads what happened, does what the next step says (Enter opens the order on
Pickup or the item in Stock lookup), and a lead or manager resolves it with a note
saying what was done. Tab goes list → note → Resolve and back to the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QApplication, QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.domain.exception_ops import RESOLVING_ROLES
from app.errors import KnownError
from app.services.results import ExceptionRow, StaffSession, StationStatus
from app.ui.models import ExceptionModel
from app.ui.ports import Exceptions
from app.ui.screens.common import table_view
from app.ui.screens.exception_detail import ExceptionDetail
from app.ui.tasks import TaskRunner
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine, button, label

REFRESH_KEY = "Ctrl+R"  # F5 opens Printers
NOTHING_OPEN = "Nothing to resolve. Refused steps and ledger flags will appear here."
WIDE_PX = 1000  # narrower than this (a 1024 px screen), the details go below the list


class ExceptionsScreen(QWidget):
    """The list of open exceptions and the form to resolve one."""

    title = "Exceptions"
    changed_locally = Signal()
    order_asked = Signal(str)  # Enter on a row about an order: its number, to open on Pickup
    item_asked = Signal(str)  # Enter on a row about an item: its SKU, for Stock lookup

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
        self.view = table_view(self.model, stretch_column=0)
        self.view.setTabKeyNavigation(False)  # Tab leaves the list for the note
        self.view.setAccessibleName("Open exceptions")
        self.summary = label("", role="muted", wrap=True)  # fits a 1024-pixel screen
        self.refresh_button = button(f"Refresh ({REFRESH_KEY})", focus=False)
        self.message = MessageLine()
        self.detail = ExceptionDetail()
        self.note = self.detail.note
        self.resolve_button = self.detail.resolve_button
        self._body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._outer = QVBoxLayout(self)

        self._build()
        self._show_row(None)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.selectionModel().selectionChanged.connect(self._on_row_chosen)
        self.view.activated.connect(self._on_row_opened)
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

        self._body.setSpacing(16)
        self._body.addWidget(self.view, 6)
        self._body.addWidget(self.detail, 5)

        layout = self._outer
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addLayout(self._body, 1)
        self.setTabOrder(self.view, self.note)
        self.setTabOrder(self.note, self.resolve_button)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        staff = self._staff()
        self.detail.allow_resolve(staff is not None and staff.role in RESOLVING_ROLES)
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
        self.detail.allow_resolve(False)

    def on_station_status(self, _status: StationStatus) -> None:
        """A sync landed: what it brought (or closed) shows while the list is on show."""
        if self.isVisible():
            self.refresh()

    def nav_badge(self, status: StationStatus) -> str:
        """What the sidebar button adds to "F2 Exceptions": the open count."""
        return str(status.open_exceptions) if status.open_exceptions else ""

    def refresh(self) -> None:
        """Load the open exceptions again."""
        self._runner.run_db(
            self._exceptions.open_exceptions,
            on_done=self._on_loaded,
            on_error=self.message.show_error,
        )

    # -- layout and keys -------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_PX
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._body.direction() != direction:
            self._body.setDirection(direction)
            self._body.setStretch(0, 6 if wide else 2)
            self._body.setStretch(1, 5 if wide else 3)
            self.detail.arrange(beside_list=wide)
            # below each other, the list keeps room for three rows
            rows = self.view.horizontalHeader().sizeHint().height() + 3 * MIN_TOUCH_PX + 4
            self.view.setMinimumHeight(0 if wide else rows)
            self._outer.activate()  # now, not after this size was shown the old way

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab go round list → note → Resolve (those shown and enabled)."""
        stops = [self.view, self.note, self.resolve_button]
        chain = [w for w in stops if w.isVisible() and w.isEnabled()]
        focused = QApplication.focusWidget()
        if focused not in chain or len(chain) < 2:
            return super().focusNextPrevChild(next)
        step = 1 if next else -1
        target = chain[(chain.index(focused) + step) % len(chain)]
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        return True

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

    def _on_row_opened(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        if row.order_number:
            self.order_asked.emit(row.order_number)
        elif row.sku:
            self.item_asked.emit(row.sku)
        else:
            self.message.show_info("This one is not about one order or item: nothing to open.")

    def _show_row(self, row: ExceptionRow | None) -> None:
        if row is None or self._chosen is None or row.key != self._chosen.key:
            self.note.clear()
        self._chosen = row
        self.detail.show_row(row)

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
        about = f" ({row.about})" if row.about else ""
        self.message.show_ok(f"Resolved: {row.title}{about}. {where}")
        self.note.clear()
        self.changed_locally.emit()
        self.refresh()
        self.view.setFocus()

    def _on_resolve_failed(self, error: KnownError) -> None:
        self.resolve_button.setEnabled(self._chosen is not None)
        self.message.show_error(error)
