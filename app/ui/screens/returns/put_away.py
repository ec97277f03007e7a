"""Putting returned units away by scan (Ctrl+B): the unit's RMA label, then the bin it
goes into; the service records it and says what to do next. Esc leaves the mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.errors import KnownError, NotFound
from app.services.returns.put_away import BUCKET_WORDS, PutAwayDone
from app.ui.screens.returns.steps import Step

if TYPE_CHECKING:
    from app.ui.screens.returns.screen import ReturnsScreen

PUT_HEADING = "Put returned units away\nEach unit: its RMA label, then the bin it goes into"


def put_line(done: PutAwayDone) -> str:
    """One unit put away, as the list of this session's put-aways reads."""
    return f"{done.rma_id} → {done.bin} · {done.sku} · {BUCKET_WORDS[done.to_bucket]} stock"


class PutAwayFlow:
    """The screen's put-away mode: two scans a unit."""

    def __init__(self, screen: ReturnsScreen) -> None:
        self._screen = screen
        self.rma = ""  # the RMA label scanned, waiting for its bin
        self.done: list[str] = []  # the units put away since the mode began
        self.busy = False

    def clear(self) -> None:
        self.rma, self.done, self.busy = "", [], False

    def start(self) -> None:
        """Ctrl+B: scan the RMA label, then the bin."""
        s = self._screen
        if s.step not in (Step.FIND, Step.CHOOSE):
            s.refuse("Finish or drop this return first (Esc); then Ctrl+B puts units away.")
            return
        s.found_model.set_rows([])
        s.search.clear()
        s.message.show_info("Put away: scan the RMA label on the unit.")
        s.go(Step.PUT_RMA)

    def leave(self) -> None:
        """Esc: back to finding an order."""
        s = self._screen
        n = len(self.done)
        self.clear()
        s.search.clear()
        s.message.show_info(f"Put-away closed: {n} unit{'' if n == 1 else 's'} put away.")
        s.go(Step.FIND)

    def on_scan(self, code: str) -> None:
        s = self._screen
        s.search.clear()
        staff = s.staff()
        if self.busy or staff is None:
            s.refuse("Wait a moment: the last unit is being put away.")
        elif s.step is Step.PUT_RMA:
            self.rma = code
            s.scan_ok()
            s.message.show_info(f"{code}: now scan the bin it goes into.")
            s.go(Step.PUT_BIN)
        else:
            self.busy = True
            s.runner.run_db(
                s.counter.put_away, self.rma, code, staff,
                on_done=self._on_done, on_error=self._on_error,
            )  # fmt: skip

    def _on_done(self, done: PutAwayDone) -> None:
        s = self._screen
        self.busy, self.rma = False, ""
        self.done.append(put_line(done))
        s.scan_ok()
        s.message.show_ok(done.said)
        s.changed_locally.emit()
        if s.step is Step.PUT_BIN:
            s.go(Step.PUT_RMA)

    def _on_error(self, error: KnownError) -> None:
        """An RMA label not known here: scan it again; any other refusal (the bin): the
        label is kept, scan another bin."""
        self.busy = False
        if isinstance(error, NotFound):
            self.rma = ""
            if self._screen.step is Step.PUT_BIN:
                self._screen.go(Step.PUT_RMA)
        self._screen.refuse(error)
