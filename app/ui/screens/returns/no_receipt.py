"""A return without a receipt (Ctrl+N, once nothing is found): the customer's mobile
number, then each item scanned (its name and price from this station's catalog), graded
and given its reason as on an order, then Ctrl+Enter: a manager keys their code and PIN,
and the service records it (store credit; the customer's limit checked here). Once the
phone is keyed the ledger is asked, unwaited, what the customer has left at every store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from app.domain.pickup_codes import normalise_phone
from app.domain.returns.grades import Disposition, Grade
from app.errors import KnownError
from app.services.returns.no_order import phone_key
from app.services.returns.no_receipt_room import OFFLINE
from app.services.returns.results import (
    ItemToTake,
    ManagerApproval,
    ReturnReason,
    UnitToTake,
)
from app.ui.screens.returns.manager_dialog import ManagerDialog
from app.ui.screens.returns.steps import Step
from app.ui.screens.returns.texts import GOES_SHORT, GRADE_NAMES, rupees

if TYPE_CHECKING:
    from app.ui.screens.returns.screen import ReturnsScreen

SCAN_FIRST = "No receipt: scan each item coming back."


@dataclass(frozen=True)
class LooseUnit:
    """One unit of a return without a receipt: the item as scanned and as graded."""

    item: ItemToTake
    unit: UnitToTake
    reason: str  # the reason's words


def loose_heading(phone: str) -> str:
    """Who brings it back, the number cut to its last four digits."""
    return f"Return without a receipt · customer ••{normalise_phone(phone)[-4:]}\n" + (
        "Refunded as store credit once a manager approves"
    )


def loose_lines(units: Sequence[LooseUnit]) -> list[str]:
    """The units taken, as the list of an order's units reads."""
    return [
        f"{n}. {GRADE_NAMES[u.unit.grade]} → {GOES_SHORT[u.unit.disposition]} · "
        f"{u.item.name} · {u.reason}"
        for n, u in enumerate(units, start=1)
    ]


def loose_refund_html(units: Sequence[LooseUnit], room: str = "") -> str:
    """The refund due: each item's price, as store credit; under it what the customer
    has left of the limit, once known (``room``)."""
    left = f"<br><br>{escape(room, quote=False)}" if room else ""
    if not units:
        return f"<b>Refund due: ₹0.00</b><br>Scan an item to start.{left}"
    total = sum(u.item.price_minor for u in units)
    return (
        f"<b>Refund due: {rupees(total)}</b><br>As store credit, "
        f"the items' prices<br>Ctrl+Enter: a manager approves{left}"
    )


