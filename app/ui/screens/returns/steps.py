"""The steps of a return at the counter and what each tells the associate to do next.
Qt-free: the screen shows these words, the tests read them."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from app.services.returns.results import ReturnReason

FIND_WORDS = "Scan the receipt, order or parcel, an item, or type a phone or e-mail"
KEYS_LINE = (
    "Esc back a step · Backspace/Ctrl+Z undo the last unit · M refund method · Ctrl+Enter finish"
)
REASON_KEYS = "123456789"
NBSP = "\u00a0"  # a reason never breaks across two lines


class Step(StrEnum):
    FIND = "find"  # the box: what to look for
    CHOOSE = "choose"  # several orders found: ↑↓ Enter
    SCAN = "scan"  # an order open: scan each item coming back
    GRADE = "grade"  # one key: A B C D
    DISPOSE = "dispose"  # defective: R or S
    REASON = "reason"  # 1–9 from the retailer's list
    TAKING = "taking"  # recorded and printing


def prompt(step: Step, *, item: str = "", units: int = 0) -> str:
    """The step's line: what to do now."""
    if step is Step.FIND:
        return FIND_WORDS + ", then Enter."
    if step is Step.CHOOSE:
        return "↑↓ to the order, Enter to open it · Esc: look for another"
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


def reason_list(reasons: Sequence[ReturnReason]) -> str:
    """The numbered reasons, keys 1–9, in the retailer's order."""
    keyed = zip(REASON_KEYS, reasons, strict=False)
    return " · ".join(f"{key} {r.label}".replace(" ", NBSP) for key, r in keyed)  # one piece each
