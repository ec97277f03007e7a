"""The unpick task on the batch pick screen (F9): choose an order with units due back,
then scan the bin and the item for each unit put back on the shelf."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from app.errors import KnownError
from app.services.results import StaffSession
from app.services.shipping.batch_results import UnpickDone, UnpickTask
from app.ui.ports import Unpicker
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.batch_pick_parts import Chooser, task_line
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLine


class UnpickSteps:
    """What the unpick page shows and what its scans do (the screen owns the widgets)."""

    def __init__(
        self,
        *,
        unpicking: Unpicker,
        runner: TaskRunner,
        feedback: ScanFeedback | None,
        chooser: Chooser,
        message: MessageLine,
        next_line: QLabel,
        on_put_back: Callable[[], None],
    ) -> None:
        self._unpicking = unpicking
        self._runner = runner
        self._feedback = feedback
        self._chooser = chooser
        self._message = message
        self._next_line = next_line
        self._on_put_back_done = on_put_back
        self._tasks: list[UnpickTask] = []
        self.task: UnpickTask | None = None
        self._bin = ""  # the bin scanned for the next put-back
        chooser.choices.itemActivated.connect(lambda _: self._on_task_chosen())

    def forget(self) -> None:
        self.task, self._bin = None, ""

    def ask(self) -> None:
        """Read the unpick task and show it to choose from."""
        self._runner.run_db(self._unpicking.tasks, on_done=self._show, on_error=self._error)

    def _error(self, error: KnownError) -> None:
        self._message.show_error(error)

    def _show(self, tasks: list[UnpickTask]) -> None:
        self._tasks, self.task, self._bin = tasks, None, ""
        self._chooser.ask("Units to put back on the shelf", [task_line(t) for t in tasks])
        self._next_line.setText(
            "↑ ↓ choose an order and press Enter (Esc: back)." if tasks else "Nothing to put back."
        )

    def _on_task_chosen(self) -> None:
        row = self._chooser.choices.currentRow()
        if 0 <= row < len(self._tasks):
            self.task, self._bin = self._tasks[row], ""
            self._next_line.setText(f"{self.task.order_number}: scan the bin to put it back in.")

    def on_scan(self, staff: StaffSession, code: str) -> bool:
        """A scan on the unpick page: the bin, then the item; False before an order is chosen."""
        if self.task is None:
            return False
        if not self._bin:
            self._bin = code.strip().upper()
            if self._feedback is not None:
                self._feedback.scan_ok()
            self._next_line.setText(f"Bin {self._bin}: scan the item you put in it.")
            return True
        self._runner.run_db(
            self._unpicking.put_back, staff, self.task.fulfilment_id, self._bin, code,
            on_done=self._on_put_back, on_error=self._on_refused,
        )  # fmt: skip
        return True

    def _on_put_back(self, done: UnpickDone) -> None:
        if self._feedback is not None:
            self._feedback.scan_ok()
        self._message.show_ok(done.said)
        self._on_put_back_done()
        self._bin = ""
        if done.task is None:
            self.ask()
            return
        self.task = done.task
        self._next_line.setText(f"{done.task.order_number}: scan the bin for the next unit.")

    def _on_refused(self, error: KnownError) -> None:
        self._bin = ""
        if self._feedback is not None:
            self._feedback.scan_failed()  # a double beep: the message says why
        self._message.show_error(error)
        if self.task is not None:
            self._next_line.setText(f"{self.task.order_number}: scan the bin to put it back in.")
