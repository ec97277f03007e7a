"""RMA labels, one per unit, numbered across the return."""

from __future__ import annotations

import pytest

from app.domain.labels import rma_id
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.rma import UnitsGraded, rma_labels
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
