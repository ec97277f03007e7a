"""The open pickup order on the Pickup screen: its lines, its next step, and the step run.

Scans and typed text in the step field are the order's next step (an item to pick or to
receive from the warehouse, the hold-shelf bin, an item back to the shelf); a quantity
keyed first (``3*`` then the scan, or ``3x SKU-1``) takes that many units in one step.
F9 is the one primary action (Accept, Stage, Mark ready, Hand over), as is Enter in the
empty step field; F7 marks the chosen line short. Each step is one service call through
the task runner. A scan the step refuses that is not an item barcode is handed back to
the screen to find as an order.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget

from app.errors import KnownError, NotFound, RuleRefused
from app.services.pickup_bins import BinHoldsAnother
from app.services.pickup_results import PickupDetail, PickupRecorded
from app.services.pickup_scan import KEY_A_QUANTITY
from app.services.results import StaffSession
from app.ui.ports import Pickup, Receiving
from app.ui.scanner import ScanFeedback
from app.ui.screens.pickup_checks import restock_bin_check
from app.ui.screens.pickup_entry import Entry, looks_like_item, read_entry, read_scan
from app.ui.screens.pickup_order_view import (
    NO_PRIMARY,
    PRIMARY_KEY,
    SHORT_KEY,
    OrderView,
)
from app.ui.screens.pickup_questions import OrderQuestions
from app.ui.screens.pickup_short_dialog import ShortDialog
from app.ui.screens.pickup_steps import (
    HINTS,
    Done,
    Step,
    changed_on_ledger,
    hint_for,
    next_step,
    scan_means,
    what_changed,
)
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, shortcut

SCAN_STEPS = (Step.PICK, Step.RECEIVE, Step.WAIT, Step.STAGE, Step.RESTOCK)


class OrderPanel(QWidget):
    """One pickup order and its next step."""

    stepped = Signal(object)  # PickupRecorded: a step was committed to the outbox
    search_requested = Signal(str)  # text typed in the step field that is no step
    not_a_step = Signal(str, bool, object)  # scan, scanned, the step's KnownError
    handover_requested = Signal()
    made_ready = Signal(object)  # PickupRecorded: Mark ready was committed (the tag prints)
    resized = Signal()  # the panel needs another height (more or fewer lines)

    def __init__(
        self,
        *,
        pickup: Pickup,
        receiving: Receiving,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        message: MessageLine,
        feedback: ScanFeedback | None = None,
        with_tag: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pickup = pickup
        self._receiving = receiving
        self._runner = runner
        self._staff = staff
        self._message = message
        self._feedback = feedback
        self._order: PickupDetail | None = None
        self._step = Step.NONE
        self._busy = False
        self._restock_bin: int | None = None  # the order whose bin was scanned to restock
        self._online = True  # as the station last said: the ready message waits offline
        self.questions = OrderQuestions(
            self,
            pickup=pickup,
            runner=runner,
            message=message,
            order=self.order,
            back_to_step=self._back_to_step_field,
        )

        self.view = OrderView(with_tag=with_tag)
        self.view.resized.connect(self.resized)
        v = self.view
        self.title, self.meta, self.step_hint = v.title, v.meta, v.step_hint
        self.lines, self.lines_view = v.lines, v.lines_view
        self.step_field, self.primary = v.step_field, v.primary
        self.short_button, self.tag_button = v.short_button, v.tag_button
        inside = QVBoxLayout(self)
        inside.setContentsMargins(0, 0, 0, 0)
        inside.addWidget(self.view)
        self.step_field.returnPressed.connect(self._on_step_entered)
        self.primary.clicked.connect(self._on_primary)
        self.short_button.clicked.connect(self._on_short)
        shortcut(self, PRIMARY_KEY, self._on_primary)
        shortcut(self, SHORT_KEY, self._on_short)
        self.show_order(None)

    def reset(self) -> None:
        """No order open, no step under way (at a log-out)."""
        self._busy = False
        self._restock_bin = None
        self.questions.short_said = ""
        self.show_order(None)

    def set_online(self, online: bool) -> None:
        """Whether the station is online (what waits for the ledger is said so)."""
        if online != self._online:
            self._online = online
            if self._order is not None and self._step is Step.READY:
                self.step_hint.setText(hint_for(self._order, self._step, online=online))

    def take_fresh(self, fresh: PickupDetail) -> None:
        """The open order read again after a sync: shown as it is now (what is typed in
        the step field stays while the step does), and what changed on the ledger said."""
        before = self._order
        if before is None or self._busy or fresh == before:
            return
        typed, step = self.step_field.text(), self._step
        self.show_order(fresh)
        if self._step is step:
            self.step_field.setText(typed)
        said = changed_on_ledger(before, fresh)
        if said:
            self._message.show_warning(f"{said} {self.step_hint.text()}".strip())

    def order(self) -> PickupDetail | None:
        """The order shown."""
        return self._order

    @property
    def short_dialog(self) -> ShortDialog | None:
        """F7's confirmation, while open."""
        return self.questions.short_dialog

    @property
    def share_dialog(self) -> QMessageBox | None:
        """Staging onto a bin that holds another order: the question, while open."""
        return self.questions.share_dialog

    def next_step(self) -> Step:
        return self._step

    def show_order(self, order: PickupDetail | None) -> None:
        """Show ``order`` (None: no order open) with its next step."""
        self._order = order
        self._step = Step.NONE if order is None else next_step(order)
        checked = order is not None and self._restock_bin == order.summary.fulfilment_id
        self.view.show_order(
            order, self._step, busy=self._busy, online=self._online, restock_checked=checked
        )

    def do_step(self, step: Step, text: str, *, scanned: bool) -> None:
        """Run ``step`` of the open order with the scanned or typed ``text`` (a scan takes
        the quantity keyed in the step field before it)."""
        order = self._order
        if step is Step.ACCEPT:
            self._call(self._pickup.accept, done=Done.ACCEPTED)
        if step is Step.READY:
            self._call(self._pickup.ready, done=Done.MADE_READY)
        if order is None or step not in SCAN_STEPS:
            return
        field = self.step_field.text()
        entry = read_scan(field, text) if scanned else read_entry(order, text)
        step = scan_means(order, step, entry.likely_item or text)
        if step is Step.STAGE and order.from_warehouse:
            self._stage_received(order, text, scanned=scanned)
        elif step is Step.STAGE:
            self._call(self._pickup.stage, text, scan=text, scanned=scanned, done=Done.STAGED)
        else:
            self._item_step(step, entry, scanned=scanned)

    def _item_step(self, step: Step, entry: Entry, *, scanned: bool) -> None:
        """Pick, receive or put back ``entry.quantity`` units of the item in one step."""
        if entry.quantity < 1:
            self.feedback_for(scanned, ok=False)
            self._message.show_error(
                KnownError("Key a quantity of 1 or more before the *.", next_step=KEY_A_QUANTITY)
            )
            return
        if not entry.item:  # "3*" and Enter: the scan comes next
            self._message.show_info(f"Now scan the item: {entry.quantity} units in one go.")
            return
        scan = "" if entry.keyed else entry.item  # keyed: an item, never an order to find
        item, n, typed = entry.item, entry.quantity, entry.typed
        if step is Step.PICK:
            pick = partial(self._pickup.pick, typed=typed)
            self._call(pick, item, n, scan=scan, scanned=scanned, done=Done.PICKED)
        elif step in (Step.RECEIVE, Step.WAIT):
            receive = partial(self._receiving.receive, typed=typed)
            self._call(receive, item, n, scan=scan, scanned=scanned, done=Done.RECEIVED)
        elif step is Step.RESTOCK and self._restock_bin_scan(entry.likely_item, scanned=scanned):
            restock = partial(self._pickup.restock, typed=typed)
            self._call(restock, item, n, scan=scan, scanned=scanned, done=Done.RESTOCKED)

    def _stage_received(self, order: PickupDetail, text: str, *, scanned: bool) -> None:
        """Stage a ship-for-pickup order: what is received so far (the rest goes on the bin
        as it is unpacked)."""
        if not any(x.on_hold_shelf for x in order.lines):
            self.feedback_for(scanned, ok=False)
            self._message.show_error(
                KnownError(
                    f"Nothing of order {order.summary.order_number} is here to stage yet.",
                    next_step="Scan its items as you unpack them first, then the bin.",
                )
            )
            return
        self._call(self._pickup.stage, text, scan=text, scanned=scanned, done=Done.STAGED)

    def _on_step_entered(self) -> None:
        text = self.step_field.text().strip()
        if self._order is None:
            if text:
                self.search_requested.emit(text)
            return
        step = next_step(self._order)
        if not text:
            self._on_primary()
        elif step in SCAN_STEPS:
            self.do_step(step, text, scanned=False)
        else:
            self.search_requested.emit(text)

    def _on_primary(self) -> None:
        if self._order is None or self._busy:
            return
        step = next_step(self._order)
        if step is Step.HANDOVER:
            self.handover_requested.emit()
            return
        if step is Step.WAIT:
            self._message.show_info(hint_for(self._order, step))
            return
        text = self.step_field.text().strip()
        if step in SCAN_STEPS and not text:
            self._message.show_error(HINTS[step])
            self.step_field.setFocus()
            return
        if step not in NO_PRIMARY:
            self.do_step(step, text, scanned=False)

    def _on_short(self) -> None:
        """F7: the chosen line (else the first left to pick) is short, once confirmed with
        a reason (:class:`ShortDialog`); the reasons come from the station's cache."""
        if self._order is None or next_step(self._order) is not Step.PICK or self._busy:
            return
        if self.questions.short_dialog is not None:
            return
        rows = self.lines_view.selectionModel().selectedRows()
        chosen = [self.lines.row_at(r.row()) for r in rows] or list(self._order.lines)
        line = next((x for x in chosen if x.to_pick), None)
        if line is not None:
            self.questions.ask_short(line, self._on_short_confirmed)

    def _on_short_confirmed(self, sku: str, reason: str) -> None:
        self._call(self._pickup.short, sku, reason, done=Done.MARKED_SHORT)

    def _back_to_step_field(self) -> None:
        """After a question: the cursor back in the step field."""
        self.window().activateWindow()  # some platforms leave no window active after a dialog
        self.step_field.setFocus()

    def _restock_bin_scan(self, text: str, *, scanned: bool) -> bool:
        """Restock takes the bin first: True when ``text`` is for the restock step
        (:func:`.pickup_checks.restock_bin_check`)."""
        order = self._order
        if order is None:
            return False
        fid = order.summary.fulfilment_id
        said = restock_bin_check(order, text, bin_checked=self._restock_bin == fid)
        if said is None:
            return True
        self.feedback_for(scanned, ok=said.ok)
        if said.ok:
            self._restock_bin = fid
            self._message.show_ok(said.message)
            self.show_order(order)
        else:
            self._message.show_error(KnownError(said.message, next_step=said.next_step))
        return False

    def _call(
        self,
        fn: Callable[..., PickupRecorded],
        *args: Any,
        done: Done,
        scan: str = "",
        scanned: bool = False,
    ) -> None:
        """Run one pickup step on the open order; a scan that fails as a step is tried as
        an order to open (a customer's QR or order number scanned mid-task)."""
        staff = self._staff()
        if staff is None or self._order is None:
            return
        self._busy = True
        self.primary.setEnabled(False)
        self._runner.run_db(
            fn,
            staff,
            self._order.summary.fulfilment_id,
            *args,
            on_done=lambda recorded: self._on_stepped(recorded, done, scanned),
            on_error=lambda error: self._on_step_failed(error, scan, scanned),
        )

    def _on_stepped(self, recorded: PickupRecorded, done: Done, scanned: bool) -> None:
        self._busy = False
        self.feedback_for(scanned, ok=True)
        before = self._order
        self.show_order(recorded.order)
        said = what_changed(before, recorded.order, done, online=self._online)
        if done is Done.MARKED_SHORT and self.questions.short_said:
            said = f"{said} {self.questions.short_said}"
        self._message.show_ok(said)
        self.stepped.emit(recorded)
        if done is Done.MADE_READY:
            self.made_ready.emit(recorded)
        self.step_field.setFocus()

    def _on_step_failed(self, error: KnownError, scan: str, scanned: bool) -> None:
        self._busy = False
        self.show_order(self._order)
        if isinstance(error, BinHoldsAnother) and self._order is not None:
            self.feedback_for(scanned, ok=False)
            self._message.show_warning(str(error))
            number = self._order.summary.order_number
            self.questions.ask_share(error, number, self._on_share_answered)
            return
        if scan and not looks_like_item(scan) and isinstance(error, NotFound | RuleRefused):
            self.not_a_step.emit(scan, scanned, error)
            return
        self.feedback_for(scanned, ok=False)
        self._message.show_error(error)
        self.step_field.setFocus()

    def _on_share_answered(self, bin_code: str, share: bool) -> None:
        if share:
            stage = partial(self._pickup.stage, share_bin=True)
            self._call(stage, bin_code, done=Done.STAGED)
        elif self._order is not None:
            self._message.show_info(f"Scan another bin for {self._order.summary.order_number}.")

    def feedback_for(self, scanned: bool, *, ok: bool) -> None:
        """The scanner's beep and flash for a scan understood (``ok``) or not; nothing for
        typed text. The screen's scans outside a step sound through here too."""
        if scanned and self._feedback is not None:
            if ok:
                self._feedback.scan_ok()
            else:
                self._feedback.scan_failed()
