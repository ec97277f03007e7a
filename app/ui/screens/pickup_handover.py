"""The handover step of the Pickup screen: verify who collects, then hand over once.

Verify by the customer's pickup code (typed, or their QR scanned), by an ID check (ID type
and the last 4 characters of its number) or by the name of an authorised third party.
Enter in the code field checks the code; the next Enter (or F9) hands over every ready
unit. The confirm button is disabled while the call runs, so a double press never hands
over twice (the service refuses a second handover as well).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.pickup_ops import Proof, Verification
from app.errors import KnownError, RuleRefused
from app.services.pickup_results import PickupDetail, PickupRecorded
from app.services.results import StaffSession
from app.ui.ports import Pickup
from app.ui.tasks import TaskRunner
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine, button, label

CONFIRM_KEY = "F9"
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


class HandoverPanel(QWidget):
    """Verify the person collecting and hand over the ready lines of one order."""

    handed_over = Signal(object)  # PickupRecorded
    closed = Signal()

    def __init__(
        self,
        *,
        pickup: Pickup,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        message: MessageLine,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pickup = pickup
        self._runner = runner
        self._staff = staff
        self._message = message
        self._order: PickupDetail | None = None
        self._code_verified = False
        self._in_flight = False

        self.heading = label("", role="title", wrap=True)
        self.take_list = QListWidget()
        self.take_list.setAccessibleName("Lines to hand over")
        self.lines_label = label("", role="heading")
        self.lines_label.setBuddy(self.take_list)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why the unticked lines are cancelled")
        self.reason_label = label("&Reason", role="heading")
        self.reason_label.setBuddy(self.reason)
        self.methods = QButtonGroup(self)
        self.method_row = QHBoxLayout()
        self.method_row.setSpacing(28)
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
        self.confirm_button = button(f"Confirm handover ({CONFIRM_KEY})", primary=True)
        self.back_button = button("Back (Esc)")

        self._build()
        self.methods.idClicked.connect(self._on_method_chosen)
        self.code_field.returnPressed.connect(self._on_code_entered)
        self.code_field.textEdited.connect(self._on_code_edited)
        self.take_list.itemChanged.connect(self._on_take_changed)
        for field in (self.id_last4, self.third_party, self.reason):
            field.returnPressed.connect(self.confirm)
        self.confirm_button.clicked.connect(self.confirm)
        self.back_button.clicked.connect(self._on_back)
        for key, slot in ((CONFIRM_KEY, self.confirm), ("Escape", self._on_back)):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

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

        form = QGridLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.addWidget(label("Verify by", role="heading"), 0, 0)
        form.addLayout(self.method_row, 0, 1)
        form.addWidget(self.fields, 1, 1)
        form.addWidget(self.reason_label, 2, 0)
        form.addWidget(self.reason, 2, 1)
        form.setColumnStretch(1, 1)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.lines_label)
        layout.addWidget(self.take_list)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)

    # -- what the screen calls --------------------------------------------------------

    def start(self, order: PickupDetail, *, code_verified: bool = False) -> None:
        """Show the handover of ``order``; a scanned QR of it counts as its code."""
        self._order = order
        self._in_flight = False
        summary = order.summary
        self.heading.setText(f"Hand over {summary.order_number} to {summary.customer_name}")
        where = f" from bin {summary.bin}" if summary.bin else ""
        self.lines_label.setText(f"&Lines to take{where} (Space unticks what the customer leaves)")
        self._fill_take_list(order)
        self.code_field.clear()
        self.id_last4.clear()
        self.third_party.clear()
        self._choose(0)
        self._set_code_verified(code_verified)
        self.confirm_button.setEnabled(True)
        self.code_field.setFocus()

    def order_id(self) -> int | None:
        return None if self._order is None else self._order.summary.fulfilment_id

    def code_verified(self) -> bool:
        return self._code_verified

    def accept_scanned_code(self) -> None:
        """The customer's QR of this order was scanned: the code is verified."""
        self._choose(0)
        self._set_code_verified(True)
        self._message.show_ok("The customer's QR matches this order. Press F9 to hand over.")

    def confirm(self) -> None:
        """Hand over every ready unit with the proof chosen; at most one call at a time."""
        staff = self._staff()
        if self._in_flight or self._order is None or staff is None:
            return
        try:
            proof = self._proof()
        except KnownError as error:
            self._message.show_error(error)
            return
        taken, left = self._taken_and_left()
        ready = {x.sku: x.ready_waiting for x in self._order.lines}
        reason = self.reason.text().strip()
        if not taken:
            self._message.show_error("Tick at least one line the customer takes.")
            return
        if left and not reason:
            self._message.show_error(
                KnownError(
                    "Say why the unticked lines are cancelled.",
                    next_step="Type the reason (Alt+R), then press F9.",
                )
            )
            self.reason.setFocus()
            return
        lines = {sku: ready[sku] for sku in taken}
        self._in_flight = True
        self.confirm_button.setEnabled(False)
        self._runner.run_db(
            self._pickup.handover,
            staff,
            self._order.summary.fulfilment_id,
            lines,
            proof,
            left,
            reason if left else "",
            on_done=self._on_handed_over,
            on_error=self._on_handover_failed,
        )

    # -- slots --------------------------------------------------------------------------

    def _proof(self) -> Proof:
        method = METHODS[self.methods.checkedId()][0]
        name = self._order.summary.customer_name if self._order else ""
        if method is Verification.PICKUP_CODE:
            if not self._code_verified:
                raise RuleRefused(
                    "The pickup code is not checked yet.",
                    next_step="Type the customer's code and press Enter, or scan their QR.",
                )
            return Proof(method, name)
        if method is Verification.ID_CHECK:
            last4 = self.id_last4.text().strip().upper()
            return Proof(method, name, id_type=str(self.id_type.currentData()), id_last4=last4)
        third = self.third_party.text().strip()
        return Proof(method, third or name, third_party_name=third)

    def _fill_take_list(self, order: PickupDetail) -> None:
        blocked = self.take_list.blockSignals(True)
        self.take_list.clear()
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
        for line in order.lines:
            if line.ready_waiting:
                text = f"{line.ready_waiting} × {line.name or line.sku}  ({line.sku})"
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, line.sku)
                item.setFlags(flags | Qt.ItemFlag.ItemIsSelectable)
                item.setCheckState(Qt.CheckState.Checked)
                item.setSizeHint(QSize(0, MIN_TOUCH_PX))
                self.take_list.addItem(item)
        self.take_list.blockSignals(blocked)
        self.take_list.setCurrentRow(0)
        rows = max(1, self.take_list.count())
        self.take_list.setFixedHeight(rows * MIN_TOUCH_PX + 2 * self.take_list.frameWidth() + 4)
        self.reason.clear()
        self._on_take_changed()

    def _taken_and_left(self) -> tuple[list[str], list[str]]:
        taken: list[str] = []
        left: list[str] = []
        for i in range(self.take_list.count()):
            item = self.take_list.item(i)
            sku = str(item.data(Qt.ItemDataRole.UserRole))
            (taken if item.checkState() == Qt.CheckState.Checked else left).append(sku)
        return taken, left

    def _on_take_changed(self, _item: QListWidgetItem | None = None) -> None:
        partial = bool(self._taken_and_left()[1])
        self.reason.setVisible(partial)
        self.reason_label.setVisible(partial)

    def _on_code_entered(self) -> None:
        if self._code_verified:
            self.confirm()  # the second Enter hands over
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

    def _on_code_edited(self, _text: str) -> None:
        if self._code_verified:
            self._set_code_verified(False)

    def _set_code_verified(self, verified: bool) -> None:
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

    def _on_handed_over(self, recorded: PickupRecorded) -> None:
        self._in_flight = False
        self.handed_over.emit(recorded)

    def _on_handover_failed(self, error: KnownError) -> None:
        self._in_flight = False
        self.confirm_button.setEnabled(True)
        self._message.show_error(error)

    def _on_back(self) -> None:
        if not self._in_flight:
            self.closed.emit()
