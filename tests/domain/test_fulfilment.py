from itertools import pairwise

import pytest

from app.domain.fulfilment import OPEN_STATES, FulfilmentState, can_move, check_move
from app.errors import RuleRefused

S = FulfilmentState


def test_pickup_path_is_allowed_step_by_step() -> None:
    path = [S.ROUTED, S.ACCEPTED, S.PICKING, S.PICKED, S.STAGED, S.READY_FOR_PICKUP, S.COLLECTED]
    for current, target in pairwise(path):
        check_move(current, target)


def test_shipping_path_is_allowed_step_by_step() -> None:
    path = [S.ROUTED, S.ACCEPTED, S.PICKING, S.PICKED, S.PACKED, S.SHIPPED, S.DELIVERED]
    for current, target in pairwise(path):
        assert can_move(current, target)


def test_final_states_go_nowhere() -> None:
    for final in (S.COLLECTED, S.DELIVERED, S.CANCELLED, S.REROUTED):
        assert final not in OPEN_STATES
        assert not can_move(final, S.ACCEPTED)


def test_skipping_a_step_is_refused_in_shop_words() -> None:
    with pytest.raises(RuleRefused, match="ready for pickup"):
        check_move(S.ROUTED, S.READY_FOR_PICKUP)


def test_an_order_line_is_found_by_sku_or_refused_in_shop_words() -> None:
    from app.domain.pickup_view import PickupLine, PickupOrder
    from app.domain.shipping.order_view import ShipOrder, ShipOrderLine

    pickup = PickupOrder(7, "WEB-1", "BLR-01", FulfilmentState.ACCEPTED, (PickupLine("A", 1, 2),))
    ship = ShipOrder(8, "WEB-2", "BLR-01", FulfilmentState.ACCEPTED, (ShipOrderLine("B", 3),))
    assert pickup.line("A").ordered == 2
    assert ship.line("B").ordered == 3
    for order, sku in ((pickup, "B"), (ship, "A")):
        with pytest.raises(
            RuleRefused, match=f"Item {sku} is not part of order {order.order_number}"
        ):
            order.line(sku)
