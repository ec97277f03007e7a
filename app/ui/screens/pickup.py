"""Pickup (BOPIS at the counter): the queue, and one order taken step by step by scans.

Scanner first: a scanned customer QR or order number opens that order wherever the
cursor is; with an order open, scans are its next step (items to pick, the hold-shelf
bin, items back to the shelf; at the handover the bin and each item taken). F9 is the
one primary action (Accept, Stage, Mark ready, Hand over, Confirm handover); Enter in
the empty step field does the same. F7 marks the chosen line short. text goes to
the search field (order number, pickup code, name, phone) or to the step field (an SKU,
a bin).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import LabelKind, PickupTag
from app.domain.pickup_codes import parse_qr_payload
from app.errors import KnownError, NotFound, RuleRefused
from app.services.pickup_results import PickupDetail, PickupFound, PickupQueue, PickupRecorded
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.ui.label_preview import LabelPreviewDialog, open_label_preview
from app.ui.ports import Pickup
from app.ui.scanner import ScanFeedback
from app.ui.screens.common import fit_rows, table_view
from app.ui.screens.pickup_handover import HandoverPanel
from app.ui.screens.pickup_models import (
    PickupLineModel,
    PickupQueueModel,
    QueueEntry,
    pickup_by_text,
    queue_entries,
    state_text,
)
from app.ui.screens.pickup_steps import (
    HINTS,
    PLACEHOLDERS,
    READY_DONE,
    Step,
    looks_like_bin,
    looks_like_item,
    next_step,
    what_changed,
)
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label, panel

S = FulfilmentState
PRIMARY_KEY = "F9"
SHORT_KEY = "F7"
TAG_KEY = "F8"
TAGGED = (S.STAGED, S.READY_FOR_PICKUP)


class PickupScreen(QWidget):
    """The pickup queue on the left, the open order and its next step on the right."""

    title = "Pickup"
    changed_locally = Signal()  # an operation was committed to this station's outbox

    def __init__(
        self,
        *,
        pickup: Pickup,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        printing: PrintService | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._pickup = pickup
        self._printing = printing
        self.label_dialog: LabelPreviewDialog | None = None
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self._order: PickupDetail | None = None
        self._busy = False
        self._search_no = 0
        self._restock_bin: int | None = None  # the order whose bin was scanned to restock

        self.search = QLineEdit()
        self.search.setProperty("role", "search")
        self.search.setPlaceholderText(
            "Scan the customer's QR, or type an order number, pickup code, name or phone"
        )
        self.search.setAccessibleName("Find pickup order")
        self.search.setClearButtonEnabled(True)
        self.find_button = button("Find")
        self.message = MessageLine()
        self.queue = PickupQueueModel(self)
        self.queue_view = table_view(self.queue, stretch_column=1)
        self.order_title = label("No order open", role="title", wrap=True)
        self.order_meta = label("Scan the customer's QR or choose an order in the queue.")
        self.order_meta.setProperty("role", "muted")
        self.order_meta.setWordWrap(True)
        self.lines = PickupLineModel(self)
        self.lines_view = table_view(self.lines, stretch_column=0)
        self.step_hint = label("", role="heading", wrap=True)
        self.step_field = QLineEdit()
        self.step_field.setAccessibleName("Scan or type for the next step")
        self.primary = button(f"{Step.NONE.value}", primary=True)
        self.short_button = button(f"Mark line short ({SHORT_KEY})")
        self.tag_button = button(f"Pickup tag ({TAG_KEY})")
        self.tag_button.setVisible(printing is not None)
        self.handover = HandoverPanel(
            pickup=pickup, runner=runner, staff=staff, message=self.message
        )
        self.right = QStackedWidget()

        self._build()
        self._show_order(None)
        self.search.returnPressed.connect(self._on_search)
        self.find_button.clicked.connect(self._on_search)
        self.queue_view.selectionModel().selectionChanged.connect(self._on_queue_chosen)
        self.step_field.returnPressed.connect(self._on_step_entered)
        self.primary.clicked.connect(self._on_primary)
        self.short_button.clicked.connect(self._on_short)
        self.tag_button.clicked.connect(self._on_tag)
        self.handover.handed_over.connect(self._on_handed_over)
        self.handover.closed.connect(self._on_handover_closed)
        for key, slot in ((PRIMARY_KEY, self._on_primary), (SHORT_KEY, self._on_short)):
            shortcut = QShortcut(QKeySequence(key), self.detail)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        if printing is not None:
            tag = QShortcut(QKeySequence(TAG_KEY), self)
            tag.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            tag.activated.connect(self._on_tag)

    def _build(self) -> None:
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_button)

        left = QVBoxLayout()
        left.setSpacing(6)
        left.addWidget(label("Queue", role="heading"))
        left.addWidget(self.queue_view, 1)

        step_row = QHBoxLayout()
        step_row.addWidget(self.step_field, 1)
        step_row.addWidget(self.primary)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.tag_button)
        actions.addWidget(self.short_button)

        self.detail = QWidget()
        inside = QVBoxLayout(self.detail)
        inside.setContentsMargins(0, 0, 0, 0)
        inside.setSpacing(10)
        inside.addWidget(self.order_title)
        inside.addWidget(self.order_meta)
        inside.addWidget(self.lines_view)
        inside.addWidget(self.step_hint)
        inside.addLayout(step_row)
        inside.addLayout(actions)
        inside.addStretch(1)
        self.right.addWidget(self.detail)
        self.right.addWidget(self.handover)
        card = panel()
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(20, 14, 20, 14)
        card_layout.addWidget(self.right)

        body = QHBoxLayout()
        body.setSpacing(16)
        body.addLayout(left, 1)
        body.addWidget(card, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 12)
        layout.setSpacing(10)
        layout.addWidget(label(self.title, role="title"))
        layout.addLayout(search_row)
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.refresh_queue()
        (self.step_field if self._order is not None else self.search).setFocus()
        if self._order is None:
            self.search.selectAll()

    def on_scan(self, code: str) -> None:
        step = Step.NONE if self._order is None else next_step(self._order)
        on_handover = self.right.currentWidget() is self.handover
        scan_steps = (Step.PICK, Step.STAGE, Step.RESTOCK)
        is_qr = parse_qr_payload(code) is not None
        if on_handover and not is_qr and self.handover.on_scan(code):
            self._feedback_for(True, ok=self.message.tone() != "error")
            return
        if not is_qr and not on_handover and step in scan_steps:
            self._do_step(step, code, scanned=True)
            return
        self.search.setText(code)
        self._find(code, scanned=True)

    def open_order(self) -> PickupDetail | None:
        """The order shown on the right."""
        return self._order

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

    def _find(self, query: str, *, scanned: bool, after_failed: KnownError | None = None) -> None:
        self._search_no += 1
        number = self._search_no
        self._runner.run_db(
            self._pickup.find,
            query,
            on_done=lambda found: self._on_found(number, found, scanned),
            on_error=lambda error: self._on_find_failed(number, after_failed or error, scanned),
        )

    def _on_found(self, number: int, found: PickupFound, scanned: bool) -> None:
        if number != self._search_no:
            return
        self._feedback_for(scanned, ok=True)
        orders = found.orders
        if len(orders) == 1:
            fid = orders[0].fulfilment_id
            verified = found.code_verified
            if self.right.currentWidget() is self.handover and fid == self.handover.order_id():
                if verified:
                    self.handover.accept_scanned_code()
                return
            self.message.clear_message()
            self._load(fid, then_handover=verified)
            return
        heading = QueueEntry(None, f"Found ({len(orders)})")
        rows = [heading] + [
            QueueEntry(s.fulfilment_id, s.order_number, s.customer_name, str(s.units))
            for s in orders
        ]
        self.queue.set_rows(rows)
        self.message.show_info(f"{len(orders)} orders match. Use ↑ ↓ to choose one.")
        self.queue_view.selectRow(1)
        self.queue_view.setFocus()

    def _on_find_failed(self, number: int, error: KnownError, scanned: bool) -> None:
        if number == self._search_no:
            self._feedback_for(scanned, ok=False)
            self.message.show_error(error)

    def _on_queue(self, queue: PickupQueue) -> None:
        self.queue.set_rows(queue_entries(queue))
        if self._order is not None:
            row = self.queue.row_of(self._order.summary.fulfilment_id)
            if row >= 0:
                blocked = self.queue_view.selectionModel().blockSignals(True)
                self.queue_view.selectRow(row)
                self.queue_view.selectionModel().blockSignals(blocked)

    def _on_queue_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if not rows:
            return
        fid = self.queue.row_at(rows[0].row()).fulfilment_id
        if fid is not None and (self._order is None or fid != self._order.summary.fulfilment_id):
            self._load(fid)

    def _load(self, fid: int, *, then_handover: bool = False) -> None:
        self._runner.run_db(
            self._pickup.order,
            fid,
            on_done=lambda order: self._on_loaded(order, then_handover),
            on_error=self.message.show_error,
        )

    def _on_loaded(self, order: PickupDetail, then_handover: bool) -> None:
        self._show_order(order)
        if then_handover and next_step(order) is Step.HANDOVER:
            self._start_handover(code_verified=True)
            self.message.show_ok("The customer's QR matches. Check the items, then press F9.")
        else:
            self.step_field.setFocus()

    # -- the order and its steps -----------------------------------------------------

    def _show_order(self, order: PickupDetail | None) -> None:
        self._order = order
        self.right.setCurrentWidget(self.detail)
        step = Step.NONE if order is None else next_step(order)
        self.lines.set_rows([] if order is None else order.lines)
        fit_rows(self.lines_view, max(1, min(6, self.lines.rowCount())))
        self.primary.setText(f"{step.value} ({PRIMARY_KEY})")
        self.primary.setEnabled(step is not Step.NONE and not self._busy)
        self.short_button.setVisible(step is Step.PICK)
        self.tag_button.setEnabled(order is not None and order.summary.state in TAGGED)
        self.step_field.setPlaceholderText(PLACEHOLDERS.get(step, "Scan or type, then Enter"))
        self.step_field.clear()
        if order is None:
            self.order_title.setText("No order open")
            self.order_meta.setText("Scan the customer's QR or choose an order in the queue.")
            self.step_hint.setText("")
            return
        s = order.summary
        self.order_title.setText(f"{s.order_number}  ·  {s.customer_name}")
        facts = [state_text(s.state), f"Bin {s.bin}" if s.bin else "", pickup_by_text(s)]
        who = [s.customer_phone, f"{s.units} units"]
        if s.pending_ops:
            who.append(f"{s.pending_ops} step{'s' * (s.pending_ops != 1)} waiting to sync")
        self.order_meta.setText(
            "\n".join("  ·  ".join(f for f in group if f) for group in (facts, who))
        )
        hint = HINTS[step]
        if step is Step.RESTOCK and s.bin and self._restock_bin != s.fulfilment_id:
            hint = f"Cancelled: scan bin {s.bin} first, then each item back onto the shelf."
        if step is Step.PICK:
            picked = sum(x.picked for x in order.lines)
            wanted = sum(x.ordered - x.short - x.cancelled for x in order.lines)
            hint += f"  {picked} of {wanted} units picked."
        self.step_hint.setText(hint)

    def _on_step_entered(self) -> None:
        text = self.step_field.text().strip()
        if self._order is None:
            if text:
                self.search.setText(text)
                self._find(text, scanned=False)
            return
        step = next_step(self._order)
        if not text:
            self._on_primary()
        elif step in (Step.PICK, Step.STAGE, Step.RESTOCK):
            self._do_step(step, text, scanned=False)
        else:
            self.search.setText(text)
            self._find(text, scanned=False)

    def _on_primary(self) -> None:
        if self._order is None or self._busy:
            return
        step = next_step(self._order)
        if step is Step.HANDOVER:
            self._start_handover(code_verified=False)
            return
        text = self.step_field.text().strip()
        if step in (Step.PICK, Step.STAGE, Step.RESTOCK) and not text:
            self.message.show_error(HINTS[step])
            self.step_field.setFocus()
            return
        if step is not Step.NONE:
            self._do_step(step, text, scanned=False)

    def _on_short(self) -> None:
        if self._order is None or next_step(self._order) is not Step.PICK:
            return
        rows = self.lines_view.selectionModel().selectedRows()
        chosen = [self.lines.row_at(r.row()) for r in rows] or list(self._order.lines)
        line = next((x for x in chosen if x.to_pick), None)
        if line is not None:
            self._call(self._pickup.short, line.sku, done=f"{line.name or line.sku} marked short.")

    def _do_step(self, step: Step, text: str, *, scanned: bool) -> None:
        if step is Step.ACCEPT:
            self._call(self._pickup.accept, done="Order accepted. Scan each item to pick it.")
        elif step is Step.PICK:
            self._call(self._pickup.pick, text, scan=text, scanned=scanned, done="Picked")
        elif step is Step.STAGE:
            self._call(self._pickup.stage, text, scan=text, scanned=scanned, done="Staged")
        elif step is Step.READY:
            self._call(
                self._pickup.ready,
                done=READY_DONE,
            )
        elif step is Step.RESTOCK and self._restock_bin_scan(text, scanned=scanned):
            self._call(self._pickup.restock, text, scan=text, scanned=scanned, done="Restocked")

    def _restock_bin_scan(self, text: str, *, scanned: bool) -> bool:
        """Restock takes the bin first: True when ``text`` is an item to put back now."""
        if self._order is None:
            return False
        s = self._order.summary
        if not s.bin or self._restock_bin == s.fulfilment_id:
            return True
        if text.upper() == s.bin.upper():
            self._restock_bin = s.fulfilment_id
            self._feedback_for(scanned, ok=True)
            self.message.show_ok(f"Bin {s.bin} checked. Now scan each item back onto the shelf.")
            self._show_order(self._order)
            return False
        if looks_like_bin(text):
            self._feedback_for(scanned, ok=False)
            self.message.show_error(
                KnownError(
                    f"Wrong bin: {text}. Order {s.order_number} is on bin {s.bin}.",
                    next_step=f"Find bin {s.bin} on the hold shelf and scan its label.",
                )
            )
            return False
        if not looks_like_item(text):
            return True  # maybe another order's number: the step fails and finds it
        self._feedback_for(scanned, ok=False)
        self.message.show_error(
            KnownError(
                f"Scan bin {s.bin} first.",
                next_step="Scan the hold-shelf bin label, then each item back to the shelf.",
            )
        )
        return False

    def _call(
        self,
        fn: Callable[..., PickupRecorded],
        *args: Any,
        done: str,
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

    def _on_stepped(self, recorded: PickupRecorded, done: str, scanned: bool) -> None:
        self._busy = False
        self._feedback_for(scanned, ok=True)
        before = self._order
        self._show_order(recorded.order)
        self.message.show_ok(what_changed(before, recorded.order, done))
        self.changed_locally.emit()
        self.refresh_queue()
        self.step_field.setFocus()

    def _on_step_failed(self, error: KnownError, scan: str, scanned: bool) -> None:
        self._busy = False
        self._show_order(self._order)
        if scan and not looks_like_item(scan) and isinstance(error, NotFound | RuleRefused):
            self._find(scan, scanned=scanned, after_failed=error)
            return
        self._feedback_for(scanned, ok=False)
        self.message.show_error(error)
        self.step_field.setFocus()

    # -- handover --------------------------------------------------------------------

    def _start_handover(self, *, code_verified: bool) -> None:
        if self._order is None:
            return
        self.right.setCurrentWidget(self.handover)
        self.handover.start(self._order, code_verified=code_verified)
        if not code_verified:
            self.message.show_info(
                "Check who collects: type the pickup code and press Enter, or choose "
                "ID check (Alt+I) or Third party (Alt+T)."
            )

    def _on_handed_over(self, recorded: PickupRecorded) -> None:
        s = recorded.order.summary
        self._show_order(recorded.order)
        units = sum(x.collected for x in recorded.order.lines)
        self.message.show_ok(
            f"Handed over: {units} units of {s.order_number}. {state_text(s.state)}."
        )
        self.changed_locally.emit()
        self.refresh_queue()
        self.search.setFocus()

    def _on_handover_closed(self) -> None:
        self.right.setCurrentWidget(self.detail)
        self.message.clear_message()
        self.step_field.setFocus()

    # -- pickup tag -------------------------------------------------------------------

    def _on_tag(self) -> None:
        if self._printing is None or self.label_dialog is not None:
            return
        if self._order is None or self._order.summary.state not in TAGGED:
            self.message.show_error("Open a staged order first: its tag names its bin.")
            return
        self._runner.run_db(
            self._pickup.pickup_tag,
            self._order.summary.fulfilment_id,
            on_done=self._open_tag_preview,
            on_error=self.message.show_error,
        )

    def _open_tag_preview(self, data: PickupTag) -> None:
        if self._printing is None or self.label_dialog is not None:
            return
        staff = self._staff()
        self.label_dialog = open_label_preview(
            self,
            service=self._printing,
            runner=self._runner,
            kind=LabelKind.PICKUP_TAG,
            data=data,
            staff_code=staff.code if staff is not None else None,
            on_closed=self._on_tag_closed,
        )

    def _on_tag_closed(self) -> None:
        self.label_dialog = None
        self.step_field.setFocus()

    def _feedback_for(self, scanned: bool, *, ok: bool) -> None:
        if scanned and self._feedback is not None:
            if ok:
                self._feedback.scan_ok()
            else:
                self._feedback.scan_failed()
