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
