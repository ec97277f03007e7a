"""The words a pickup or ship step's exceptions use for units (app/ledger/step_record.py)."""

from app.domain.pickup_view import PickupLine
from app.domain.shipping.order_view import ShipOrderLine
from app.ledger.step_record import units_in_words

RICE = "Basmati rice 5 kg"


def test_units_of_a_pickup_and_of_a_ship_order_are_worded_alike() -> None:
    pickup = (PickupLine("SKU-1", 1, 3, name=RICE), PickupLine("SKU-2", 2, 1))
    ship = (ShipOrderLine("SKU-1", 3, name=RICE), ShipOrderLine("SKU-2", 1))
    counts = {"SKU-1": 2, "SKU-2": 1}
    said = "2 × Basmati rice 5 kg (SKU-1), 1 × SKU-2"
    assert units_in_words(pickup, counts) == said
    assert units_in_words(ship, counts) == said


def test_a_sku_the_order_does_not_hold_is_named_by_its_sku() -> None:
    assert units_in_words((), {"SKU-9": 4}) == "4 × SKU-9"
