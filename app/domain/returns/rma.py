"""The RMA labels of a return: one per unit taken back, numbered across the return.

Each unit's RMA id is ``<reference>-<n>`` (the return's reference, :func:`return_reference`,
then the unit from 1), so a put-away or an audit scan finds the return and the unit at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import ReturnLabel, rma_id
from app.domain.returns.grades import GRADE_KEYS, Disposition, Grade

_LETTER = {grade: key for key, grade in GRADE_KEYS.items()}  # defective prints as D

SHORT_LETTER = "R"  # credit note numbers start with C (and carry '/'): never mistaken
SHORT_DIGITS = 10  # of the return id's 32 hex digits: 40 bits, kept unique per station


def return_reference(credit_note: str, return_id: str) -> str:
    """What the RMA ids of a return start with: its credit note number, else (the refund
    waits for a number, or nothing is refunded) its short id, :func:`short_return_id`. The
    station's 32-hex return id makes a Code 128 too long to scan on the 4x2 RMA label."""
    return credit_note or short_return_id(return_id)


def short_return_id(return_id: str) -> str:
    """``R`` and the first 10 hex digits of the station's return id, upper case."""
    return SHORT_LETTER + return_id[:SHORT_DIGITS].upper()


def return_id_start(reference: str) -> str | None:
    """The start of the return id a short id (:func:`short_return_id`) was made from,
    as the station keeps it (lower case); None when ``reference`` is not a short id."""
    digits = reference[len(SHORT_LETTER) :]
    if not reference.startswith(SHORT_LETTER) or len(digits) != SHORT_DIGITS:
        return None
    if any(c not in "0123456789ABCDEF" for c in digits):
        return None
    return digits.lower()


@dataclass(frozen=True)
class UnitsGraded:
    """Units of one item taken back with one grade, disposition and reason (its words)."""

    description: str
    sku: str
    grade: Grade
    disposition: Disposition
    reason: str
    quantity: int


def rma_labels(
    reference: str, order_number: str, units: Sequence[UnitsGraded]
) -> tuple[ReturnLabel, ...]:
    """One RMA label per unit of ``units``, in order, numbered from 1."""
    labels: list[ReturnLabel] = []
    for graded in units:
        for _ in range(graded.quantity):
            unit = rma_id(reference, len(labels) + 1)
            label = ReturnLabel(unit, _LETTER[graded.grade], graded.disposition,
                                graded.description, graded.sku, order_number,
                                graded.reason)  # fmt: skip
            labels.append(label)
    return tuple(labels)
