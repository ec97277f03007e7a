"""The ship.assign payload (to someone, or to nobody) and the rule both sides run: only
an order still on the bench's queue is given to a picker, refused in the shop's words."""

from __future__ import annotations

import pytest

from app.domain.fulfilment import FulfilmentState
from app.domain.op_types import parse_payload
from app.domain.shipping.assign import ShipAssign, check_assignable
from app.errors import BadInput, RuleRefused

S = FulfilmentState


def test_an_assignment_goes_to_the_wire_and_back() -> None:
    given = ShipAssign("BLR-01", 7, "A100")
    nobody = ShipAssign("BLR-01", 7)
    assert parse_payload("ship.assign", given.to_payload()) == given
    assert parse_payload("ship.assign", {"location": "BLR-01", "fulfilment_id": 7}) == nobody
    assert nobody.nobody and not given.nobody


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"fulfilment_id": 7, "picker": "A100"}, "missing 'location'"),
        ({"location": "", "fulfilment_id": 7}, "location code of the bench"),
        ({"location": "BLR-01", "picker": "A100"}, "fulfilment order id"),
        ({"location": "BLR-01", "fulfilment_id": "7"}, "fulfilment order id"),
        ({"location": "BLR-01", "fulfilment_id": 7, "picker": "A" * 21}, "not a staff code"),
    ],
)
def test_a_malformed_assignment_is_refused(payload: dict[str, object], words: str) -> None:
    with pytest.raises(BadInput, match=words):
        parse_payload("ship.assign", payload)


def test_only_an_order_on_the_queue_is_given_to_a_picker() -> None:
    for state in (S.ROUTED, S.ACCEPTED, S.PICKING, S.PICKED, S.PACKED):
        check_assignable("WEB-1", state)
    said = {}
    for state in (S.CANCELLED, S.REROUTED, S.SHIPPED, S.SHORT):
        with pytest.raises(RuleRefused) as refused:
            check_assignable("WEB-1", state)
        said[state] = refused.value.message
        assert refused.value.next_step == "Choose an order that is still in the queue."
    assert said == {
        S.CANCELLED: "Order WEB-1 was cancelled: nobody picks it now.",
        S.REROUTED: "Order WEB-1 was moved to another location: nobody picks it now.",
        S.SHIPPED: "Order WEB-1 has shipped: nobody picks it now.",
        S.SHORT: "Order WEB-1 is short: nobody picks it now.",
    }
