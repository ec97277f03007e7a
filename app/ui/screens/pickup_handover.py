"""The handover step of the Pickup screen: verify who collects, then hand over once.

Who collects is verified in the ``VerifyBox`` (pickup code or QR, ID check, third party).
Scan the bin and each item (``HandoverChecks``): the order's bin label checks the shelf,
each item scan ticks one unit of its line. Enter in the code field checks the code; the
next Enter (or F9) hands over every ticked line once the bin and all its units are
scanned. The customer may leave whole lines (Space unticks one) or some units of a line
(Left and Right change how many of the chosen line): what is left is cancelled with a reason from
the store's list (Alt+R), or kept ready for another visit (Alt+K). The confirm button is
disabled while the call runs, so a double press never hands over twice (the service
refuses a second handover as well).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from app.domain.reasons import ReasonUse
from app.errors import KnownError
from app.services.pickup_results import PickupDetail, PickupRecorded, ReasonChoice
from app.services.results import StaffSession
from app.ui.ports import Pickup
from app.ui.screens.pickup_checks import HandoverChecks
from app.ui.screens.pickup_take_list import TakeList
from app.ui.screens.pickup_verify import VerifyBox
from app.ui.tasks import TaskRunner
from app.ui.theme import MIN_TOUCH_PX
from app.ui.widgets import MessageLine, button, label, shortcut

CONFIRM_KEY = "F9"
INDICATOR_PX = 26  # radio buttons and tick boxes a finger hits (Fusion draws them 13 px)
LARGE_INDICATORS = f"""
QRadioButton::indicator, QCheckBox::indicator, QListWidget::indicator {{
    width: {INDICATOR_PX}px; height: {INDICATOR_PX}px;
}}
QRadioButton, QCheckBox {{ spacing: 10px; }}
"""


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
        self._in_flight = False
        self._checks: HandoverChecks | None = None

        self.heading = label("", role="title", wrap=True)
        self.take_list = TakeList()
        self.shelf_state = label("", role="heading", wrap=True)
        self.lines_label = label("", role="heading", wrap=True)
        self.lines_label.setBuddy(self.take_list)
        self.reason = QComboBox()
        self.reason.setAccessibleName("Why the customer leaves them")
        self.reason.setMinimumContentsLength(8)  # a long reason never widens the screen
        self.reason.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.reason_label = label("&Reason", role="heading")
        self.reason_label.setBuddy(self.reason)
        self.keep_ready = QCheckBox("&Keep ready")
        self.keep_ready.setToolTip("The customer comes back for the units left")
        self.keep_ready.setMinimumHeight(MIN_TOUCH_PX)
        self.verify = VerifyBox(pickup=pickup, runner=runner, message=message)
        self.code_field = self.verify.code_field  # where the handover starts
        self.id_last4 = self.verify.id_last4
        self.confirm_button = button(f"Confirm handover ({CONFIRM_KEY})", primary=True)
        self.back_button = button("Back (Esc)")

        self._build()
        self.confirm_button.setEnabled(False)  # until the bin and every item are scanned
        self.setStyleSheet(LARGE_INDICATORS)
        self.verify.confirm_requested.connect(self.confirm)
        self.take_list.units_changed.connect(self._on_ticked)
        self.keep_ready.toggled.connect(self._on_take_changed)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.reason)
        enter.setContext(Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(self.confirm)  # Enter in the reason hands over, as in a field
        self.confirm_button.clicked.connect(self.confirm)
        self.back_button.clicked.connect(self._on_back)
        shortcut(self, CONFIRM_KEY, self.confirm)
        shortcut(self, "Escape", self._on_back)

    def _build(self) -> None:
        form = QGridLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        verify_by = label("Verify by", role="heading")
        verify_by.setMinimumHeight(MIN_TOUCH_PX)  # level with the method row
        form.addWidget(verify_by, 0, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.verify, 0, 1)
        left_behind = QHBoxLayout()  # a reason to cancel them, or keep them ready
        left_behind.setSpacing(16)
        left_behind.addWidget(self.reason, 1)
        left_behind.addWidget(self.keep_ready)
        form.addWidget(self.reason_label, 1, 0)
        form.addLayout(left_behind, 1, 1)
        form.setColumnStretch(1, 1)
        for widget in (self.reason_label, self.reason, self.keep_ready):
            widget.hide()  # shown when the customer leaves a line

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.shelf_state)
        layout.addWidget(self.lines_label)
        layout.addWidget(self.take_list, 100)  # its lines first, up to all of them
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
        self.lines_label.setText(
            f"&Lines to take{where} (Space unticks a line, ← → change its units)"
        )
        self._checks = HandoverChecks(order)
        self._fill_take_list(order)
        self.verify.start(order, code_verified=code_verified)
        self._show_checks()
        self.code_field.setFocus()

    def reset(self) -> None:
        """No order, nothing verified or scanned, nothing typed (at a log-out)."""
        self._order = None
        self._checks = None
        self._in_flight = False
        for text in (self.heading, self.shelf_state, self.lines_label):
            text.clear()
        self.take_list.forget()
        self.reason.clear()
        self.keep_ready.setChecked(False)
        for widget in (self.reason_label, self.reason, self.keep_ready):
            widget.hide()
        self.verify.reset()
        self.confirm_button.setEnabled(False)

    def order_id(self) -> int | None:
        return None if self._order is None else self._order.summary.fulfilment_id

    def code_verified(self) -> bool:
        return self.verify.code_verified()

    def bin_checked(self) -> bool:
        return self._checks is not None and self._checks.bin_checked

    def scanned(self, sku: str) -> int:
        """Units of line ``sku`` scanned at this handover."""
        return 0 if self._checks is None else self._checks.scanned(sku)

    def on_scan(self, code: str) -> bool:
        """A scan during the handover: the order's bin or one of its items (or a wrong one).
        False when it is none of these, nor one of the store's bins, nor an item barcode:
        the screen then searches it (another order's number or QR opens that order)."""
        if self._checks is None or self._in_flight:
            return False
        checked = self._checks.scan(code)
        if checked is None:
            return False
        if checked.ok:
            self._show_checks()
            self._message.show_ok(f"{checked.message}{self._then()}")
        else:
            self._message.show_error(KnownError(checked.message, next_step=checked.next_step))
        return True

    def accept_scanned_code(self) -> None:
        """The customer's QR of this order was scanned: the code is verified."""
        self.verify.accept_scanned_code()
        self._message.show_ok("The customer's QR matches this order. Press F9 to hand over.")

    def confirm(self) -> None:
        """Hand over every ready unit with the proof chosen; at most one call at a time."""
        staff = self._staff()
        if self._in_flight or self._order is None or staff is None:
            return
        try:
            proof = self.verify.proof(self._order.summary.customer_name)
        except KnownError as error:
            self._message.show_error(error)
            return
        lines = self.take_list.taken()
        left = self.take_list.left()
        if self.keep_ready.isChecked():
            left = []  # the units left stay ready on the shelf
        reason = str(self.reason.currentData() or "")
        if not lines:
            self._message.show_error("Tick at least one line the customer takes.")
            return
        if left and not reason:
            self._message.show_error(
                KnownError(
                    "Say why the customer leaves them: they will be cancelled.",
                    next_step="Choose the reason (Alt+R), or keep them ready for the customer "
                    "(Alt+K); then press F9.",
                )
            )
            self.reason.setFocus()
            return
        taken = list(lines)
        missing = self._missing(taken)
        if missing:
            self._message.show_error(
                KnownError(missing, next_step="Scan the bin label and each item, then press F9.")
            )
            return
        said = self.reason.currentText() if reason else ""
        self._in_flight = True
        self.confirm_button.setEnabled(False)
        self._runner.run_db(
            self._pickup.handover,
            staff,
            self._order.summary.fulfilment_id,
            lines,
            proof,
            left,
            said if left else "",
            reason if self.take_list.left() else "",
            on_done=self._on_handed_over,
            on_error=self._on_handover_failed,
        )

    # -- slots --------------------------------------------------------------------------

    def _then(self) -> str:
        """After a good scan: what comes next once the bin and every item are scanned."""
        if not self.confirm_button.isEnabled():
            return ""
        if self.verify.needs_code():
            return (
                " Everything is scanned: type the customer's pickup code (or scan their QR), "
                f"then press {CONFIRM_KEY}."
            )
        return f" Everything is scanned: press {CONFIRM_KEY} to hand over."

    def _missing(self, taken: list[str]) -> str:
        units = self.take_list.taken()
        return "" if self._checks is None else self._checks.missing(taken, units)

    def _show_checks(self) -> None:
        """Bin and item counts on screen; Confirm only once everything taken is scanned."""
        if self._order is None:
            return
        bin_code = self._order.summary.bin
        if bin_code:
            mark = "✔ checked" if self.bin_checked() else "scan its label first"
            self.shelf_state.setText(f"Scan the bin and each item.  Bin {bin_code}: {mark}")
        else:
            self.shelf_state.setText("Scan each item.")
        self.take_list.show_scans(self.scanned)
        taken = list(self.take_list.taken())
        self.confirm_button.setEnabled(
            not self._in_flight and bool(taken) and not self._missing(taken)
        )

    def _fill_take_list(self, order: PickupDetail) -> None:
        self.take_list.fill(order)
        self.reason.clear()
        self.keep_ready.setChecked(False)
        self._on_take_changed()
        self._runner.run_db(
            self._pickup.reasons,
            ReasonUse.HANDOVER.value,
            on_done=self._fill_reasons,
            on_error=self._message.show_error,
        )

    def _fill_reasons(self, offered: tuple[ReasonChoice, ...]) -> None:
        """The store's handover reasons (from the cache, so offline too), none chosen."""
        self.reason.clear()
        self.reason.addItem("Choose why…", "")
        for reason in offered:
            self.reason.addItem(reason.label, reason.code)

    def _on_ticked(self) -> None:
        """A line unticked (Space) or its units changed (← →): what to do about the rest."""
        self._on_take_changed()
        left = self.take_list.units_left()
        if left:
            units = "1 unit" if left == 1 else f"{left} units"
            them = "it" if left == 1 else "them"
            self._message.show_info(
                f"{units} left behind: choose why (Alt+R) to cancel {them}, or keep {them} "
                f"ready for the customer (Alt+K). Then press {CONFIRM_KEY}."
            )

    def _on_take_changed(self, *_changed: object) -> None:
        partial = bool(self.take_list.left())
        for widget in (self.reason_label, self.reason, self.keep_ready):
            widget.setVisible(partial)
        cancelling = not self.keep_ready.isChecked()
        self.reason.setEnabled(cancelling)
        self.reason_label.setEnabled(cancelling)
        self._show_checks()

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
