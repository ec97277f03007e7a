"""Returns: the counter or bench takes back what a customer (or a carrier) brings.

Find the order with one box (receipt, order or parcel barcode, an item, a phone or an
e-mail): this station's cache first, then the ledger on the network worker. Several
orders found: ↑↓ and Enter. Then scan each unit coming back; each is checked at once
(on the order, inside its window, not final sale, not more than can come back: a refusal
double-beeps and says why), graded with one key (A B C D; defective: R or S), and given
its reason (1–9). The refund due follows every unit; M switches how it is paid where the
payment allows. Backspace or Ctrl+Z undoes the last unit, Esc backs out a step, and
Ctrl+Enter records the return, prints the credit note and a label per unit. Three modes
have their own modules: Ctrl+N a return without a receipt (:mod:`.no_receipt`), Ctrl+B
units put away by scan (:mod:`.put_away`), Ctrl+E an exchange for a replacement picked up
here (:mod:`.exchange`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan, method_of
from app.domain.returns.grades import (
    DISPOSITION_WORDS,
    GRADE_KEYS,
    Disposition,
    Grade,
    dispositions,
)
from app.domain.returns.refund_rules import refund_choices
from app.domain.returns.sold import SoldLine, SoldOrder
from app.errors import KnownError, NotFound, Offline
from app.services.results import StaffSession
from app.services.returns.results import ReturnFound, ReturnReason, ReturnTaken
from app.ui.ports import ReturnsCounter
from app.ui.scanner import ScanFeedback
from app.ui.screens.common import fit_rows
from app.ui.screens.returns.exchange import ExchangeFlow
from app.ui.screens.returns.no_receipt import NoReceiptFlow
from app.ui.screens.returns.panels import ReturnBody
from app.ui.screens.returns.put_away import PutAwayFlow
from app.ui.screens.returns.steps import (
    EXCHANGE_KEY,
    NO_RECEIPT_KEY,
    PUT_AWAY_KEY,
    REASON_KEYS,
    Step,
    keys_line,
    placeholder,
    prompt,
)
from app.ui.screens.returns.texts import (
    GRADE_NAMES,
)
from app.ui.tasks import TaskRunner
from app.ui.widgets import (
    MessageLine,
    button,
    keep_room,
    screen_layout,
    shortcut,
    title_row,
)

FINISH_KEYS = ("Ctrl+Return", "Ctrl+Enter")
REPRINT_KEY = "F8"  # the prints' words promise it: prints.REPRINT
_DEFECTIVE_KEYS = {"R": Disposition.RTV, "S": Disposition.SCRAP}
_CHOICE_STEPS = (Step.GRADE, Step.DISPOSE, Step.REASON)
_BOX_STEPS = (Step.FIND, Step.PHONE, Step.PUT_RMA, Step.PUT_BIN)  # the cursor in the box


class ReturnsScreen(QWidget):
    """Return intake, one order at a time, by keys and scans."""

    title = "Returns"
    key = "Ctrl+F7"  # F7…F9 are the screens' own keys (Pack's F7, Pickup's F7…)

    changed_locally = Signal()  # a return was recorded: the sync may send it

    def __init__(
        self,
        *,
        returns: ReturnsCounter,
        runner: TaskRunner,
        staff: Callable[[], StaffSession | None],
        feedback: ScanFeedback | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.counter = returns
        self.runner = runner
        self.staff = staff
        self._feedback = feedback
        self._clock = clock
        self.step = Step.FIND
        self.draft: ReturnDraft | None = None
        self.reasons: tuple[ReturnReason, ...] = ()
        self.last_taken: ReturnTaken | None = None
        self._line: SoldLine | None = None  # the unit being graded
        self._grade = Grade.A
        self._disposition = Disposition.SELLABLE
        self._dropping = False  # Esc pressed once with units taken
        self._nothing_found = False  # the last lookup found nothing: Ctrl+N is offered
        self.no_receipt = NoReceiptFlow(self)
        self.put = PutAwayFlow(self)
        self.exchange = ExchangeFlow(self)
        self.search = QLineEdit()
        self.search.setAccessibleName("Find the order")
        self.find_button = button("Find")
        self.message = MessageLine()
        self.body = ReturnBody()
        self.heading, self.refund, self.choices = (
            self.body.heading,
            self.body.refund,
            self.body.choices,
        )
        self.found_model, self.found_view = self.body.found_model, self.body.found_view
        self.lines_model, self.taken = self.body.lines_model, self.body.taken
        self.step_line = self.body.step_line
        self._build()
        self.search.returnPressed.connect(self._on_typed)
        self.find_button.clicked.connect(self._on_typed)
        self.step_line.answered.connect(self._on_answer)
        self.step_line.pressed.connect(self._on_key)
        for key in FINISH_KEYS:
            shortcut(self, key, self.finish)
        shortcut(self, REPRINT_KEY, self.reprint_last)
        shortcut(self, NO_RECEIPT_KEY, self.no_receipt.start)
        shortcut(self, PUT_AWAY_KEY, self.put.start)
        shortcut(self, EXCHANGE_KEY, self.exchange.start)
        shortcut(self.search, "Esc", self.back)  # the phone and put-away steps type here
        self.show_step()

    def _build(self) -> None:
        keep_room(self.message)
        header = title_row(self.title, self.search, self.find_button)
        screen_layout(self, header, self.message, body=self.body.frame)

    # -- what the main window calls -------------------------------------------------

    def activate(self) -> None:
        if not self.reasons:
            self.runner.run_db(self.counter.reasons, on_done=self._on_reasons)
        self._focus()

    def on_scan(self, code: str) -> None:
        self.step_line.drop()  # its characters were no answers
        code = code.strip()
        if self.step in (Step.FIND, Step.CHOOSE):
            self.search.setText(code)
            self.look_for(code)
        elif self.step is Step.SCAN:
            self.search.clear()
            self.take_scan(code)
        elif self.step is Step.PHONE:
            self.no_receipt.on_phone(code)
        elif self.step is Step.LOOSE:
            self.no_receipt.on_scan(code)
        elif self.step is Step.SWAP:
            self.exchange.on_scan(code)
        elif self.step in (Step.PUT_RMA, Step.PUT_BIN):
            self.put.on_scan(code)
        elif self.step in (Step.TAKING, Step.APPROVING):
            self.refuse("Wait a moment: the return is being recorded.")
        else:
            self.refuse(f"Finish this unit first. {self.step_line.text()}")

    def reset(self) -> None:
        """Forget the order, the units and the lookup: at a log-out."""
        self.found_model.set_rows([])
        self._clear_return()
        self.message.clear_message()
        self.last_taken = None

    # -- finding the order ---------------------------------------------------------

    def look_for(self, text: str) -> None:
        """Look for ``text`` in this station's cache; when none there, at the ledger."""
        self.message.show_info("Looking…")
        self._nothing_found = False
        self.runner.run_db(
            self.counter.find_here, text,
            on_done=lambda found: self._on_found_here(text, found), on_error=self.refuse,
        )  # fmt: skip

    def _on_found_here(self, text: str, found: ReturnFound) -> None:
        if found.orders:
            self._on_found(found)
        elif found.ask_ledger:
            self.message.show_info(found.said)  # "Not found here. Asking the ledger…"
            self.runner.run_net(  # who asks goes into the ledger's audit
                self.counter.ask_ledger, text, self.staff(),
                on_done=self._on_found, on_error=self._found_none,
            )  # fmt: skip
        else:
            self._found_none(found.said)

    def _found_none(self, said: KnownError | str) -> None:
        """Nothing found (offline, or not here nor at the ledger): the step line offers a
        return without a receipt."""
        self._nothing_found = isinstance(said, (str, Offline, NotFound))
        self.refuse(said)
        self.show_step()

    def _on_found(self, found: ReturnFound) -> None:
        if not found.orders:
            self._found_none(found.said)
            return
        if self._feedback is not None:
            self._feedback.scan_ok()
        if len(found.orders) == 1:
            self.open_order(found.orders[0])
            return
        self.found_model.set_rows(found.orders)
        self.found_view.selectRow(0)
        fit_rows(self.found_view, len(found.orders), least=3)
        self.message.show_info(found.said)
        self.step = Step.CHOOSE
        self.show_step()

    def open_order(self, order: SoldOrder) -> None:
        """Start a return against ``order``."""
        self.found_model.set_rows([])
        self.draft = ReturnDraft(order)
        self.search.clear()
        self.message.show_info(f"Order {order.order_number}: scan each item coming back.")
        self.step = Step.SCAN
        self.show_step()

    # -- each unit ---------------------------------------------------------------------

    def take_scan(self, code: str) -> None:
        """A unit scanned: checked against the order, then to be graded."""
        if self.draft is None:
            return
        try:
            self._line = line_for_scan(self.draft, code, self._clock())
        except KnownError as error:
            self.refuse(error)
            return
        if self._feedback is not None:
            self._feedback.scan_ok()
        self.message.show_info(f"{self._line.name}: on the order, it can come back.")
        self.go(Step.GRADE)

    def _on_answer(self, typed: str) -> None:
        key = typed.upper()
        if self.step is Step.GRADE:
            self._graded(key)
        elif self.step is Step.DISPOSE:
            self._disposed(key)
        elif self.step is Step.REASON:
            self._reasoned(key)
        elif self.step is Step.SCAN and key == "M":
            self.switch_method()
        elif self.step in (Step.FIND, Step.SCAN, Step.LOOSE, Step.SWAP):  # typed by hand
            self.search.setFocus()
            self.search.insert(typed)

    def _graded(self, key: str) -> None:
        grade = GRADE_KEYS.get(key)
        if grade is None:
            self.refuse("Press A, B, C or D to grade it (Esc: not this one).")
            return
        self._grade = grade
        if grade is Grade.DEFECTIVE:
            self._said(f"{GRADE_NAMES[grade]}.")
            self.go(Step.DISPOSE)
            return
        self._disposition = dispositions(grade)[0]
        self._said(f"{GRADE_NAMES[grade]}, {DISPOSITION_WORDS[self._disposition]}.")
        self.go(Step.REASON)

    def _disposed(self, key: str) -> None:
        chosen = _DEFECTIVE_KEYS.get(key)
        if chosen is None:
            self.refuse("Press R to return it to the vendor, or S to scrap it.")
            return
        self._disposition = chosen
        self._said(f"{GRADE_NAMES[self._grade]}, {DISPOSITION_WORDS[chosen]}.")
        self.go(Step.REASON)

    def _said(self, what: str) -> None:
        """The key just pressed, in words, for the unit being graded."""
        self.message.show_info(f"{self._unit_name() or 'This unit'}: {what}")

    def _reasoned(self, key: str) -> None:
        number = REASON_KEYS.find(key) if key else -1
        if not 0 <= number < len(self.reasons):
            last = min(len(self.reasons), len(REASON_KEYS))
            self.refuse(f"Press the reason's number, 1 to {last} (Esc: grade it again).")
            return
        reason = self.reasons[number]
        name = self._unit_name()
        if self.no_receipt.active:
            self.message.show_ok(
                f"{name}: {GRADE_NAMES[self._grade]}, "
                f"{DISPOSITION_WORDS[self._disposition]}, {reason.label}."
            )
            self.no_receipt.add(self._grade, self._disposition, reason)
            return
        if self.draft is None or self._line is None:
            return
        unit = TakenUnit(self._line.line_no, self._grade, self._disposition, reason.code)
        self.draft = self.draft.with_unit(unit)
        self.message.show_ok(
            f"{self._line.name}: {GRADE_NAMES[self._grade]}, "
            f"{DISPOSITION_WORDS[self._disposition]}, {reason.label}."
        )
        self._line = None
        self.go(Step.SCAN)

    def switch_method(self) -> None:
        """M: the other way to pay the refund, where the order's payment allows one."""
        if self.draft is None:
            return
        choices = refund_choices(self.draft.order.payment)
        if len(choices) < 2:
            self.refuse("This order's refund can only be paid as store credit.")
            return
        now = method_of(self.draft)
        self.draft = ReturnDraft(
            self.draft.order, self.draft.units, choices[1 - choices.index(now)]
        )
        self.show_step()

    def undo(self) -> None:
        """Backspace or Ctrl+Z: the unit being graded, else the last unit taken, is not
        coming back after all."""
        if self.step is Step.SWAP:
            self.exchange.undo()
        elif self.step in _CHOICE_STEPS:
            self._line, self.no_receipt.item = None, None
            self.message.show_info("That unit is not taken. Scan the next item coming back.")
            self.go(self._scan_step())
        elif self.step is Step.LOOSE and self.no_receipt.units:
            self.message.show_info(f"Undone: {self.no_receipt.undo()} is not taken.")
            self.show_step()
        elif self.step is Step.SCAN and self.draft is not None and self.draft.units:
            last = self.draft.units[-1]
            line = self.draft.order.line(last.line_no)
            self.draft = self.draft.without_last()
            self.message.show_info(
                f"Undone: {line.name if line else 'the last unit'} is not taken."
            )
            self.show_step()
        else:
            self.refuse("There is no unit to undo.")

    def back(self) -> None:
        """Esc: back one step."""
        before = {Step.DISPOSE: Step.GRADE, Step.GRADE: self._scan_step(), Step.CHOOSE: Step.FIND}
        if self.step in (Step.PUT_RMA, Step.PUT_BIN):
            self.put.leave()
        elif self.step is Step.SWAP:
            self.exchange.back()
        elif self.step is Step.PHONE:
            self._clear_return()
            self.message.show_info("No return without a receipt. " + prompt(Step.FIND))
        elif self.step is Step.REASON:
            self.go(Step.DISPOSE if self._grade is Grade.DEFECTIVE else Step.GRADE)
        elif self.step in before:
            if self.step is Step.GRADE:
                self._line, self.no_receipt.item = None, None
            if self.step is Step.CHOOSE:
                self.found_model.set_rows([])
            self.go(before[self.step])
        elif self.step in (Step.SCAN, Step.LOOSE):
            units = len(self.draft.units) if self.draft else len(self.no_receipt.units)
            if units and not self._dropping:
                self._dropping = True
                s = "" if units == 1 else "s"
                self.message.show_warning(
                    f"Press Esc again to drop this return ({units} unit{s}), "
                    "or Ctrl+Enter to finish it."
                )
                return
            self._clear_return()
            self.message.show_info("Return dropped. " + prompt(Step.FIND))
        else:
            self.search.clear()

    def _on_key(self, name: str) -> None:
        if name == "esc":
            self.back()
        elif name == "undo":
            self.undo()
        elif name in ("up", "down") and self.step is Step.CHOOSE:
            row = self.found_view.currentIndex().row() + (1 if name == "down" else -1)
            self.found_view.selectRow(max(0, min(row, self.found_model.rowCount() - 1)))
        elif name == "enter" and self.step is Step.CHOOSE:
            row = self.found_view.currentIndex().row()
            if 0 <= row < self.found_model.rowCount():
                self.open_order(self.found_model.row_at(row))
        elif name == "enter" and self.step is Step.SCAN:
            self.refuse("Scan the next item, or Ctrl+Enter to finish the return.")
        elif name == "enter" and self.step is Step.SWAP:
            self.refuse("Scan the replacement, or Ctrl+Enter to record the exchange.")

    # -- finishing ----------------------------------------------------------------------

    def finish(self) -> None:
        """Ctrl+Enter: record the return, print the credit note and the RMA labels."""
        staff = self.staff()
        if self.step in _CHOICE_STEPS:
            self.refuse(f"Finish this unit first. {self.step_line.text()}")
            return
        if self.step is Step.LOOSE:
            self.no_receipt.finish()
            return
        if self.step is Step.SWAP:
            self.exchange.finish()
            return
        if (
            self.step is not Step.SCAN
            or self.draft is None
            or not self.draft.units
            or staff is None
        ):
            self.refuse("Scan an item coming back first; Ctrl+Enter then finishes the return.")
            return
        self.message.show_info("Recording the return…")
        self.go(Step.TAKING)
        self.runner.run_db(
            self.counter.take,
            self.draft,
            staff,
            on_done=self.on_taken,
            on_error=self._on_not_taken,
        )

    def on_taken(self, taken: ReturnTaken) -> None:
        self.last_taken = taken
        self._clear_return()
        if taken.held:
            self.message.show_warning(taken.said)
        else:
            self.message.show_ok(taken.said)
        self.changed_locally.emit()

    def reprint_last(self) -> None:
        """F8: print the last return's credit note and RMA labels again, as reprints."""
        staff = self.staff()
        if self.last_taken is None or staff is None:
            self.refuse("No return was taken here yet: F8 reprints the last one taken.")
            return
        self.message.show_info("Reprinting the last return…")
        self.runner.run_db(
            self.counter.reprint, self.last_taken.return_id, staff,
            on_done=self._on_reprinted, on_error=self.refuse,
        )  # fmt: skip

    def _on_reprinted(self, said: str) -> None:
        if "failed" in said or "is off" in said:
            self.message.show_warning(said)
        else:
            self.message.show_ok(said)

    def _on_not_taken(self, error: KnownError) -> None:
        self.go(Step.SCAN)
        self.refuse(error)

    # -- showing ------------------------------------------------------------------------

    def _on_reasons(self, reasons: tuple[ReturnReason, ...]) -> None:
        self.reasons = reasons
        self.show_step()

    def _on_typed(self) -> None:
        text = self.search.text().strip()
        if text:
            self.on_scan(text)

    def go(self, step: Step) -> None:
        """To ``step``, its words on the step line."""
        self.step = step
        self._nothing_found = False
        self._dropping = False
        self.show_step()

    def _clear_return(self) -> None:
        self.draft, self._line, self._dropping = None, None, False
        self.no_receipt.clear()
        self.put.clear()
        self.exchange.clear()
        self.search.clear()
        self.step = Step.FIND
        self.show_step()

    def show_step(self) -> None:
        """Show the return as it now is, the cursor where the step's keys go."""
        item = self.put.rma if self.step is Step.PUT_BIN else self._unit_name()
        loose = len(self.no_receipt.units)
        self.body.show(self.step, self.draft, item, self.reasons, self.last_taken, loose)
        if self._nothing_found and self.step is Step.FIND:
            self.step_line.setText(prompt(Step.FIND, nothing_found=True))
        if self.no_receipt.active and self.step is not Step.PHONE:
            self.body.show_loose(self.no_receipt.phone, self.no_receipt.units, self.no_receipt.room)
        elif self.step in (Step.PUT_RMA, Step.PUT_BIN):
            self.body.show_put(self.put.done)
        elif self.step is Step.SWAP and self.draft is not None:
            self.body.show_swap(self.draft, self.exchange.replacements)
        self.search.setPlaceholderText(placeholder(self.step))
        self.body.keys_line.setText(keys_line(self.step, no_receipt=self.no_receipt.active))
        self._focus()

    def _unit_name(self) -> str:
        """The name of the unit being graded ("" when none)."""
        if self._line is not None:
            return self._line.name
        return self.no_receipt.item.name if self.no_receipt.item else ""

    def _scan_step(self) -> Step:
        """Where a unit's grading goes back to: the order's scans, or no receipt's."""
        return Step.LOOSE if self.no_receipt.active else Step.SCAN

    def scan_ok(self) -> None:
        """The scanner's good beep."""
        if self._feedback is not None:
            self._feedback.scan_ok()

    def _focus(self) -> None:
        if self.step in _BOX_STEPS:
            self.search.setFocus()
        else:
            self.step_line.setFocus()

    def refuse(self, error: KnownError | str) -> None:
        if self._feedback is not None:
            self._feedback.scan_failed()  # a double beep: the message says why
        self.message.show_error(error)
        if self.step is Step.TAKING:
            self.step = self._scan_step()
        self._focus()
