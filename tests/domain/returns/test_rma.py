"""RMA labels, one per unit, numbered across the return."""

from __future__ import annotations

import pytest

from app.domain.labels import rma_id
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.rma import UnitsGraded, return_id_start, return_reference, rma_labels
from app.errors import BadInput


def test_units_are_numbered_across_the_items_of_a_return() -> None:
    units = [
        UnitsGraded("Steel bottle", "SKU-1001", Grade.B, Disposition.OPEN_BOX, "Not needed", 2),
        UnitsGraded("Speaker", "SKU-1003", Grade.DEFECTIVE, Disposition.SCRAP, "No sound", 1),
    ]
    labels = rma_labels("R-BLR1-77", "WEB-100234", units)
    assert [(x.rma_id, x.grade, x.disposition, x.sku) for x in labels] == [
        ("R-BLR1-77-1", "B", Disposition.OPEN_BOX, "SKU-1001"),
        ("R-BLR1-77-2", "B", Disposition.OPEN_BOX, "SKU-1001"),
        ("R-BLR1-77-3", "D", Disposition.SCRAP, "SKU-1003"),
    ]
    assert {x.order_number for x in labels} == {"WEB-100234"}
    assert labels[2].reason == "No sound"


def test_an_rma_id_a_barcode_cannot_carry_is_refused() -> None:
    with pytest.raises(BadInput, match="at most 40 fit a barcode"):
        rma_id("C" * 39, 1)
    with pytest.raises(BadInput, match="not a unit"):
        rma_id("C0001/2627/00001", 0)


def test_a_return_is_referred_to_by_its_credit_note_else_by_a_short_id_of_its_own() -> None:
    return_id = "0f3a9c2b7d" + "e" * 22
    assert return_reference("C0001/2627/00042", return_id) == "C0001/2627/00042"
    short = return_reference("", return_id)  # the refund waits: no credit note number yet
    assert short == "R0F3A9C2B7D" and len(rma_id(short, 99)) <= 14  # scans on the 4x2
    assert return_id_start(short) == return_id[:10]
    for other in ("C0001/2627/00042", return_id, "R0F3A9C2B7", "R0F3A9C2B7G", "X0F3A9C2B7D"):
        assert return_id_start(other) is None, other
