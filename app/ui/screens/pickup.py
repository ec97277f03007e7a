"""Pickup (BOPIS at the counter): the queue, and one order taken step by step by scans.

Scanner first: a scanned customer QR or order number opens that order wherever the
cursor is (one service call finds it and returns its detail); with an order open, scans
are its next step (items to pick or to receive from the warehouse, the hold-shelf bin,
items back to the shelf; at the handover the bin and each item taken). Text goes to the
search field (order number, pickup code, name, phone) or to the step field (an SKU, a
bin, a quantity keyed before an item). The parts: the queue (``QueuePanel``), the open
order and its steps (``OrderPanel``), the handover (``HandoverPanel``), the pickup tag
printed when an order is made ready or on F8 (``PickupTags``); this screen routes scans
and searches between them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QStackedWidget, QWidget

from app.domain.gs1 import item_code
from app.domain.pickup_codes import parse_qr_payload
from app.errors import KnownError
from app.services.pickup_results import PickupDetail, PickupFound, PickupQueue, PickupRecorded
from app.services.printing import PrintService
from app.services.results import StaffSession, StationStatus
from app.ui.label_preview import LabelPreviewDialog
from app.ui.ports import Pickup, Receiving
from app.ui.scanner import ScanFeedback
from app.ui.screens.pickup_handover import HandoverPanel
from app.ui.screens.pickup_models import state_text
from app.ui.screens.pickup_order_panel import SCAN_STEPS, OrderPanel
from app.ui.screens.pickup_order_view import TAG_KEY
from app.ui.screens.pickup_queue_panel import QueuePanel
from app.ui.screens.pickup_steps import Step, next_step, units_text
from app.ui.screens.pickup_tag import PickupTags
from app.ui.tasks import TaskRunner
from app.ui.widgets import (
    Insulated,
    MessageLine,
    button,
    card,
    keep_room,
    screen_layout,
    shortcut,
    title_row,
)


class PickupScreen(QWidget):
    """The pickup queue on the left, the open order and its next step on the right."""

    title = "Pickup"
    changed_locally = Signal()  # an operation was committed to this station's outbox

    def __init__(
        self,
        *,
        pickup: Pickup,
        receiving: Receiving,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        printing: PrintService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pickup = pickup
        self._runner = runner
        self._staff = staff
        self._search_no = 0

        self.search = QLineEdit()
        self.search.setProperty("role", "search")
        self.search.setPlaceholderText(
            "Scan the customer's QR, or type an order number, pickup code, name or phone"
        )
        self.search.setAccessibleName("Find pickup order")
        self.search.setClearButtonEnabled(True)
        self.find_button = button("Find")
        self.message = MessageLine()
        self.queue = QueuePanel()
        self.detail = OrderPanel(
            pickup=pickup,
            runner=runner,
            staff=staff,
            message=self.message,
            receiving=receiving,
            feedback=feedback,
            with_tag=printing is not None,
        )
        self.handover = HandoverPanel(
            pickup=pickup, runner=runner, staff=staff, message=self.message
        )
        self._tags = (
            None
            if printing is None
            else PickupTags(
                screen=self,
                pickup=pickup,
                printing=printing,
                runner=runner,
                staff=staff,
                message=self.message,
                on_closed=self.detail.step_field.setFocus,
            )
        )
        self.right = QStackedWidget()
        self._right_area = Insulated(self.right, wrapped_labels=True)

        self._build()
        self.search.returnPressed.connect(self._on_search)
        self.find_button.clicked.connect(self._on_search)
        self.queue.order_chosen.connect(self._on_queue_chosen)
        self.detail.stepped.connect(self._on_stepped)
        self.detail.search_requested.connect(self._on_search_requested)
        self.detail.not_a_step.connect(self._on_not_a_step)
        self.detail.handover_requested.connect(lambda: self._start_handover(code_verified=False))
        self.detail.tag_button.clicked.connect(self._on_tag)
        self.detail.made_ready.connect(self._on_made_ready)
        self.detail.resized.connect(self._right_area.refit)
        self.handover.handed_over.connect(self._on_handed_over)
        self.handover.closed.connect(self._on_handover_closed)
        if printing is not None:
            shortcut(self, TAG_KEY, self._on_tag)

    def _build(self) -> None:
        self.right.addWidget(self.detail)
        self.right.addWidget(self.handover)
        work, inside = card()
        inside.addWidget(self._right_area)

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.queue, 1)  # never below its own minimum (order number, age)
        body.addWidget(work, 2)
        keep_room(self.message)  # the queue and the order below do not jump
        header = title_row(self.title, self.search, self.find_button)
        screen_layout(self, header, self.message, body=body)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.refresh_queue()
        (self.detail.step_field if self.open_order() is not None else self.search).setFocus()
        if self.open_order() is None:
            self.search.selectAll()

    def on_scan(self, scan: str) -> None:
        code = item_code(scan)  # a GS1 scan of an item counts as its GTIN
        on_handover = self.right.currentWidget() is self.handover
        qr = parse_qr_payload(code)
        is_qr = qr is not None
        if on_handover and not is_qr and self.handover.on_scan(code):
            self.detail.feedback_for(True, ok=self.message.tone() != "error")
            return
        step = self.detail.next_step()
        if not is_qr and not on_handover and step in SCAN_STEPS:
            self.detail.do_step(step, code, scanned=True)
            return
        self.search.setText(code if qr is None else qr[0])  # the code stays off the screen
        self._find(code, scanned=True)

    def reset(self) -> None:
        """Forget the search, the order open, its handover and verification, and the
        queue (read again when the screen is shown): at a log-out."""
        self._search_no += 1  # a search still on its way opens nothing
        self.search.clear()
        self._clear_message()
        self.queue.clear()
        self.handover.reset()
        self.detail.reset()
        self._show_part(self.detail)
        if self._tags is not None:
            self._tags.reset()

    def open_reference(self, order_number: str) -> None:
        """Find and open an order as if its number were typed (from another screen)."""
        self._on_search_requested(order_number)

    def on_station_status(self, status: StationStatus) -> None:
        """A sync landed, or the station went offline or online: the queue and the open
        order are read again (cancelled or moved on the ledger, steps now confirmed)."""
        self.detail.set_online(status.online)
        order = self.open_order()
        if self._staff() is None:
            return
        if not self.queue.showing_found:  # what a search matched stays until chosen
            self.refresh_queue()
        if order is not None:
            fid = order.summary.fulfilment_id
            self._runner.run_db(
                self._pickup.order,
                fid,
                on_done=lambda fresh: self._on_read_again(fid, fresh),
                on_error=lambda _gone: None,  # not in the cache any more: left as shown
            )

    def _on_read_again(self, fid: int, fresh: PickupDetail) -> None:
        order = self.open_order()
        if order is None or order.summary.fulfilment_id != fid:
            return  # another order was opened meanwhile
        if self.right.currentWidget() is self.handover and next_step(fresh) is not Step.HANDOVER:
            self.handover.reset()  # no longer ready: nothing to hand over
            self._show_part(self.detail)
            self.detail.step_field.setFocus()
        self.detail.take_fresh(fresh)

    def open_order(self) -> PickupDetail | None:
        """The order shown on the right."""
        return self.detail.order()

    def refresh_queue(self) -> None:
        self._runner.run_db(
            self._pickup.queue, on_done=self._on_queue, on_error=self.message.show_error
        )

    # -- finding -------------------------------------------------------------------

    def _on_search(self) -> None:
        query = self.search.text().strip()
        if not query:
            self.message.show_error("Type an order number, pickup code, name or phone first.")
            return
        self._find(query, scanned=False)

    def _on_search_requested(self, text: str) -> None:
        self.search.setText(text)
        self._find(text, scanned=False)

    def _on_not_a_step(self, scan: str, scanned: bool, error: KnownError) -> None:
        self.search.setText(scan)  # the search shows what the order was found by
        self._find(scan, scanned=scanned, after_failed=error)

    def _find(self, query: str, *, scanned: bool, after_failed: KnownError | None = None) -> None:
        self._search_no += 1
        number = self._search_no
        self._runner.run_db(
            self._pickup.find,
            query,
            on_done=lambda found: self._on_found(number, found, scanned, after_failed),
            on_error=lambda error: self._on_find_failed(number, after_failed or error, scanned),
        )

    def _on_found(
        self, number: int, found: PickupFound, scanned: bool, after_failed: KnownError | None
    ) -> None:
        if number != self._search_no:
            return
        if after_failed is not None and found.found_by == "customer":
            # a code the step refused matched only some name or phone: no order was meant
            self._on_find_failed(number, after_failed, scanned)
            return
        self.detail.feedback_for(scanned, ok=True)
        orders = found.orders
        if len(orders) != 1:
            self.queue.show_found(orders)
            self.message.show_info(f"{len(orders)} orders match. Use ↑ ↓ to choose one.")
            return
        fid = orders[0].fulfilment_id
        verified = found.code_verified
        if self.right.currentWidget() is self.handover and fid == self.handover.order_id():
            if verified:
                self.handover.accept_scanned_code()
            return
        self._clear_message()
        if found.detail is not None:  # one call: the order comes with what was found
            self._open(found.detail, then_handover=verified)
        else:
            self._load(fid, then_handover=verified)

    def _clear_message(self) -> None:
        """Hide the message; its room stays, one line tall (a longer message had it grow)."""
        self.message.clear_message()
        self.message.setMinimumHeight(0)

    def _on_find_failed(self, number: int, error: KnownError, scanned: bool) -> None:
        if number == self._search_no:
            self.detail.feedback_for(scanned, ok=False)
            self.message.show_error(error)

    def _on_queue(self, queue: PickupQueue) -> None:
        order = self.open_order()
        self.queue.show_queue(queue, None if order is None else order.summary.fulfilment_id)

    def _on_queue_chosen(self, fid: int) -> None:
        order = self.open_order()
        if order is None or fid != order.summary.fulfilment_id:
            self._load(fid)

    def _load(self, fid: int, *, then_handover: bool = False) -> None:
        self._runner.run_db(
            self._pickup.order,
            fid,
            on_done=lambda order: self._open(order, then_handover=then_handover),
            on_error=self.message.show_error,
        )

    def _open(self, order: PickupDetail, *, then_handover: bool) -> None:
        """Show ``order``; its customer's QR scanned when ready goes on to the handover
        (straight there: the order panel is filled behind it, not shown in between)."""
        if then_handover and next_step(order) is Step.HANDOVER:
            self.detail.show_order(order)
            self.queue.mark_open(order.summary.fulfilment_id)
            self._start_handover(code_verified=True)
            self.message.show_ok("The customer's QR matches. Check the items, then press F9.")
        else:
            self._show_order(order)
            self.detail.step_field.setFocus()

    def _show_order(self, order: PickupDetail | None) -> None:
        self._show_part(self.detail)
        self.detail.show_order(order)
        self.queue.mark_open(None if order is None else order.summary.fulfilment_id)

    def _show_part(self, part: QWidget) -> None:
        """The order panel or the handover on the right (the card fits it anew)."""
        if self.right.currentWidget() is not part:
            self.right.setCurrentWidget(part)
            self._right_area.refit()

    def _on_stepped(self, _recorded: PickupRecorded) -> None:
        self.changed_locally.emit()
        self.refresh_queue()

    # -- handover --------------------------------------------------------------------

    def _start_handover(self, *, code_verified: bool) -> None:
        order = self.open_order()
        if order is None:
            return
        self._show_part(self.handover)
        self.handover.start(order, code_verified=code_verified)
        if not code_verified:
            self.message.show_info(
                "Check who collects: type the pickup code and press Enter, or choose "
                "ID check (Alt+I) or Third party (Alt+T)."
            )

    def _on_handed_over(self, recorded: PickupRecorded) -> None:
        s = recorded.order.summary
        self._show_order(recorded.order)
        units = sum(x.collected for x in recorded.order.lines)
        left = sum(x.ready_waiting for x in recorded.order.lines)
        stay = "stays" if left == 1 else "stay"
        rest = f" {left} more {stay} ready on bin {s.bin}." if left and s.bin else ""
        self.message.show_ok(
            f"Handed over: {units_text(units)} of {s.order_number}. {state_text(s.state)}.{rest}"
        )
        self.changed_locally.emit()
        self.refresh_queue()
        # the step field takes the next scan or number, and a quantity keyed before it
        self.detail.step_field.setFocus()

    def _on_handover_closed(self) -> None:
        self._show_part(self.detail)
        self._clear_message()
        self.detail.step_field.setFocus()

    # -- pickup tag -------------------------------------------------------------------

    @property
    def label_dialog(self) -> LabelPreviewDialog | None:
        """The pickup tag's preview (F8), while it is open."""
        return None if self._tags is None else self._tags.dialog

    def _on_tag(self) -> None:
        if self._tags is not None:
            self._tags.preview(self.open_order())

    def _on_made_ready(self, recorded: PickupRecorded) -> None:
        if self._tags is not None:
            self._tags.print_ready(recorded)
