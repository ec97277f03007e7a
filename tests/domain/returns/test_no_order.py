"""Units of a return without an order: each refunds the item's price, or what the manager
keys when not above it."""

from __future__ import annotations

import pytest

from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.no_order import UnitWithoutOrder, refund_total, unit_refund
from app.errors import RuleRefused


def test_a_unit_refunds_its_price_or_what_the_manager_keys_up_to_it() -> None:
    assert unit_refund("Kurta", 1_299_00, None) == 1_299_00
    assert unit_refund("Kurta", 1_299_00, 1_000_00) == 1_000_00
    assert unit_refund("Kurta", 1_299_00, 0) == 0
    assert unit_refund("Kurta", 1_299_00, 1_299_00) == 1_299_00


@pytest.mark.parametrize("keyed", [1_299_01, -1])
def test_a_refund_above_the_price_or_below_nothing_is_refused(keyed: int) -> None:
    with pytest.raises(RuleRefused) as refused:
        unit_refund("Kurta", 1_299_00, keyed)

    assert refused.value.message == "The refund for Kurta can be ₹0 up to its price of ₹1,299.00."
    assert refused.value.next_step == (
        "Key a refund up to the price, or leave it to refund the price."
    )


def test_the_units_refund_together() -> None:
    unit = UnitWithoutOrder(1, "K-1", "Kurta", Grade.A, Disposition.SELLABLE, "wrong_size", 500)
    assert refund_total([unit, unit]) == 1_000
    assert refund_total([]) == 0
