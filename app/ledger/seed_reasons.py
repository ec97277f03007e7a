"""The demo retailer's return reasons (issue #12), added to the reasons table beside the
defaults, so a demo return can say why the customer brought the item back.

Every one has no stock effect: a returned unit's bucket comes from how the associate grades
it at the counter (new, opened, damaged, defective), not from why the customer returned it.
The reasons that are the retailer's fault (defective, wrong item sent, damaged in transit,
not as described) are the ones a shipping refund rule may name.
"""

from __future__ import annotations

from app.domain.reasons import DEFAULT_REASONS, Reason, ReasonEffect, ReasonUse

_RETURN = (ReasonUse.RETURN,)
_NONE = ReasonEffect.NONE

DEMO_RETURN_REASONS: tuple[Reason, ...] = (
    Reason("no_longer_wanted", "Changed their mind", _NONE, _RETURN, sort_order=200),
    Reason("wrong_size", "Wrong size or fit", _NONE, _RETURN, sort_order=210),
    Reason("defective", "Defective: does not work", _NONE, _RETURN, sort_order=220),
    Reason("wrong_item_sent", "Wrong item sent", _NONE, _RETURN, sort_order=230),
    Reason("damaged_in_transit", "Damaged in transit", _NONE, _RETURN, sort_order=240),
    Reason("not_as_described", "Not as described", _NONE, _RETURN, sort_order=250),
)

SEEDED_REASONS = DEFAULT_REASONS + DEMO_RETURN_REASONS  # what a seeded ledger holds
