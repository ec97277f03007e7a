"""How many units of an order line can still come back. Pure.

Returnable = sold − already returned, across every earlier return at any location. The
counter refuses more with words the associate can say to the customer (a manager may
still approve). The ledger never refuses: two counters offline can take the same line
back, and the units are in a store either way, so it applies the return and flags the
units beyond what was returnable (the over-return) for a manager.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.errors import RuleRefused


@dataclass(frozen=True)
class EarlierReturn:
    """Units of the line taken back before: how many, where and on which store day."""

    quantity: int
    location_code: str
    on: date


def returnable_quantity(sold: int, earlier: Sequence[EarlierReturn]) -> int:
    """Units of a line that can still come back: sold − already returned, never below 0."""
    return max(0, sold - sum(back.quantity for back in earlier))


def check_returnable(sold: int, earlier: Sequence[EarlierReturn], asked: int) -> None:
    """Refuse taking back ``asked`` units when fewer can come back (``RuleRefused``)."""
    left = returnable_quantity(sold, earlier)
    if asked <= left:
        return
    why = earlier_in_words(earlier) if earlier else f"the order sold {sold}"
    if left == 0:
        subject = "This one cannot" if asked == 1 else f"None of these {asked} can"
        raise RuleRefused(f"{subject} come back: {why}.", next_step="Ask a manager.")
    raise RuleRefused(
        f"Only {left} of these {asked} can come back: {why}.",
        next_step=f"Take back {left}, or ask a manager.",
    )


def over_return(sold: int, returned_before: int, this_return: int) -> int:
    """The ledger's view: units of ``this_return`` beyond what was still returnable
    (applied and flagged, never refused; the refund for them waits for a manager)."""
    return max(0, this_return - max(0, sold - returned_before))


def earlier_in_words(earlier: Sequence[EarlierReturn]) -> str:
    """ "1 was returned at MUM-01 on 3 Dec and 2 at DEL-02 on 5 Dec"."""
    first, *rest = earlier
    verb = "was" if first.quantity == 1 else "were"
    words = [f"{first.quantity} {verb} returned at {first.location_code} on {day(first.on)}"]
    words += [f"{back.quantity} at {back.location_code} on {day(back.on)}" for back in rest]
    return " and ".join(words)


def day(on: date) -> str:
    """A store day as associates say it: "3 Dec"."""
    return f"{on.day} {on:%b}"
