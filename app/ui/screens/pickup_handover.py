"""The handover step of the Pickup screen: verify who collects, then hand over once.

Verify by the customer's pickup code (typed, or their QR scanned), by an ID check (ID type
and the last 4 characters of its number) or by the name of an authorised third party.
Scan the bin and each item: the order's bin label checks the shelf, each item scan ticks
one unit of its line. Enter in the code field checks the code; the next Enter (or F9)
hands over every ticked line once the bin and all its units are scanned. The confirm
button is disabled while the call runs, so a double press never hands over twice (the
service refuses a second handover as well).
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
from app.ui.screens.pickup_steps import line_for, looks_like_bin, looks_like_item
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
        self._verified_text: str | None = None
        self._in_flight = False
        self._bin_checked = False
        self._scanned: dict[str, int] = {}

        self.heading = label("", role="title", wrap=True)
        self.take_list = QListWidget()
        self.take_list.setAccessibleName("Lines to hand over")
        self.shelf_state = label("", role="heading", wrap=True)
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
        self.code_field.textChanged.connect(self._on_code_edited)
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
        layout.addWidget(self.shelf_state)
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
        self._bin_checked = not summary.bin
        self._scanned = {x.sku: 0 for x in order.lines}
        self._fill_take_list(order)
        self._verified_text = None
        self.code_field.clear()
        self.id_last4.clear()
        self.third_party.clear()
        self._choose(0)
        self._set_code_verified(code_verified)
        self._show_checks()
        self.code_field.setFocus()

    def order_id(self) -> int | None:
        return None if self._order is None else self._order.summary.fulfilment_id

    def code_verified(self) -> bool:
        return self._code_verified

    def bin_checked(self) -> bool:
        return self._bin_checked

    def scanned(self, sku: str) -> int:
        """Units of line ``sku`` scanned at this handover."""
        return self._scanned.get(sku, 0)

    def on_scan(self, code: str) -> bool:
        """A scan during the handover: the order's bin or one of its items. False when it is
        neither and does not look like a bin or an item (the screen then searches it)."""
        if self._order is None or self._in_flight:
            return False
        text = code.strip()
        bin_code = self._order.summary.bin or ""
        if bin_code and text.upper() == bin_code.upper():
            self._bin_checked = True
            self._message.show_ok(f"Bin {bin_code} checked. Now scan each item.")
            self._show_checks()
            return True
        line = line_for(self._order, text)
        if line is not None:
            self._tick(line.sku, line.name or line.sku, line.ready_waiting)
            return True
        if looks_like_item(text):
            self._message.show_error(
                KnownError(
                    f"That item ({text}) is not in order {self._order.summary.order_number}.",
                    next_step="Leave it out and scan the items on the order's tag.",
                )
            )
            return True
        if looks_like_bin(text):
            self._message.show_error(
                KnownError(
                    f"Wrong bin: {text}. Order {self._order.summary.order_number} is on "
                    f"bin {bin_code or 'no bin'}.",
                    next_step=f"Find bin {bin_code} on the hold shelf and scan its label.",
                )
            )
            return True
        return False

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
        missing = self._missing(taken)
        if missing:
            self._message.show_error(
                KnownError(missing, next_step="Scan the bin label and each item, then press F9.")
            )
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

    def _tick(self, sku: str, name: str, wanted: int) -> None:
        if not self._bin_checked:
            bin_code = self._order.summary.bin if self._order else ""
            self._message.show_error(
                KnownError(
                    f"Scan bin {bin_code} first.",
                    next_step="Scan the hold-shelf bin label, then the items.",
                )
            )
            return
        if self._scanned[sku] >= wanted:
            self._message.show_error(
                KnownError(
                    f"All {wanted} of {name} are scanned already.",
                    next_step="Put the extra unit back; scan the other items.",
                )
            )
            return
        self._scanned[sku] += 1
        self._message.show_ok(f"{name}: {self._scanned[sku]} of {wanted} scanned.")
        self._show_checks()

    def _missing(self, taken: list[str]) -> str:
        """What still has to be scanned before the handover, or ''."""
        if self._order is None:
            return ""
        if not self._bin_checked:
            return f"Scan bin {self._order.summary.bin} first."
        ready = {x.sku: x for x in self._order.lines}
        left = [sku for sku in taken if self._scanned[sku] < ready[sku].ready_waiting]
        if not left:
            return ""
        line = ready[left[0]]
        return (
            f"Not every item is scanned: {self._scanned[line.sku]} of {line.ready_waiting} "
            f"{line.name or line.sku}."
        )

    def _show_checks(self) -> None:
        """Bin and item counts on screen; Confirm only once everything taken is scanned."""
        if self._order is None:
            return
        bin_code = self._order.summary.bin
        if bin_code:
            mark = "✔ checked" if self._bin_checked else "scan its label first"
            self.shelf_state.setText(f"Scan the bin and each item.  Bin {bin_code}: {mark}")
        else:
            self.shelf_state.setText("Scan each item.")
        blocked = self.take_list.blockSignals(True)
        for i in range(self.take_list.count()):
            item = self.take_list.item(i)
            sku = str(item.data(Qt.ItemDataRole.UserRole))
            line = next(x for x in self._order.lines if x.sku == sku)
            item.setText(
                f"{line.ready_waiting} × {line.name or line.sku}  ({sku})  ·  "
                f"{self._scanned.get(sku, 0)} of {line.ready_waiting} scanned"
            )
        self.take_list.blockSignals(blocked)
        taken = self._taken_and_left()[0]
        self.confirm_button.setEnabled(
            not self._in_flight and bool(taken) and not self._missing(taken)
        )

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
        self._show_checks()

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

    def _on_handed_over(self, recorded: PickupRecorded) -> None:
        self._in_flight = False
        self.handed_over.emit(recorded)

    def _on_handover_failed(self, error: KnownError) -> None:
        self._in_flight = False
        self._show_checks()
        self._message.show_error(error)

    def _on_back(self) -> None:
        if not self._in_flight:
            self.closed.emit()
