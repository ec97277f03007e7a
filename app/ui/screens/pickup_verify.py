"""Who collects a pickup order: the customer's pickup code (typed, or their QR scanned),
an ID check (ID type and the last 4 characters of its number), or an authorised third
party by name. Part of the handover panel; Enter in a field asks it to hand over.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.pickup_ops import Proof, Verification
from app.errors import KnownError, RuleRefused
from app.services.pickup_results import PickupDetail
from app.ui.ports import Pickup
from app.ui.tasks import TaskRunner
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine, label

ID_TYPES = (
    ("aadhaar", "Aadhaar"),
    ("driving_licence", "Driving licence"),
    ("passport", "Passport"),
    ("voter_id", "Voter ID"),
    ("pan", "PAN card"),
)
METHODS = (
    (Verification.PICKUP_CODE, "&Pickup code"),
    (Verification.ID_CHECK, "&ID check"),
    (Verification.THIRD_PARTY, "&Third party"),
)


class VerifyBox(QWidget):
    """The three ways to verify who collects, one shown at a time."""

    confirm_requested = Signal()  # Enter once verified: hand over

    def __init__(
        self,
        *,
        pickup: Pickup,
        runner: TaskRunner,
        message: MessageLine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pickup = pickup
        self._runner = runner
        self._message = message
        self._order: PickupDetail | None = None
        self._code_verified = False
        self._verified_text: str | None = None

        self.methods = QButtonGroup(self)
        self.method_row = QHBoxLayout()
        self.method_row.setSpacing(18)
        for i, (_method, text) in enumerate(METHODS):
            radio = QRadioButton(text)
            radio.setMinimumHeight(MIN_TOUCH_PX)
            self.methods.addButton(radio, i)
            self.method_row.addWidget(radio)
        self.method_row.addStretch(1)
        self.code_field = QLineEdit()
        self.code_field.setPlaceholderText("Type the customer's pickup code, then Enter")
        self.code_field.setAccessibleName("Pickup code")
        self.code_state = label("", role="muted")
        self.id_type = QComboBox()
        for key, text in ID_TYPES:
            self.id_type.addItem(text, key)
        self.id_last4 = QLineEdit()
        self.id_last4.setMaxLength(4)
        self.id_last4.setPlaceholderText("Last 4 characters")
        self.third_party = QLineEdit()
        self.third_party.setPlaceholderText("Name of the person collecting for the customer")
        self.fields = QStackedWidget()

        self._build()
        self.reset()
        self.methods.idClicked.connect(self._on_method_chosen)
        self.code_field.returnPressed.connect(self._on_code_entered)
        self.code_field.textChanged.connect(self._on_code_edited)
        for field in (self.id_last4, self.third_party):
            field.returnPressed.connect(self.confirm_requested)

    def _build(self) -> None:
        code_page = QWidget()
        code = QHBoxLayout(code_page)
        code.setContentsMargins(0, 0, 0, 0)
        code.addWidget(self.code_field, 1)
        code.addWidget(self.code_state)
        id_page = QWidget()
        ids = QHBoxLayout(id_page)
        ids.setContentsMargins(0, 0, 0, 0)
        ids.addWidget(self.id_type, 1)
        ids.addWidget(label("Last 4", role="heading"))
        ids.addWidget(self.id_last4, 1)
        third_page = QWidget()
        third = QVBoxLayout(third_page)
        third.setContentsMargins(0, 0, 0, 0)
        third.addWidget(self.third_party)
        for page in (code_page, id_page, third_page):
            self.fields.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(self.method_row)
        layout.addWidget(self.fields)

    def reset(self) -> None:
        """No order: nothing typed, nothing checked, the pickup code the way chosen."""
        self._order = None
        self._verified_text = None
        self._code_verified = False
        for field in (self.code_field, self.id_last4, self.third_party):
            field.clear()
        self.id_type.setCurrentIndex(0)
        self.code_state.setText("")
        button = self.methods.button(0)
        if button is not None:
            button.setChecked(True)
        self.fields.setCurrentIndex(0)

    def start(self, order: PickupDetail, *, code_verified: bool) -> None:
        """Verify who collects ``order``; its scanned QR counts as its code."""
        self._order = order
        self._verified_text = None
        self.code_field.clear()
        self.id_last4.clear()
        self.third_party.clear()
        self._choose(0)
        self._set_code_verified(code_verified)

    def code_verified(self) -> bool:
        return self._code_verified

    def needs_code(self) -> bool:
        """Whether the pickup code is the way chosen and is not checked yet."""
        method = METHODS[self.methods.checkedId()][0]
        return method is Verification.PICKUP_CODE and not self._code_verified

    def accept_scanned_code(self) -> None:
        """The customer's QR of this order was scanned: the code is verified."""
        self._choose(0)
        self._set_code_verified(True)

    def proof(self, customer_name: str) -> Proof:
        """The proof of pickup as chosen; ``RuleRefused`` while the code is unchecked."""
        method = METHODS[self.methods.checkedId()][0]
        if method is Verification.PICKUP_CODE:
            if not self._code_verified:
                raise RuleRefused(
                    "The pickup code is not checked yet.",
                    next_step="Type the customer's code and press Enter, or scan their QR.",
                )
            return Proof(method, customer_name)
        if method is Verification.ID_CHECK:
            last4 = self.id_last4.text().strip().upper()
            return Proof(
                method, customer_name, id_type=str(self.id_type.currentData()), id_last4=last4
            )
        third = self.third_party.text().strip()
        return Proof(method, third or customer_name, third_party_name=third)

    def _on_code_entered(self) -> None:
        if self._code_verified:
            self.confirm_requested.emit()  # the second Enter hands over
            return
        code = self.code_field.text().strip()
        if self._order is None or not code:
            self._message.show_error("Type the customer's pickup code first.")
            return
        self._runner.run_db(
            self._pickup.verify_pickup_code,
            self._order.summary.fulfilment_id,
            code,
            on_done=self._on_code_checked,
            on_error=self._message.show_error,
        )

    def _on_code_checked(self, matches: bool) -> None:
        if self._order is None:
            return  # reset while the code was checked
        self._set_code_verified(matches)
        if matches:
            self._message.show_ok("The pickup code matches. Press Enter or F9 to hand over.")
            return
        number = self._order.summary.order_number if self._order else ""
        self._message.show_error(
            KnownError(
                f"That pickup code does not match order {number}.",
                next_step="Ask the customer for the code in their message, or check their ID.",
            )
        )
        self.code_field.selectAll()

    def _on_code_edited(self, text: str) -> None:
        """A changed code is checked no more; a scan typed into the field and taken back
        (the scanner filter restores the field) leaves the check as it was."""
        if self._verified_text is not None:
            self._show_code_state(text.strip() == self._verified_text)

    def _set_code_verified(self, verified: bool) -> None:
        self._verified_text = self.code_field.text().strip() if verified else None
        self._show_code_state(verified)

    def _show_code_state(self, verified: bool) -> None:
        self._code_verified = verified
        self.code_state.setText("✔ Code checked" if verified else "Not checked yet")

    def _on_method_chosen(self, index: int) -> None:
        self._choose(index)

    def _choose(self, index: int) -> None:
        button = self.methods.button(index)
        if button is not None:
            button.setChecked(True)
        self.fields.setCurrentIndex(index)
        focus = (self.code_field, self.id_last4, self.third_party)[index]
        focus.setFocus()
