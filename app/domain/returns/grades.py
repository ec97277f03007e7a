"""The grade a person gives a returned unit, where it goes, and the stock that moves.

A new → back to sellable; B opened → open box; C damaged → damaged; defective → back to
the vendor (rtv) or scrapped. Each disposition is a RETURN movement into its bucket at
the location that took the unit in. Scrap is a write-off: a stock movement needs a
bucket, so the unit comes in to damaged and is written off from it at once; the trail
shows both and no bucket keeps it. Only sellable counts toward available-to-promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.stock import Bucket, MovementKind
from app.errors import BadInput


class Grade(StrEnum):
    """The condition of a returned unit."""

    A = "A"  # new, unopened
    B = "B"  # opened, as new
    C = "C"  # damaged
    DEFECTIVE = "defective"  # does not work as it should


class Disposition(StrEnum):
    """Where a returned unit goes."""

    SELLABLE = "sellable"
    OPEN_BOX = "open_box"
    DAMAGED = "damaged"
    RTV = "rtv"
    SCRAP = "scrap"


# One key per grade on the grading step, and the words beside it.
GRADE_KEYS = {"A": Grade.A, "B": Grade.B, "C": Grade.C, "D": Grade.DEFECTIVE}
GRADE_WORDS = {
    Grade.A: "A  New, unopened: back on the shelf",
    Grade.B: "B  Opened, like new: sold as open box",
    Grade.C: "C  Damaged: to damaged stock",
    Grade.DEFECTIVE: "D  Defective: back to the vendor, or scrap",
}
DISPOSITION_WORDS = {
    Disposition.SELLABLE: "back to sellable stock",
    Disposition.OPEN_BOX: "to open-box stock",
    Disposition.DAMAGED: "to damaged stock",
    Disposition.RTV: "to return to the vendor",
    Disposition.SCRAP: "scrapped (written off)",
}
# What each grade may become; the first is the default.
_CHOICES = {
    Grade.A: (Disposition.SELLABLE,),
    Grade.B: (Disposition.OPEN_BOX,),
    Grade.C: (Disposition.DAMAGED,),
    Grade.DEFECTIVE: (Disposition.RTV, Disposition.SCRAP),
}
_BUCKET = {
    Disposition.SELLABLE: Bucket.SELLABLE,
    Disposition.OPEN_BOX: Bucket.OPEN_BOX,
    Disposition.DAMAGED: Bucket.DAMAGED,
    Disposition.RTV: Bucket.RTV,
    Disposition.SCRAP: Bucket.DAMAGED,  # in, then written off
}


@dataclass(frozen=True)
class StockMove:
    """One stock movement at the location that takes the unit in."""

    bucket: Bucket
    kind: MovementKind
    quantity: int  # + into the bucket, − out of it


def grade_for_key(key: str) -> Grade:
    """The grade a person picked with one key (A, B, C or D, either case)."""
    grade = GRADE_KEYS.get(key.strip().upper())
    if grade is None:
        raise BadInput(f"'{key}' is not a grade.", next_step="Press A, B, C or D.")
    return grade


def dispositions(grade: Grade) -> tuple[Disposition, ...]:
    """Where a unit of ``grade`` may go; the first is where it goes unless told."""
    return _CHOICES[grade]


def disposition_for(grade: Grade, chosen: Disposition | None = None) -> Disposition:
    """The disposition of a unit of ``grade``: ``chosen`` when the grade allows it."""
    choices = dispositions(grade)
    if chosen is None:
        return choices[0]
    if chosen not in choices:
        allowed = " or ".join(DISPOSITION_WORDS[c] for c in choices)
        raise BadInput(
            f"A unit graded {grade.value} cannot go {DISPOSITION_WORDS[chosen]}.",
            next_step=f"It goes {allowed}.",
        )
    return chosen


def stock_moves(disposition: Disposition, quantity: int) -> tuple[StockMove, ...]:
    """The movements that take ``quantity`` returned units in as ``disposition``."""
    moves = [StockMove(_BUCKET[disposition], MovementKind.RETURN, quantity)]
    if disposition is Disposition.SCRAP:
        moves.append(StockMove(Bucket.DAMAGED, MovementKind.WRITE_OFF, -quantity))
    return tuple(moves)
