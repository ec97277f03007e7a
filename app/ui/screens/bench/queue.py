"""The bench's pick/pack queue: this location's open ship orders by delivery promise and
carrier cut-off, the ones that will miss today's cut-off marked in red and in words, the
ones late for their promise in amber and in words.

Keyboard and scanner only. ↑ ↓ move in the queue, Enter opens the order (lines, address,
payment, carrier, why this store), Esc goes back; Alt+A gives the order to a picker (a
bare letter would fire on the letters of a scan, which reach the queue as keys too), to
nobody at the foot of the list; the ledger tells every bench of the location. A
scanned order number opens that order wherever the cursor is; typing starts in the find
field. Each part says what to do next in one line. A bench station opens here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.assign import ASSIGNABLE, check_assignable
from app.errors import KnownError
from app.services.results import StaffSession, StationStatus
from app.services.shipping.results import Picker, ShipDetail, ShipQueue, ShipSummary
from app.ui.ports import PickerChooser, ShipQueueReader
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.order_panel import ShipOrderPanel
from app.ui.screens.bench.picker_dialog import PickerDialog
from app.ui.screens.bench.queue_models import ShipQueueModel, summary_text
from app.ui.screens.common import table_view
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, button, label, panel, title_row

ASSIGN_KEY = "Alt+A"
PICKER = 7  # the column that takes the spare width
REFRESH_MS = 60_000  # the cut-off marks move with the clock
S = FulfilmentState
BATCH_KEY = "Ctrl+B"
QUEUE_NEXT = (
    "↑ ↓ choose an order · Enter opens it · Alt+A: picker · Shift+↓ marks · Ctrl+B: batch pick"
)
EMPTY_NEXT = "Nothing to pick or pack: orders appear here as the ledger routes them to you."
ORDER_NEXT = {
    S.ROUTED: "Next: pick its items",
    S.ACCEPTED: "Next: pick its items",
    S.PICKING: "Next: finish picking its items",
    S.PICKED: "Next: pack it into a parcel",
    S.PACKED: "Next: hand the parcel to the carrier",
    S.SHIPPED: "It has left with the carrier: nothing more to do here",
    S.DELIVERED: "Delivered: nothing more to do here",
}


class BenchQueueScreen(QWidget):
    """The queue of ship orders, or one of them opened."""

    title = "Ship queue"
    bench_home = True  # a bench station opens on this screen after a login

    def __init__(
        self,
        *,
        ship_queue: ShipQueueReader,
        pickers: PickerChooser,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        start_batch: Callable[[Sequence[int]], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._queue_service = ship_queue
        self._start_batch = start_batch
        self._pickers = pickers
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self._last: ShipQueue | None = None
        self._read_no = 0  # answers of an older read or find are dropped
        self.dialog: PickerDialog | None = None

        self.search = QLineEdit()
        self.search.setProperty("role", "search")
        self.search.setPlaceholderText("Scan or type an order number")
        self.search.setAccessibleName("Find ship order")
        self.search.setClearButtonEnabled(True)
        self.find_button = button("Find")
        self.summary = label("", role="heading", wrap=True)  # two lines at 1024 px if it must
        self.summary.setAccessibleName("Today at the bench")
        self.message = MessageLine()
        self.model = ShipQueueModel(self)
        self.view = table_view(self.model, stretch_column=PICKER)  # names give way first
        self.view.setAccessibleName("Ship queue")
        self.order = ShipOrderPanel()
        self.next_line = label(QUEUE_NEXT, role="muted")
        self.next_line.setAccessibleName("What to do next")
        self.pages = QStackedWidget()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self._on_tick)
        self._build()

        self.search.returnPressed.connect(self._on_search)
        self.find_button.clicked.connect(self._on_search)
        self.view.installEventFilter(self)
        self.order.lines_view.installEventFilter(self)
        assign = QShortcut(QKeySequence(ASSIGN_KEY), self)
        assign.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        assign.activated.connect(self.choose_picker)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        batch = QShortcut(QKeySequence(BATCH_KEY), self)
        batch.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        batch.activated.connect(self.batch_pick)
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_to_queue)

    def _build(self) -> None:
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.order)
        card = panel()
        inside = QVBoxLayout(card)
        inside.setContentsMargins(16, 10, 16, 10)
        inside.setSpacing(8)
        inside.addWidget(self.pages, 1)
        inside.addWidget(self.next_line)
        policy = self.message.sizePolicy()  # the queue does not jump as messages come and go
        policy.setRetainSizeWhenHidden(True)
        self.message.setSizePolicy(policy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addLayout(title_row(self.title, self.search, self.find_button))
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(card, 1)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self.refresh()
        self._timer.start()
        (self.view if self.open_order() is None else self.order.lines_view).setFocus()

    def on_scan(self, code: str) -> None:
        self.search.setText(code.strip())
        self._find(code, scanned=True)

    def reset(self) -> None:
        """Forget the order open, the search and the queue: at a log-out."""
        self._read_no += 1
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.reject()
        self.search.clear()
        self.message.clear_message()
        self._last = None
        self.model.set_rows([])
        self.summary.clear()
        self._show_queue_page()
        self.next_line.setText(QUEUE_NEXT)  # as built: the queue is read on the next show

    def on_station_status(self, status: StationStatus) -> None:
        """A sync landed or the station went on or offline: read the queue again."""
        if self._staff() is not None:
            self.refresh()
            order = self.open_order()
            if order is not None:
                self._load(order.summary.fulfilment_id, quiet=True)

    # -- the queue ------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the queue again (on the database worker)."""
        self._read_no += 1
        number = self._read_no
        self._runner.run_db(
            self._queue_service.queue,
            on_done=lambda queue: self._on_queue(number, queue),
            on_error=self.message.show_error,
        )

    def shown_queue(self) -> ShipQueue | None:
        return self._last

    def open_order(self) -> ShipDetail | None:
        """The order opened (its page on show), or None on the queue."""
        return self.order.detail() if self.pages.currentWidget() is self.order else None

    def chosen(self) -> ShipSummary | None:
        """The order of the row the cursor is on."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_queue(self, number: int, queue: ShipQueue) -> None:
        if number != self._read_no and self._last is not None:
            return
        chosen = self.chosen()
        self._last = queue
        self.model.set_queue(queue)
        self.summary.setText(summary_text(queue))
        row = self.model.row_of(chosen.fulfilment_id) if chosen else -1
        if self.model.rowCount():
            self.view.selectRow(max(row, 0))
        if self.pages.currentWidget() is self.view:
            self.next_line.setText(QUEUE_NEXT if self.model.rowCount() else EMPTY_NEXT)

    def _on_tick(self) -> None:
        if self._staff() is not None and self.isVisible():
            self.refresh()

    # -- opening an order -----------------------------------------------------------

    def open_chosen(self) -> None:
        row = self.chosen()
        if row is not None:
            self._load(row.fulfilment_id)

    def _load(self, fid: int, *, quiet: bool = False) -> None:
        self._runner.run_db(
            self._queue_service.order,
            fid,
            on_done=self._show_order,
            on_error=(lambda _gone: None) if quiet else self.message.show_error,
        )

    def _on_search(self) -> None:
        code = self.search.text().strip()
        if not code:
            self.message.show_error("Scan or type an order number first.")
            return
        self._find(code, scanned=False)

    def _find(self, code: str, *, scanned: bool) -> None:
        self._runner.run_db(
            self._queue_service.find,
            code,
            on_done=lambda detail: self._on_found(detail, scanned),
            on_error=lambda error: self._on_not_found(error, scanned),
        )

    def _on_found(self, detail: ShipDetail, scanned: bool) -> None:
        if scanned and self._feedback is not None:
            self._feedback.scan_ok()
        self.message.clear_message()
        self._show_order(detail)

    def _on_not_found(self, error: KnownError, scanned: bool) -> None:
        if scanned and self._feedback is not None:
            self._feedback.scan_failed()  # a double beep: the message says why
        self.message.show_error(error)

    def _show_order(self, detail: ShipDetail) -> None:
        self.order.show_order(detail)
        self.pages.setCurrentWidget(self.order)
        row = self.model.row_of(detail.summary.fulfilment_id)
        if row >= 0:
            self.view.selectRow(row)
        state = detail.summary.state
        state_next = ORDER_NEXT.get(state, "Nothing more to do here")
        assign = " · Alt+A gives it to a picker" if state in ASSIGNABLE else ""
        self.next_line.setText(f"{state_next}{assign} · Esc: the queue")
        self.order.lines_view.setFocus()

    def back_to_queue(self) -> None:
        """Close the order: the queue again, its row chosen."""
        if self.pages.currentWidget() is self.order:
            self._show_queue_page()
            self.refresh()
        self.view.setFocus()

    def _show_queue_page(self) -> None:
        self.order.show_order(None)
        self.pages.setCurrentWidget(self.view)
        self.next_line.setText(QUEUE_NEXT if self.model.rowCount() else EMPTY_NEXT)

    # -- the picker ----------------------------------------------------------------

    def choose_picker(self) -> None:
        """Ask who picks the order open, or the one the cursor is on."""
        detail = self.open_order()
        row = detail.summary if detail is not None else self.chosen()
        if row is None:
            self.message.show_error("Choose an order first (↑ ↓), then press Alt+A.")
            return
        try:
            check_assignable(row.order_number, row.state)  # one that left: nobody picks it
        except KnownError as refused:
            self.message.show_error(refused)
            return
        self._runner.run_db(
            self._pickers.pickers, on_done=lambda people: self._ask_picker(row, people)
        )

    def _ask_picker(self, row: ShipSummary, people: tuple[Picker, ...]) -> None:
        if self._staff() is None:
            return
        dialog = self.dialog = PickerDialog(row.order_number, people, row.picker_code, self)
        dialog.accepted.connect(lambda: self._assign(row, dialog.chosen()))
        dialog.finished.connect(self._on_dialog_closed)
        dialog.open()

    def _on_dialog_closed(self) -> None:
        self.dialog = None
        self.window().activateWindow()  # some platforms leave no window active after a dialog
        (self.view if self.open_order() is None else self.order.lines_view).setFocus()

    def _assign(self, row: ShipSummary, code: str) -> None:
        staff = self._staff()
        if staff is None:
            return
        self._runner.run_db(
            self._pickers.assign,
            staff,
            row.fulfilment_id,
            code,
            on_done=self._on_assigned,
            on_error=self.message.show_error,
        )

    def _on_assigned(self, row: ShipSummary) -> None:
        who = f"{row.picker_name} picks" if row.picker_code else "Nobody picks"
        self.message.show_ok(f"{who} {row.order_number}: every bench sees it after the sync.")
        self.refresh()
        detail = self.open_order()
        if detail is not None and detail.summary.fulfilment_id == row.fulfilment_id:
            self._load(row.fulfilment_id, quiet=True)

    # -- a batch pick -----------------------------------------------------------------

    def marked(self) -> list[int]:
        """The orders marked for a batch (Shift+↑ ↓ selects more than one row), or none."""
        rows = sorted(i.row() for i in self.view.selectionModel().selectedRows())
        return [self.model.row_at(r).fulfilment_id for r in rows] if len(rows) > 1 else []

    def batch_pick(self) -> None:
        """Ctrl+B: a batch of the marked orders, or of the next ones by cut-off."""
        if self._start_batch is not None:
            self._start_batch(self.marked())

    # -- keys on the queue and the order ---------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key, mods = event.key(), event.modifiers()
        if watched is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_chosen()
            return True
        text = event.text()
        typing = not mods & ~Qt.KeyboardModifier.ShiftModifier
        if typing and len(text) == 1 and text.isprintable() and text != " ":
            # typing goes to the find field (a scan's keys too: it opens the order)
            self.search.setFocus()
            self.search.insert(text)
            return True
        return False
