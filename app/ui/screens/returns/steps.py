"""The steps of a return at the counter and what each tells the associate to do next.
Qt-free: the screen shows these words, the tests read them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from app.services.returns.results import ReturnReason

FIND_WORDS = "Scan the receipt, order or parcel, an item, or type a phone or e-mail"
KEYS_LINE = (
    "Esc back a step · Backspace/Ctrl+Z undo the last unit · M refund method · "
    "Ctrl+E exchange · Ctrl+Enter finish"
)
REASON_KEYS = "123456789"
EXCHANGE_KEY = "Ctrl+E"  # the units taken go back in exchange for a replacement
NO_RECEIPT_KEY = "Ctrl+N"  # a return without a receipt (the service's words name it too)
PUT_AWAY_KEY = "Ctrl+B"  # returned units into bins by scan (not Ctrl+U: on Linux the box
# takes that to delete its line, and the shortcut never fires)
NOTHING_FOUND = (
    f"Nothing found: scan the receipt again, or {NO_RECEIPT_KEY} to take it back without a "
    "receipt (a manager approves)."
)
NBSP = "\u00a0"  # a reason never breaks across two lines


class Step(StrEnum):
    FIND = "find"  # the box: what to look for
    CHOOSE = "choose"  # several orders found: ↑↓ Enter
    SCAN = "scan"  # an order open: scan each item coming back
    GRADE = "grade"  # one key: A B C D
    DISPOSE = "dispose"  # defective: R or S
    REASON = "reason"  # 1–9 from the retailer's list
    TAKING = "taking"  # recorded and printing
    PHONE = "phone"  # no receipt: the customer's mobile number in the box
    LOOSE = "loose"  # no receipt: scan each item coming back
    APPROVING = "approving"  # no receipt: the manager keys code and PIN
    PUT_RMA = "put_rma"  # put away: scan the unit's RMA label
    PUT_BIN = "put_bin"  # put away: scan the bin it goes into
    SWAP = "swap"  # exchange: scan each replacement


def prompt(step: Step, *, item: str = "", units: int = 0, nothing_found: bool = False) -> str:
    """The step's line: what to do now."""
    if step is Step.FIND:
        return NOTHING_FOUND if nothing_found else FIND_WORDS + ", then Enter."
    if step in _MODE_WORDS or step is Step.LOOSE:
        return mode_prompt(step, item=item, units=units)
    if step is Step.CHOOSE:
        return "↑↓ to the order, Enter to open it · Esc: look for another"
    if step is Step.SWAP:
        return (
            "Exchange: scan the item the customer takes instead, then Ctrl+Enter to record "
            "the return and its pickup order."
        )
    if step is Step.SCAN:
        if not units:
            return "Scan each item coming back."
        s = "" if units == 1 else "s"
        return f"Scan the next item coming back, or Ctrl+Enter to finish ({units} unit{s})."
    if step is Step.GRADE:
        return f"Grade {item}: A new · B opened · C damaged · D defective"
    if step is Step.DISPOSE:
        return f"{item} is defective: R return to vendor · S scrap"
    if step is Step.REASON:
        return f"Why is {item} coming back? Press its number."
    return "Recording the return and printing…"


_MODE_WORDS = {
    Step.PHONE: "No receipt: type the customer's mobile number, then Enter · Esc: back",
    Step.APPROVING: "A manager keys their staff code and PIN to approve…",
    Step.PUT_RMA: "Put away: scan the RMA label, then the bin · Esc: leave put-away",
    Step.PUT_BIN: "Put away {item}: now scan the bin it goes into · Esc: leave put-away",
}


def mode_prompt(step: Step, *, item: str = "", units: int = 0) -> str:
    """The step line of a return without a receipt, or of putting units away."""
    if step is Step.LOOSE:
        if not units:
            return "No receipt: scan each item coming back."
        s = "" if units == 1 else "s"
        return (
            f"No receipt: scan the next item, or Ctrl+Enter for the manager's approval "
            f"({units} unit{s})."
        )
    return _MODE_WORDS[step].replace("{item}", item)


NO_RECEIPT_KEYS = (
    "Esc back a step · Backspace/Ctrl+Z undo the last unit · Ctrl+Enter a manager approves"
)
SWAP_KEYS = "Esc no exchange · Backspace/Ctrl+Z undo the last replacement · Ctrl+Enter record it"
PUT_AWAY_KEYS = "Esc leave put-away · a unit's label, then its bin; the next unit's label"
BOX_KEYS = (
    f"{NO_RECEIPT_KEY} return without a receipt · {PUT_AWAY_KEY} put returned units away · "
    "F8 reprint the last return"
)


def keys_line(step: Step, *, no_receipt: bool = False) -> str:
    """The keys that work in ``step``, under the step line."""
    if step in (Step.PUT_RMA, Step.PUT_BIN):
        return PUT_AWAY_KEYS
    if no_receipt:
        return NO_RECEIPT_KEYS
    if step is Step.SWAP:
        return SWAP_KEYS
    if step in (Step.FIND, Step.CHOOSE):
        return BOX_KEYS
    return KEYS_LINE


def placeholder(step: Step) -> str:
    """What the box takes in ``step``."""
    if step is Step.PHONE:
        return "The customer's mobile number"
    if step in (Step.PUT_RMA, Step.PUT_BIN):
        return "Scan or type the RMA label, then the bin"
    return FIND_WORDS


def reason_list(reasons: Sequence[ReturnReason]) -> str:
    """The numbered reasons, keys 1–9, in the retailer's order."""
    keyed = zip(REASON_KEYS, reasons, strict=False)
    return " · ".join(f"{key} {r.label}".replace(" ", NBSP) for key, r in keyed)  # one piece each
