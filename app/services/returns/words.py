"""What the return counter says: a lookup's next step, a return saved, where its units go.

The words live apart from :mod:`.counter` so the service reads as its steps; the screen
and the tests read the same sentences from here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from app.domain.money import Money
from app.domain.returns.grades import DISPOSITION_WORDS, Disposition
from app.domain.returns.lookup import WAY_WORDS, LookFor
from app.domain.returns.receipt import METHOD_WORDS
from app.domain.returns.refund_rules import RefundMethod
from app.services.returns.take import Recorded

ONE_FOUND = "Scan each item coming back."
ASKING = "Not found here. Asking the ledger…"
NO_RECEIPT = (  # Ctrl+N: the returns screen's key (NO_RECEIPT_KEY) for a return without one
    "Not found here, and the ledger cannot be reached. "
    "To take it back without a receipt, call a manager to approve (Ctrl+N)."
)


def taken_words(recorded: Recorded, printed: str, head: str | None = None) -> str:
    """What the counter says once a return is saved: the refund (or ``head``), the
    prints, put-away."""
    if head is None:
        head = saved_words(
            recorded.refund.total_minor, recorded.held, recorded.credit_note, recorded.method
        )
    return f"{head} {printed} {away_words(unit.disposition for unit in recorded.draft.units)}"


def saved_words(total_minor: int, held: str, credit_note: str, method: RefundMethod) -> str:
    """The refund of a saved return, its credit note, or why the refund waits."""
    refund = Money(total_minor).format()
    if held:
        return f"Return saved; the refund of {refund} waits. {held}"
    if credit_note:
        return f"Return saved. Credit note {credit_note}: refund {refund} {METHOD_WORDS[method]}."
    return "Return saved; nothing is refunded."


def away_words(dispositions: Iterable[Disposition]) -> str:
    """Where the units go, e.g. "Put the units away: 1 back to sellable stock"."""
    goes = Counter(dispositions)
    away = ", ".join(f"{n} {DISPOSITION_WORDS[d]}" for d, n in goes.items())
    return f"Put the units away: {away}."


def found_words(count: int, way: LookFor, *, online: bool) -> str:
    """What the associate does next after a lookup that found ``count`` orders."""
    if count == 1:
        return ONE_FOUND
    if count > 1:
        return f"{count} orders for this {WAY_WORDS[way]}: ↑↓ and Enter to pick one."
    return ASKING if online else NO_RECEIPT