class NoReceiptFlow:
    """The screen's return without a receipt, from the phone to the manager's approval."""

    def __init__(self, screen: ReturnsScreen) -> None:
        self._screen = screen
        self.phone = ""
        self.units: list[LooseUnit] = []
        self.item: ItemToTake | None = None  # the unit being graded
        self.room = ""  # what the customer has left of the limit, once the ledger said
        self.asking = False  # the ledger is being asked what the customer has left
        self.dialog: ManagerDialog | None = None

    @property
    def active(self) -> bool:
        """True from the phone step until the return is recorded or dropped."""
        return self._screen.step is Step.PHONE or bool(self.phone)

    def clear(self) -> None:
        self.phone, self.units, self.item, self.room = "", [], None, ""
        self.asking = False

    def start(self) -> None:
        """Ctrl+N: ask for the customer's mobile number."""
        s = self._screen
        if s.step not in (Step.FIND, Step.CHOOSE):
            s.refuse("Finish or drop this first (Esc); then Ctrl+N takes a return "
                          "without a receipt.")  # fmt: skip
            return
        s.found_model.set_rows([])
        s.search.clear()
        s.message.show_info("A return without a receipt: the customer's mobile number first.")
        s.go(Step.PHONE)

    def on_phone(self, typed: str) -> None:
        try:
            phone_key(typed)
        except KnownError as error:
            self._screen.refuse(error)
            self._screen.search.selectAll()  # typed again, it replaces what was wrong
            return
        self.phone = typed.strip()
        s = self._screen
        s.search.clear()
        s.message.show_info(SCAN_FIRST)
        s.go(Step.LOOSE)
        phone = self.phone
        self.asking = True
        s.runner.run_net(  # what the customer has left, never waited for
            s.counter.no_receipt_history, phone, s.staff(),
            on_done=lambda room: self._on_room(phone, room.said),
            on_error=lambda _: self._on_room(phone, OFFLINE),
        )  # fmt: skip

    def _on_room(self, phone: str, said: str) -> None:
        """What the customer has left, said while nothing else has been said since."""
        s = self._screen
        if phone != self.phone:
            return  # another customer's by now
        self.asking = False
        self.room = said
        if s.step is Step.LOOSE and not self.units:
            s.message.show_info(f"{SCAN_FIRST} {said}")
        s.show_step()  # the refund panel keeps it in view

    def on_scan(self, code: str) -> None:
        """An item scanned: its name and price from the catalog, then to be graded."""
        s = self._screen
        s.search.clear()
        s.runner.run_db(s.counter.item_to_take, code, on_done=self._on_item, on_error=s.refuse)

    def _on_item(self, item: ItemToTake) -> None:
        s = self._screen
        if s.step is not Step.LOOSE:
            return  # Esc pressed while it was looked up
        s.scan_ok()
        self.item = item
        s.message.show_info(f"{item.name} ({item.sku}), {rupees(item.price_minor)}: grade it.")
        s.go(Step.GRADE)

    def add(self, grade: Grade, disposition: Disposition, reason: ReturnReason) -> None:
        """The unit graded and given its reason: in the return."""
        if self.item is None:
            return
        unit = UnitToTake(self.item.sku, grade, disposition, reason.code)
        self.units.append(LooseUnit(self.item, unit, reason.label))
        self.item = None
        self._screen.go(Step.LOOSE)

    def undo(self) -> str:
        """The last unit is not coming back after all: its name ("" when none)."""
        return self.units.pop().item.name if self.units else ""

    def finish(self) -> None:
        """Ctrl+Enter: a manager approves with their code and PIN."""
        s = self._screen
        if not self.units:
            s.refuse("Scan an item coming back first; Ctrl+Enter then asks a manager.")
            return
        if self.asking:  # approved now, the limit would count this counter's returns only
            s.message.show_info(
                "A moment: the ledger is still saying what this customer has left of the "
                "limit. Press Ctrl+Enter again once it has."
            )
            return
        total = rupees(sum(u.item.price_minor for u in self.units))
        n = len(self.units)
        dialog = ManagerDialog(
            f"A return without a receipt: {n} unit{'' if n == 1 else 's'}, {total} as "
            "store credit. A manager keys their staff code and PIN to approve it.",
            s,
        )
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._approved(dialog.approval()))
        dialog.finished.connect(self._on_dialog_closed)
        s.go(Step.APPROVING)
        dialog.open()

    def _on_dialog_closed(self) -> None:
        self.dialog = None
        s = self._screen
        s.window().activateWindow()
        if s.step is Step.APPROVING:  # Esc: the units stay
            s.message.show_info("Not approved yet. Ctrl+Enter asks a manager again.")
            s.go(Step.LOOSE)
        else:
            s.show_step()

    def _approved(self, approval: ManagerApproval) -> None:
        s = self._screen
        staff = s.staff()
        if staff is None:
            s.go(Step.LOOSE)
            return
        s.message.show_info("Recording the return…")
        s.go(Step.TAKING)
        s.runner.run_db(
            s.counter.take_without_order,
            [u.unit for u in self.units],
            self.phone,
            approval,
            staff,
            on_done=s.on_taken,
            on_error=self._not_taken,
        )

    def _not_taken(self, error: KnownError) -> None:
        self._screen.go(Step.LOOSE)
        self._screen.refuse(error)
