"""The count dialog: how many are on the shelf, in which bucket. Enter confirms."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
from app.services.results import ItemStock
from app.ui.models import BUCKET_NAMES
from app.ui.widgets import button, label

MAX_COUNT = 999_999


class CountDialog(QDialog):
    """Asks for the observed quantity of one item. Opened with ``open()``, never blocks."""

    def __init__(self, stock: ItemStock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Count stock")
        self.setModal(True)
        self.setMinimumWidth(640)
        self._on_hand = {b.bucket: b.on_hand for b in stock.buckets}

        self.quantity = QLineEdit()
        self.quantity.setValidator(QIntValidator(0, MAX_COUNT, self))
        self.quantity.setAccessibleName("Counted quantity")
        self.quantity.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.quantity.setProperty("role", "quantity")
        self.quantity.setFixedWidth(160)
        self.less = button("−", focus=False)
        self.less.setAccessibleName("One less")
        self.less.setProperty("step", True)
        self.more = button("+", focus=False)
        self.more.setAccessibleName("One more")
        self.more.setProperty("step", True)
        self.less.clicked.connect(lambda: self._step(-1))
        self.more.clicked.connect(lambda: self._step(1))
        self.bucket = QComboBox()
        self.bucket.setAccessibleName("Bucket")
        for bucket in Bucket:
            self.bucket.addItem(BUCKET_NAMES[bucket], bucket)
        self.book = label("", role="muted")
        buttons = QDialogButtonBox()
        self.save = buttons.addButton("Save count", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setProperty("primary", True)
        self.save.setDefault(True)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
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
        form.setColumnStretch(1, 1)
        layout.addLayout(form)
        layout.addWidget(self.book)
        layout.addWidget(
            label(
                "Type what you see. The ledger posts the difference, so sales made "
                "meanwhile are kept.",
                role="muted",
                wrap=True,
            )
        )
        layout.addWidget(buttons)

        self.quantity.textChanged.connect(self._on_quantity_changed)
        self.bucket.currentIndexChanged.connect(self._on_bucket_changed)
        self._on_bucket_changed()
        self.quantity.setFocus()

    def observed(self) -> int:
        """The counted quantity (0 when the field is empty)."""
        return int(self.quantity.text() or 0)

    def chosen_bucket(self) -> Bucket:
        return Bucket(self.bucket.currentData())

    def _on_bucket_changed(self) -> None:
        on_hand = self._on_hand.get(self.chosen_bucket(), 0)
        self.book.setText(f"This station's book shows {on_hand} on hand in this bucket.")
        self.quantity.setText(str(on_hand))
        self.quantity.selectAll()

    def _on_quantity_changed(self, text: str) -> None:
        self.save.setEnabled(bool(text))

    def _step(self, by: int) -> None:
        self.quantity.setText(str(min(MAX_COUNT, max(0, self.observed() + by))))
