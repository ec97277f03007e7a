"""Reasons a store gives when it cannot do as asked, and what each does to stock. Pure.

One table serves every place a person says why: a line marked short at the pick, a line
or order refused for shipping from the store, units a customer leaves at the handover,
a count far from the book. The retailer edits it on the ledger; stations hold a copy, so
the list and each reason's stock effect work offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.stock import Bucket
from app.errors import BadInput


class ReasonUse(StrEnum):
    """Where a reason may be chosen."""

    SHORT_PICK = "short_pick"  # a line marked short while picking a pickup order
    SHIP_REJECT = "ship_reject"  # a line or order refused for shipping from the store
    HANDOVER = "handover"  # units the customer does not take at the counter
    COUNT = "count"  # a count that differs from the book beyond the recount rule
    RETURN = "return"  # why a customer brings an item back (return intake)


class ReasonEffect(StrEnum):
    """What the ledger does to stock when a reason arrives with short or refused units."""

    NONE = "none"
    NOT_FOUND = "not_found"  # nothing here to promise until the item is counted again
    DAMAGED = "damaged"  # the units move from sellable to the damaged bucket


EFFECT_WORDS = {
    ReasonEffect.NONE: "no stock change",
    ReasonEffect.NOT_FOUND: "not available to promise here until counted",
    ReasonEffect.DAMAGED: "moved to damaged stock",
}


@dataclass(frozen=True)
class Reason:
    """One reason of the retailer's table."""

    code: str
    label: str
    effect: ReasonEffect
    applies_to: tuple[ReasonUse, ...]
    active: bool = True
    sort_order: int = 0

    def __post_init__(self) -> None:
        if not self.code or not self.code.replace("_", "").replace("-", "").isalnum():
            raise BadInput(
                f"'{self.code}' cannot be a reason code.",
                next_step="Use letters, digits, - and _ only, e.g. not_found.",
            )
        if not self.label.strip():
            raise BadInput("A reason needs the words staff see, e.g. 'Not found on the shelf'.")
        if not self.applies_to:
            raise BadInput("Say where the reason may be chosen (short_pick, handover …).")

    def serves(self, use: ReasonUse) -> bool:
        return self.active and use in self.applies_to


def parse_uses(text: str) -> tuple[ReasonUse, ...]:
    """``"short_pick,ship_reject"`` as uses; ``BadInput`` naming an unknown one."""
    uses = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            uses.append(ReasonUse(part))
        except ValueError as exc:
            known = ", ".join(u.value for u in ReasonUse)
            raise BadInput(f"'{part}' is not a place for reasons; use {known}.") from exc
    return tuple(dict.fromkeys(uses))


_S, _R, _H, _C = ReasonUse.SHORT_PICK, ReasonUse.SHIP_REJECT, ReasonUse.HANDOVER, ReasonUse.COUNT
_E = ReasonEffect
DEFAULT_REASONS: tuple[Reason, ...] = (
    Reason("not_found", "Not found on the shelf", _E.NOT_FOUND, (_S, _R), sort_order=10),
    Reason("damaged", "Damaged", _E.DAMAGED, (_S, _R), sort_order=20),
    Reason("expired", "Expired or past its date", _E.DAMAGED, (_S, _R), sort_order=30),
    Reason("wrong_item", "Wrong item on the shelf", _E.NONE, (_S, _R), sort_order=40),
    Reason("declined", "Customer declined it", _E.NONE, (_H,), sort_order=50),
    Reason("damaged_at_counter", "Damaged at the counter", _E.NONE, (_H,), sort_order=60),
    Reason("changed_mind", "Customer changed their mind", _E.NONE, (_H,), sort_order=70),
    Reason("miscounted_before", "Last count was wrong", _E.NONE, (_C,), sort_order=80),
    Reason("theft_or_loss", "Theft or loss", _E.NONE, (_C,), sort_order=90),
    Reason("unrecorded_receipt", "Received without a receipt", _E.NONE, (_C,), sort_order=100),
    Reason("damage_written_off", "Damage not recorded", _E.NONE, (_C,), sort_order=110),
)


def stock_moves(effect: ReasonEffect, units: int) -> tuple[tuple[Bucket, int], ...]:
    """(bucket, change) for ``units`` short or refused for a reason with ``effect``: the
    ledger posts them and a station shows them until confirmed. Damaged units are still on
    the shelf (never picked), so they leave sellable for damaged."""
    if effect is ReasonEffect.DAMAGED and units > 0:
        return ((Bucket.SELLABLE, -units), (Bucket.DAMAGED, units))
    return ()


@dataclass(frozen=True)
class RecountRule:
    """When a count is far enough from the book to be counted again, then explained:
    more than ``units`` apart and more than ``percent`` of the book."""

    units: int = 2
    percent: int = 10

    def wants_recount(self, observed: int, book: int) -> bool:
        difference = abs(observed - book)
        return difference > self.units and difference * 100 > self.percent * abs(book)
