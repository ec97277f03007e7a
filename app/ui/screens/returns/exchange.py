"""An exchange (Ctrl+E, once units are taken on an order): each replacement scanned (its
name, price and whether it is on this store's shelf, from this station's stock as last
synced), the balance beside it, then Ctrl+Enter records the return and a pickup order for
the replacement in one go, and prints the exchange slip with its pickup code."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.domain.returns.draft import method_of, refund_of
from app.domain.returns.exchange import Replacement, settle
from app.domain.returns.receipt import METHOD_WORDS
from app.errors import KnownError
from app.ui.screens.returns.steps import EXCHANGE_KEY, Step
from app.ui.screens.returns.texts import rupees

if TYPE_CHECKING:
    from app.domain.returns.draft import ReturnDraft
    from app.ui.screens.returns.screen import ReturnsScreen


def swap_lines(replacements: Sequence[Replacement]) -> list[str]:
    """The replacements scanned, as the list of units reads:
    "1. ₹1,149.00 · on the shelf · Kolhapuri chappal UK 8"."""
    return [  # the price and where first: a long name is cut, not them
        f"{n}. {rupees(r.price_minor)} · {'on the shelf' if r.from_here else 'sent here'} · "
        f"{r.name}"
        for n, r in enumerate(replacements, start=1)
    ]


def swap_html(draft: ReturnDraft, replacements: Sequence[Replacement]) -> str:
    """The refund beside the replacements, and who pays what."""
    refund = refund_of(draft).total_minor
    settled = settle(refund, replacements)
    head = (
        f"<b>Refund due: {rupees(refund)}</b><br>Replacement: {rupees(settled.replacement_minor)}"
    )
    if not replacements:
        return head + "<br>Scan the replacement."
    if settled.to_pay_minor:
        return head + f"<br><b>Customer pays {rupees(settled.to_pay_minor)} at the till</b>"
    if settled.to_refund_minor:
        how = METHOD_WORDS[method_of(draft)]
        return head + f"<br><b>Refund left {rupees(settled.to_refund_minor)}</b> {how}"
    return head + "<br><b>Nothing to pay, nothing to refund</b>"


class ExchangeFlow:
    """The screen's exchange, from the first replacement to the order recorded."""

    def __init__(self, screen: ReturnsScreen) -> None:
        self._screen = screen
        self.replacements: list[Replacement] = []
        self._waiting: list[str] = []  # scans that came while one was being checked
        self.checking = False  # a scan is being checked against the stock

    @property
    def active(self) -> bool:
        return self._screen.step is Step.SWAP

    def clear(self) -> None:
        self.replacements, self._waiting, self.checking = [], [], False

    def start(self) -> None:
        """Ctrl+E: the units taken so far go back in exchange for what is scanned next."""
        s = self._screen
        if s.step is not Step.SCAN or s.draft is None or not s.draft.units:
            s.refuse(
                f"Scan the items coming back first; then {EXCHANGE_KEY} exchanges them for "
                "a replacement."
            )
            return
        s.message.show_info("Exchange: scan the item the customer takes instead.")
        s.go(Step.SWAP)

    def on_scan(self, code: str) -> None:
        """A replacement scanned: checked against the stock here and elsewhere, after the
        one being checked (two quick scans must not both count the same last unit)."""
        s = self._screen
        s.search.clear()
        if self.checking:
            self._waiting.append(code)
            return
        self.checking = True
        s.runner.run_db(
            s.counter.replacement, code, tuple(self.replacements),
            on_done=self._on_replacement, on_error=self._not_replacement,
        )  # fmt: skip

    def _checked(self) -> None:
        """The scan being checked is answered: the next waiting one, if any."""
        self.checking = False
        if self._waiting and self._screen.step is Step.SWAP:
            self.on_scan(self._waiting.pop(0))

    def _not_replacement(self, error: KnownError) -> None:
        self._screen.refuse(error)
        self._checked()

    def _on_replacement(self, replacement: Replacement) -> None:
        s = self._screen
        if s.step is not Step.SWAP:
            self.checking = False
            return  # Esc pressed while it was looked up
        s.scan_ok()
        self.replacements.append(replacement)
        where = "on the shelf here" if replacement.from_here else "sent here from another store"
        s.message.show_ok(
            f"Instead: {replacement.name}, {rupees(replacement.price_minor)}, {where}."
        )
        s.show_step()
        self._checked()

    def undo(self) -> None:
        s = self._screen
        if not self.replacements:
            s.refuse("No replacement to undo. Esc goes back to the return.")
            return
        gone = self.replacements.pop()
        s.message.show_info(f"Undone: {gone.name} is not the replacement.")
        s.show_step()

    def back(self) -> None:
        """Esc: no exchange; the units stay in the return."""
        self.replacements, self._waiting = [], []
        self._screen.message.show_info(
            "No exchange: the units stay in the return. Ctrl+Enter refunds them."
        )
        self._screen.go(Step.SCAN)

    def finish(self) -> None:
        """Ctrl+Enter: record the return and the replacement's pickup order, and print."""
        s = self._screen
        staff = s.staff()
        if not self.replacements or s.draft is None or staff is None:
            s.refuse("Scan the replacement first; Ctrl+Enter then records the exchange.")
            return
        if self.checking:
            s.message.show_info(
                "A moment: the last replacement scanned is still being checked. Press "
                "Ctrl+Enter again once it shows."
            )
            return
        s.message.show_info("Recording the exchange…")
        s.go(Step.TAKING)
        s.runner.run_db(
            s.counter.exchange, s.draft, tuple(self.replacements), staff,
            on_done=s.on_taken, on_error=self._not_taken,
        )  # fmt: skip

    def _not_taken(self, error: KnownError) -> None:
        self._screen.go(Step.SWAP)
        self._screen.refuse(error)
