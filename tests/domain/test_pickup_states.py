"""Pickup states as the line counters derive them, against the fulfilment state machine."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import pickup as rules
from app.domain.fulfilment import OPEN_STATES, FulfilmentState, can_move
from app.domain.pickup import PickupLine, PickupOrder
from app.domain.pickup_ops import LineQty
from app.errors import RuleRefused
from tests.domain.test_pickup_transfer import NOW, coming, step

S = FulfilmentState

LAYOUTS = {
    "shelf": (PickupLine("SKU-0", 1, ordered=2), PickupLine("SKU-1", 2, ordered=1)),
    "warehouse": (PickupLine("SKU-0", 1, ordered=2, inbound=2),),
    "mixed": (PickupLine("SKU-0", 1, ordered=1), PickupLine("SKU-1", 2, ordered=2, inbound=1)),
}
MOVES = ["accept", "ship", "receive", "pick", "short", "stage", "ready", "handover", "cancel"]


@settings(max_examples=400, deadline=None)
@given(
    layout=st.sampled_from(sorted(LAYOUTS)),
    steps=st.lists(
        st.tuples(
            st.sampled_from([*MOVES, "restock", "reroute", "expire"]),
            st.integers(0, 1),
            st.integers(1, 2),
        ),
        max_size=12,
    ),
)
def test_every_state_a_step_derives_is_a_move_the_state_machine_lists(
    layout: str, steps: list[tuple[str, int, int]]
) -> None:
    lines = LAYOUTS[layout]
    state = S.AWAITING_TRANSFER if layout == "warehouse" else S.ROUTED
    order = PickupOrder(1, "WEB-1", "MUM-01", state, lines, log=coming(1).log)
    for kind, index, quantity in steps:
        sku = f"SKU-{index % len(lines)}"
        try:
            if kind == "accept":
                outcome = rules.accept(order)
            elif kind == "short":
                outcome = rules.pick(order, [LineQty(sku, 0, short=quantity)])
            elif kind == "reroute":
                outcome = rules.reroute_away(order, "store closed")
            elif kind == "expire":
                outcome = rules.expire_hold(order, NOW + timedelta(days=6)) or rules.Outcome(order)
            else:
                outcome = step(order, kind, sku, quantity)
        except RuleRefused:
            continue
        before, after = order.state, outcome.order.state
        if before in OPEN_STATES:
            assert after is before or can_move(before, after), (before, after)
        else:  # final: only a late physical fact (a handover after a cancel) changes it
            assert after is before or after is S.COLLECTED, (before, after)
        order = outcome.order


def test_picking_the_shelf_part_of_a_mixed_order_leaves_it_awaiting_the_transfer() -> None:
    order = PickupOrder(1, "WEB-1", "MUM-01", S.ACCEPTED, LAYOUTS["mixed"], log=coming(1).log)
    picking = rules.pick(order, [LineQty("SKU-1", 1)]).order  # its shelf share
    assert picking.state is S.PICKING

    waiting = rules.pick(picking, [LineQty("SKU-0", 1)]).order

    assert waiting.state is S.AWAITING_TRANSFER and can_move(S.PICKING, S.AWAITING_TRANSFER)
