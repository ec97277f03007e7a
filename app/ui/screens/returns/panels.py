"""What the return screen shows under its search box: the order and its lines, the
orders found, the units taken beside the refund due, and the step's words."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from app.domain.returns.draft import ReturnDraft
from app.domain.returns.exchange import Replacement
from app.services.returns.results import ReturnReason, ReturnTaken
from app.ui.screens.common import fit_rows, table_view
from app.ui.screens.returns.exchange import swap_html, swap_lines
from app.ui.screens.returns.models import FoundOrdersModel, ReturnLinesModel
from app.ui.screens.returns.no_receipt import (
    LooseUnit,
    loose_heading,
    loose_lines,
    loose_refund_html,
)
from app.ui.screens.returns.put_away import PUT_HEADING
from app.ui.screens.returns.step_keys import StepKeys
from app.ui.screens.returns.steps import KEYS_LINE, Step, prompt, reason_list
from app.ui.screens.returns.texts import (
    last_return_text,
    line_rows,
    order_heading,
    refund_html,
    taken_lines,
)
from app.ui.widgets import ElidedLabel, card, label

SHOWN_UNITS = 4  # the newest units listed; the lines table counts them all
REFUND_WIDTH = 330
SHOWN_LINES = 2  # order lines always on show; a longer order scrolls its table (the
# table takes whatever height is spare, so most orders show whole)


class ReturnBody:
    """The screen's work panel (``frame``) and what is on it."""

    def __init__(self) -> None:
        self.heading = label("", role="heading", wrap=True)
        self.heading.setAccessibleName("The order")
        self.found_model = FoundOrdersModel()
        self.found_view = table_view(self.found_model, stretch_column=3)
        self.found_view.setAccessibleName("Orders found")
        self.lines_model = ReturnLinesModel()
        self.lines_view = table_view(self.lines_model, stretch_column=0)
        self.lines_view.setAccessibleName("Order lines")
        for view in (self.found_view, self.lines_view):
            view.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ↑↓ and Enter go through the step line
        self.taken = TakenList()
        self.refund = label("", wrap=True)
        self.refund.setTextFormat(Qt.TextFormat.RichText)
        self.refund.setAccessibleName("Refund due")
        self.refund.setFixedWidth(REFUND_WIDTH)
        self.step_line = StepKeys()
        self.choices = label("", role="muted", wrap=True)
        self.choices.setAccessibleName("Reasons")
        self.keys_line = label(KEYS_LINE, role="muted", wrap=True)
        self.last = label("", role="muted", wrap=True)
        self.last.setAccessibleName("Last return")
        self.frame = self._build()

    def _build(self) -> QFrame:
        work, inside = card(spacing=8)
        inside.addWidget(self.heading)
        inside.addWidget(self.last)
        inside.addWidget(self.found_view)
        inside.addWidget(self.lines_view, 3)  # all its lines when there is room
        row = QHBoxLayout()  # the units taken beside the refund due
        row.setSpacing(16)
        row.addWidget(self.taken, 1, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.refund, 0, Qt.AlignmentFlag.AlignTop)
        inside.addLayout(row)
        inside.addStretch(1)
        for widget in (self.step_line, self.choices, self.keys_line):
            inside.addWidget(widget)
        return work

    def show(
        self,
        step: Step,
        draft: ReturnDraft | None,
        item: str,
        reasons: Sequence[ReturnReason],
        last: ReturnTaken | None = None,
        loose_units: int = 0,
    ) -> None:
        """The order, the units, the refund and the step's words as they now are; in the
        box's step, the return taken last. ``loose_units``: taken without a receipt."""
        self.last.setText(last_return_text(last) if last and step is Step.FIND else "")
        self.last.setVisible(bool(self.last.text()))
        self.heading.setText(order_heading(draft.order) if draft else "")
        self.heading.setVisible(draft is not None)
        self.found_view.setVisible(step is Step.CHOOSE)
        self.lines_view.setVisible(draft is not None)
        if draft is not None:
            self.lines_model.set_rows(line_rows(draft))
            fit_rows(self.lines_view, len(draft.order.lines), least=SHOWN_LINES)
        names = {r.code: r.label for r in reasons}
        self.taken.show_units(taken_lines(draft, names) if draft else [])
        self.refund.setText(refund_html(draft) if draft else "")
        self.refund.setVisible(draft is not None)
        units = len(draft.units) if draft else loose_units
        self.step_line.setText(prompt(step, item=item, units=units))
        self.choices.setText(reason_list(reasons) if step is Step.REASON else "")
        self.choices.setVisible(step is Step.REASON)

    def show_loose(self, phone: str, units: Sequence[LooseUnit], room: str = "") -> None:
        """A return without a receipt: who, the units taken and the refund due."""
        self.heading.setText(loose_heading(phone))
        self.heading.setVisible(True)
        self.taken.show_units(loose_lines(units))
        self.refund.setText(loose_refund_html(units, room))
        self.refund.setVisible(True)

    def show_swap(self, draft: ReturnDraft, replacements: Sequence[Replacement]) -> None:
        """An exchange: the replacements scanned and the balance beside them."""
        self.taken.show_units(swap_lines(replacements))
        self.refund.setText(swap_html(draft, replacements))

    def show_put(self, done: Sequence[str]) -> None:
        """Put-away: the units put away since it began, newest last."""
        self.last.setVisible(False)
        self.heading.setText(PUT_HEADING)
        self.heading.setVisible(True)
        self.taken.show_units(list(done))


class TakenList(QWidget):
    """The units in this return, newest last, each on one line (cut with "…")."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Units in this return")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.more = label("", role="muted")
        column.addWidget(self.more)
        self.rows = [ElidedLabel(min_chars=20) for _ in range(SHOWN_UNITS)]
        for row in self.rows:
            column.addWidget(row)
        self.show_units([])

    def show_units(self, lines: list[str]) -> None:
        shown = lines[-SHOWN_UNITS:]
        hidden = len(lines) - len(shown)
        self.more.setText(f"… and {hidden} more before these" if hidden else "")
        self.more.setVisible(hidden > 0)
        for i, row in enumerate(self.rows):
            row.setText(shown[i] if i < len(shown) else "")
            row.setVisible(i < len(shown))

    def text(self) -> str:
        """Every unit shown, one a line."""
        return "\n".join(row.text() for row in self.rows if row.isVisibleTo(self))
