"""The count dialog: a blind count of one item in one bucket. Enter saves, Esc cancels.

The book quantity is never shown nor filled in: the associate types what is on the
shelf. A count far from the book is asked again with the field empty (the first number
is not shown either), then, if still far, a reason from the retailer's list. The dialog
asks; the Stock lookup screen makes the one service call per Save and tells the dialog
what the station wants next (:meth:`CountDialog.ask`) or closes it when recorded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.stock import Bucket
from app.errors import KnownError
from app.services.results import CountCheck, ItemStock
from app.ui.models import BUCKET_NAMES
from app.ui.widgets import button, label

MAX_COUNT = 999_999
FIRST_HINT = "Count what is on the shelf and type it. The book is not shown: count, don't check."
RECOUNT_HINT = (
    "That is far from what this station expected. Count the shelf again and type the "
    "new number (the first one is not shown)."
)
REASON_HINT = "The second count is still far from the book. Choose why, then Save."


class CountDialog(QDialog):
    """Asks for the observed quantity of one item. Opened with ``open()``, never blocks.

    ``count_entered`` is emitted on Save with (observed, bucket, first count or None,
    reason code or ""); the dialog stays open until :meth:`done_recording` or Esc.
    """

    count_entered = Signal(int, object, object, str)

    def __init__(self, stock: ItemStock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Count stock")
        self.setModal(True)
        self.setMinimumWidth(640)
        self._first: int | None = None  # the first count, once a recount was asked
        self._busy = False

        self.quantity = QLineEdit()
        self.quantity.setValidator(QIntValidator(0, MAX_COUNT, self))
        self.quantity.setAccessibleName("Counted quantity")
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.quantity.setProperty("role", "quantity")
        self.quantity.setFixedWidth(160)
        self.less = button("−")
        self.less.setAccessibleName("One less")
        self.less.setProperty("step", True)
        self.less.setAutoDefault(False)
        self.more = button("+")
        self.more.setAccessibleName("One more")
        self.more.setProperty("step", True)
        self.more.setAutoDefault(False)
        self.less.clicked.connect(lambda: self._step(-1))
        self.more.clicked.connect(lambda: self._step(1))
        self.bucket = QComboBox()
        self.bucket.setAccessibleName("Bucket")
        for bucket in Bucket:
            self.bucket.addItem(BUCKET_NAMES[bucket], bucket)
        self.reason = QComboBox()
        self.reason.setAccessibleName("Why the count differs")
        self.reason_label = label("Why it differs")
        self.hint = label(FIRST_HINT, role="muted", wrap=True)
        self.problem = label("", role="error", wrap=True)
        buttons = QDialogButtonBox()
        self.save = buttons.addButton("Save count", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setProperty("primary", True)
        self.save.setDefault(True)
        self.cancel = buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel.setAutoDefault(False)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(label(stock.item.name, role="heading", wrap=True))
        layout.addWidget(label(f"SKU {stock.item.sku}   GTIN {stock.item.gtin}", role="muted"))
        stepper = QHBoxLayout()
        stepper.setSpacing(8)
        stepper.addWidget(self.less)
        stepper.addWidget(self.quantity)
        stepper.addWidget(self.more)
        stepper.addStretch(1)
        form = QGridLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addWidget(label("Counted on the shelf"), 0, 0)
        form.addLayout(stepper, 0, 1)
        form.addWidget(label("Bucket"), 1, 0)
        form.addWidget(self.bucket, 1, 1)
        form.addWidget(self.reason_label, 2, 0)
        form.addWidget(self.reason, 2, 1)
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        QWidget.setTabOrder(self.quantity, self.less)
        QWidget.setTabOrder(self.less, self.more)
        QWidget.setTabOrder(self.more, self.bucket)
        QWidget.setTabOrder(self.bucket, self.reason)
        QWidget.setTabOrder(self.reason, self.save)
        QWidget.setTabOrder(self.save, self.cancel)

        self.quantity.textChanged.connect(self._on_quantity_changed)
        self.bucket.currentIndexChanged.connect(self._on_bucket_changed)
        self._show_reasons(())
        self._on_quantity_changed(self.quantity.text())
        self.quantity.setFocus()

    def observed(self) -> int:
        """The counted quantity (0 when the field is empty)."""
        return int(self.quantity.text() or 0)

    def chosen_bucket(self) -> Bucket:
        return Bucket(self.bucket.currentData())

    def chosen_reason(self) -> str:
        return str(self.reason.currentData() or "") if self.reason.isVisible() else ""

    # -- what the screen calls ------------------------------------------------------------

    def ask(self, check: CountCheck) -> None:
        """The station wants a recount (the field is emptied) or a reason (the list shows)."""
        self._busy = False
        self.problem.setText("")
        if check.wants == "recount":
            self._first = self.observed()
            self.quantity.clear()
            self.hint.setText(RECOUNT_HINT)
            self.quantity.setFocus()
        else:
            self._show_reasons(check.reasons)
            self.hint.setText(REASON_HINT)
            self.reason.setFocus()
        self._on_quantity_changed(self.quantity.text())

    def done_recording(self) -> None:
        """The count is in the outbox: close."""
        self._busy = False
        self.accept()

    def failed(self, error: KnownError) -> None:
        """Saving failed: say why here, keep what was typed."""
        self._busy = False
        self.problem.setText(f"{error.message} {error.next_step or ''}".strip())
        self._on_quantity_changed(self.quantity.text())
        self.quantity.setFocus()

    # -- slots ----------------------------------------------------------------------------

    def _on_save(self) -> None:
        if self._busy or not self.quantity.text():
            return
        if self.reason.isVisible() and not self.chosen_reason():
            self.problem.setText("Choose why the count differs.")
            self.reason.setFocus()
            return
        self._busy = True
        self.save.setEnabled(False)
        self.count_entered.emit(
            self.observed(), self.chosen_bucket(), self._first, self.chosen_reason()
        )

    def _show_reasons(self, reasons: tuple[tuple[str, str], ...]) -> None:
        self.reason.clear()
        for code, words in reasons:
            self.reason.addItem(words, code)
        for widget in (self.reason, self.reason_label):
            widget.setVisible(bool(reasons))

    def _on_bucket_changed(self) -> None:
        """Another bucket is another count: start again, blind."""
        self._first = None
        self._show_reasons(())
        self.hint.setText(FIRST_HINT)
        self.problem.setText("")
        self.quantity.clear()

    def _on_quantity_changed(self, text: str) -> None:
        self.save.setEnabled(bool(text) and not self._busy)

    def _step(self, by: int) -> None:
        self.quantity.setText(str(min(MAX_COUNT, max(0, self.observed() + by))))
