"""Shelf labels to reprint after price changes, on Stock lookup where shelf labels print.

One row: how many shelf labels show an old price and a button that prints them all on
the shelf label printer (Shift+F8). Hidden while there are none. The count is read again
after each sync, since a pulled price change is what adds to it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.errors import KnownError
from app.services.printing import PrintService
from app.services.printing_shelf import ShelfReprintsPrinted
from app.services.results import StaffSession
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label

PRINT_ALL_KEY = "Shift+F8"


def count_text(count: int) -> str:
    labels = "shelf label shows" if count == 1 else "shelf labels show"
    return f"Prices changed: {count} {labels} an old price."


class ShelfReprintsBar(QWidget):
    """The count of shelf labels to reprint and "Print all" (see the module doc)."""

    printed = Signal(object)  # ShelfReprintsPrinted

    def __init__(
        self,
        *,
        printing: PrintService,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        message: MessageLine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._printing = printing
        self._runner = runner
        self._staff = staff
        self._message = message  # the screen's message line says what printing did
        self._busy = False
        self.count = 0
        self.count_label = label("", role="message")  # a warning box: old prices on shelves
        self.count_label.setProperty("tone", "warn")
        self.print_button = button(f"Print all ({PRINT_ALL_KEY})")
        self.print_button.setAccessibleName("Print all shelf labels with changed prices")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.count_label, 1)
        row.addWidget(self.print_button)
        self.print_button.clicked.connect(self.print_all)
        shortcut = QShortcut(QKeySequence(PRINT_ALL_KEY), parent or self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.print_all)
        self.hide()

    def refresh(self) -> None:
        """Read the count again (after a sync or a print)."""
        self._runner.run_db(self._printing.shelf_reprints_count, on_done=self._on_count)

    def print_all(self) -> None:
        """Print every shelf label whose price changed, as one job."""
        if self._busy or not self.count:
            return
        staff = self._staff()
        if staff is None:
            self._message.show_error("Log in to print shelf labels.")
            return
        self._busy = True
        self.print_button.setEnabled(False)
        self._message.show_info(f"Printing {self.count} shelf label(s)…")
        self._runner.run_net(
            self._printing.print_shelf_reprints,
            staff,
            on_done=self._on_printed,
            on_error=self._on_failed,
        )

    def reset(self) -> None:
        """Hidden and empty, as built (at a log-out); the next refresh counts again."""
        self._on_count(0)

    def _on_count(self, count: int) -> None:
        self.count = count
        self.count_label.setText(count_text(count) if count else "")
        self.setVisible(count > 0)

    def _on_printed(self, done: ShelfReprintsPrinted) -> None:
        self._print_ended()
        if done.delivery.printed and not done.left:
            self._message.show_ok(done.said)
        else:
            self._message.show_warning(done.said)
        self.printed.emit(done)

    def _on_failed(self, error: KnownError) -> None:
        self._print_ended()
        self._message.show_error(error)

    def _print_ended(self) -> None:
        """Printing may start again; what is left to reprint is counted anew."""
        self._busy = False
        self.print_button.setEnabled(True)
        self.refresh()
