"""The RMA labels of a return: one per unit taken back, numbered across the return.

Each unit's RMA id is ``<reference>-<n>`` (the credit note number or the return id, then
the unit from 1), so a put-away or an audit scan finds the return and the unit at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.labels import ReturnLabel, rma_id
from app.domain.returns.grades import GRADE_KEYS, Disposition, Grade

_LETTER = {grade: key for key, grade in GRADE_KEYS.items()}  # defective prints as D


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
