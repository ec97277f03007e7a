"""The bench's batch pick: one walk across many orders, bin by bin, each unit sorted into
its order's tote; and the unpick task, units put back on the shelf by scan.

Keyboard and scanner only. Scans do the walk: the bin, each item, then the tote. Keys
(none a bare letter: a wedge scan types letters): Ctrl+B starts a batch (the Ship queue's
Ctrl+B starts one of the orders marked there), ``*`` keys how many units the next item
scan counts, F7 the bin is short, F8 rejects short items with a reason, Ctrl+→ skips a
stop, Ctrl+← goes back to one, Ctrl+P prints the pick list for staff without a scanner,
Ctrl+Enter finishes the walk, F9 the unpick task, Esc back to the walk. One line always
says what to do next; a wrong scan double-beeps with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLineEdit, QStackedWidget, QVBoxLayout, QWidget

from app.domain.reasons import Reason
from app.errors import KnownError
from app.services.results import StaffSession
from app.services.shipping.batch_results import BatchView, StopView, UnpickTask
from app.ui.ports import BatchPicker, Unpicker
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.batch_pick_parts import (
    IDLE_KEYS,
    KEYS_LINE,
    NO_BATCH,
    Chooser,
    StopCard,
)
from app.ui.screens.bench.count_keys import COUNT_KEY, CountKeys
from app.ui.screens.bench.unpick_steps import UnpickSteps
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine, label, panel

BATCH_SIZE = 20  # orders of a batch started without marked ones


class BatchPickScreen(QWidget):
    """The walk of the open batch, or how to start one; the unpick task."""

    title = "Batch pick"

    key = "F10"  # after Pack (F6): the same with or without the Printers screen (F5)
    changed_locally = Signal()

    def __init__(
        self,
        *,
        batch_pick: BatchPicker,
        unpicking: Unpicker,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = batch_pick
        self._unpicking = unpicking
        self._runner = runner
        self._staff = staff
        self._feedback = feedback
        self._view: BatchView | None = None
        self._reasons: list[Reason] = []
        self.heading = label("", role="heading")
        self.message = MessageLine()
        self.card = StopCard()
        self.card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.found = QLineEdit()
        self.found.setAccessibleName("Units the bin held")
        self.short_page = QWidget()
        self.reasons = Chooser()
        self.unpick = Chooser()
        self.pages = QStackedWidget()
        self.next_line = label(NO_BATCH, role="heading", wrap=True)
        self.next_line.setAccessibleName("What to do next")
        self.keys_line = label(IDLE_KEYS, role="muted", wrap=True)
        self._build()
        self.found.returnPressed.connect(self._on_found_keyed)
        self.keyed = self.card.keyed
        self._count = CountKeys(field=self.keyed, next_line=self.next_line, refuse=self._bad_scan)
        self.keyed.returnPressed.connect(lambda: self._count.keyed(self._current()))
        self.reasons.choices.itemActivated.connect(lambda _: self._on_reason_chosen())
        self._unpick = UnpickSteps(
            unpicking=unpicking, runner=runner, feedback=feedback, chooser=self.unpick,
            message=self.message, next_line=self.next_line, on_put_back=self.changed_locally.emit,
        )  # fmt: skip
        self._keys()

    def _build(self) -> None:
        short = QVBoxLayout(self.short_page)
        short.setContentsMargins(0, 0, 0, 0)
        self.found_question = label("", role="heading", wrap=True)
        short.addWidget(self.found_question)
        short.addWidget(self.found)
        short.addStretch(1)
        for page in (self.card, self.short_page, self.reasons, self.unpick):
            self.pages.addWidget(page)
        card = panel()
        inside = QVBoxLayout(card)
        inside.setContentsMargins(16, 10, 16, 10)
        inside.addWidget(self.pages, 1)
        inside.addWidget(self.next_line)
        inside.addWidget(self.keys_line)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(8)
        layout.addWidget(label(self.title, role="title"))
        layout.addWidget(self.message)
        layout.addWidget(card, 1)

    def _keys(self) -> None:
        keys: list[tuple[str | QKeySequence.StandardKey, Callable[[], None]]] = [
            ("Ctrl+B", lambda: self.start_batch(())),
            ("F7", self._ask_found),
            ("F8", self._ask_reason),
            ("F9", self._ask_task),
            ("Ctrl+Right", lambda: self._act(self._service.skip)),
            ("Ctrl+Left", lambda: self._act(self._service.back)),
            ("Ctrl+P", self._print_pick_list),
            ("Ctrl+Return", self._finish),
            ("Ctrl+Enter", self._finish),
            ("Esc", self._to_walk),
        ]
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        self._to_walk()
        self._runner.run_db(self._service.current, on_done=self._show, on_error=self._error)

    def reset(self) -> None:
        """Forget what is shown: at a log-out (the walk itself is kept in the cache)."""
        self._view, self._reasons = None, []
        self._unpick.forget()
        self.message.clear_message()
        self.card.show_batch(None)
        self.found.clear()
        self.found_question.clear()
        self.reasons.clear()
        self.unpick.clear()
        self.pages.setCurrentWidget(self.card)
        self.next_line.setText(NO_BATCH)
        self.keys_line.setText(IDLE_KEYS)

    def on_scan(self, code: str) -> None:
        staff = self._staff()
        if staff is None:
            return
        if self.pages.currentWidget() is self.unpick and self._unpick.on_scan(staff, code):
            return
        if self.pages.currentWidget() is self.card and self._view is not None:
            self._scan_item(staff, code)
        elif self._view is None:
            self._bad_scan("No batch is open: press Ctrl+B to start one, then scan its first bin.")
        else:
            self._bad_scan("Finish this step first (Esc goes back to the walk).")

    def start_batch(self, marked: Sequence[int]) -> None:
        """Start a batch of ``marked`` orders, or of the next ones by cut-off."""
        staff = self._staff()
        if staff is not None:
            self._runner.run_db(
                self._service.start, staff, tuple(marked), BATCH_SIZE,
                on_done=self._show, on_error=self._error,
            )  # fmt: skip

    # -- the walk --------------------------------------------------------------------

    def shown(self) -> BatchView | None:
        return self._view

    def _act(self, action: Callable[[StaffSession], BatchView]) -> None:
        staff = self._staff()
        if staff is not None and self._view is not None:
            self._runner.run_db(action, staff, on_done=self._show_scan, on_error=self._error)

    def _show(self, view: BatchView | None) -> None:
        self._view = view
        self.card.show_batch(view)
        self.next_line.setText(view.prompt if view else NO_BATCH)
        self.keys_line.setText(KEYS_LINE if view else IDLE_KEYS)
        if self.pages.currentWidget() is self.card:
            self.card.setFocus()

    def _show_scan(self, view: BatchView, keyed: int = 1) -> None:
        self._to_walk()
        self._show(view)
        if view.refused:
            self._bad_scan(view.said)
            self._count.after_refusal(view.current, keyed)
            return
        if self._feedback is not None:
            self._feedback.scan_ok()
        self.message.show_ok(view.said)
        if view.ops:
            self.changed_locally.emit()

    def _bad_scan(self, error: KnownError | str) -> None:
        if self._feedback is not None:
            self._feedback.scan_failed()  # a double beep: the message says why
        self.message.show_error(error)

    def _error(self, error: KnownError) -> None:
        self.message.show_error(error)

    def _to_walk(self) -> None:
        self.pages.setCurrentWidget(self.card)
        self.card.setFocus()  # before the count field hides: the cursor stays on the stop
        self.keyed.close_count()
        self._unpick.forget()
        self.keys_line.setText(KEYS_LINE if self._view else IDLE_KEYS)
        self.next_line.setText(self._view.prompt if self._view else NO_BATCH)

    # -- a keyed count -----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """``*`` on the stop: key how many units the next item scan counts."""
        if event.text() == COUNT_KEY and self.pages.currentWidget() is self.card:
            self._count.ask(self._current())
            return
        super().keyPressEvent(event)

    def _current(self) -> StopView | None:
        return self._view.current if self._view else None

    def _scan_item(self, staff: StaffSession, code: str) -> None:
        """A scan on the walk, with the count keyed for it."""
        units = self._count.for_scan(code)
        if units is None:
            self._bad_scan("The count keyed is not a number: press * and key it again.")
            return
        self._runner.run_db(
            self._service.scan, staff, code, units,
            on_done=lambda view: self._show_scan(view, units), on_error=self._bad_scan,
        )  # fmt: skip

    # -- short, reject, pick list, finish ------------------------------------------------

    def _ask_found(self) -> None:
        stop = self._view.current if self._view else None
        if stop is None:
            self._bad_scan("There is no stop to mark short.")
            return
        self.found_question.setText(f"How many {stop.name} did bin {stop.bin_code} hold?")
        self.found.clear()
        self.pages.setCurrentWidget(self.short_page)
        self.next_line.setText("Key the units you found and press Enter (Esc: back).")
        self.found.setFocus()

    def _on_found_keyed(self) -> None:
        text = self.found.text().strip()
        staff = self._staff()
        if not text.isdigit() or staff is None:
            self._bad_scan("Key the number of units the bin held, 0 if none.")
            return
        self._runner.run_db(
            self._service.short, staff, int(text), on_done=self._show_scan, on_error=self._error
        )

    def _ask_reason(self) -> None:
        if not (self._view and self._view.to_reject):
            self._bad_scan("No short items are waiting for a reason.")
            return
        self._runner.run_db(self._service.reasons, on_done=self._show_reasons)

    def _show_reasons(self, reasons: list[Reason]) -> None:
        self._reasons = reasons
        units = sum(s.quantity for s in self._view.to_reject) if self._view else 0
        self.pages.setCurrentWidget(self.reasons)
        self.reasons.ask(
            f"Why can {units} short units not ship from here?", [r.label for r in reasons]
        )
        self.next_line.setText("↑ ↓ choose the reason and press Enter (Esc: back).")

    def _on_reason_chosen(self) -> None:
        row, staff = self.reasons.choices.currentRow(), self._staff()
        if staff is not None and 0 <= row < len(self._reasons):
            self._runner.run_db(
                self._service.reject_shorts, staff, self._reasons[row].code,
                on_done=self._show_scan, on_error=self._error,
            )  # fmt: skip

    def _print_pick_list(self) -> None:
        staff = self._staff()
        if staff is not None:
            self._runner.run_db(
                self._service.print_pick_list, staff, on_done=self.message.show_info,
                on_error=self._error,
            )  # fmt: skip

    def _finish(self) -> None:
        staff = self._staff()
        if staff is not None and self._view is not None:
            self._runner.run_db(
                self._service.finish, staff, on_done=self._on_finished, on_error=self._error
            )

    def _on_finished(self, said: str) -> None:
        self._show(None)
        self.message.show_ok(said)

    # -- the unpick task -------------------------------------------------------------

    def unpick_task(self) -> UnpickTask | None:
        """The order whose units are being put back, once chosen."""
        return self._unpick.task

    def _ask_task(self) -> None:
        self._unpick.forget()
        self.pages.setCurrentWidget(self.unpick)
        self.keys_line.setText("Esc back to the walk")
        self._unpick.ask()
