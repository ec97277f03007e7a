"""Ship-for-pickup on the pickup view: ship, receive by scan, and where stock is held."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import pickup as rules
from app.domain import pickup_transfer as transfer
from app.domain.fulfilment import FulfilmentState
from app.domain.operations import parse_payload
from app.domain.pickup import PickupLine, PickupOrder, StepContext
from app.domain.pickup_ops import LineQty, PickupReceive
from app.domain.stock import Bucket, MovementKind
from app.errors import BadInput, RuleRefused

S = FulfilmentState
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CTX = StepContext(now=NOW, hold_days=5, bins=["H-01"], staff="A100")


def coming(*quantities: int) -> PickupOrder:
    """A ship-for-pickup order as intake opens it: every unit inbound from WH-BHW."""
    lines = tuple(
        PickupLine(sku=f"SKU-{i}", item_id=i + 1, ordered=q, inbound=q)
        for i, q in enumerate(quantities)
    )
    log = {"transfer": {"from": "WH-BHW", "from_name": "Bhiwandi Central Warehouse"}}
    return PickupOrder(1, "WEB-1", "MUM-01", S.AWAITING_TRANSFER, lines, log=log)


def receive(order: PickupOrder, sku: str, quantity: int) -> rules.Outcome:
    return rules.apply_step(order, PickupReceive("MUM-01", 1, (LineQty(sku, quantity),)), CTX)


def test_until_shipped_the_units_are_reserved_at_the_warehouse_not_the_store() -> None:
    order = coming(2, 1)
    assert [(x.to_pick, x.coming, x.reserved_here, x.to_ship, x.reserved) for x in order.lines] == [
        (2, 2, 0, 2, 2),
        (1, 1, 0, 1, 1),
    ]
    assert transfer.transfer_status(order) == "open" and transfer.source(order) == "WH-BHW"
    ordinary = PickupLine("SKU-9", 9, ordered=3)
    assert (ordinary.reserved_here, ordinary.to_ship, ordinary.reserved) == (3, 0, 3)


def test_shipping_moves_the_units_from_the_warehouse_into_transit_to_the_store() -> None:
    order = coming(2, 1)
    shipped = transfer.dispatch(order)

    assert shipped.order.state is S.AWAITING_TRANSFER
    assert [(e.sku, e.on_hand, e.reserved, e.kind, e.bucket) for e in shipped.effects] == [
        ("SKU-0", 2, 0, MovementKind.TRANSFER, Bucket.IN_TRANSIT),
        ("SKU-1", 1, 0, MovementKind.TRANSFER, Bucket.IN_TRANSIT),
    ]
    at_warehouse = transfer.source_effects(order, shipped.order)
    assert [(e.on_hand, e.reserved, e.kind, e.bucket) for e in at_warehouse] == [
        (-2, -2, MovementKind.TRANSFER, Bucket.SELLABLE),
        (-1, -1, MovementKind.TRANSFER, Bucket.SELLABLE),
    ]
    assert transfer.transfer_status(shipped.order) == "shipped"
    assert "shipped from WH-BHW to MUM-01" in shipped.note
    with pytest.raises(RuleRefused, match="Nothing of order WEB-1 is left to ship"):
        transfer.dispatch(shipped.order)


def test_received_units_count_as_picked_and_a_partial_receipt_leaves_the_rest() -> None:
    order = transfer.dispatch(coming(2, 1)).order

    first = receive(order, "SKU-0", 1)
    rest = receive(receive(first.order, "SKU-0", 1).order, "SKU-1", 1)
    staged = rules.stage(rest.order, "H-01", ["H-01"])

    assert first.order.state is S.AWAITING_TRANSFER
    assert [(e.on_hand, e.reserved, e.kind, e.bucket) for e in first.effects] == [
        (-1, 0, MovementKind.RECEIPT, Bucket.IN_TRANSIT)
    ]
    assert first.note == "received from WH-BHW: SKU-0 ×1; 2 still in transit"
    assert [(x.received, x.picked, x.in_transit) for x in first.order.lines] == [
        (1, 1, 1),
        (0, 0, 1),
    ]
    assert transfer.source_effects(order, rest.order) == ()
    assert rest.order.state is S.PICKED and transfer.transfer_status(rest.order) == "received"
    assert staged.order.state is S.STAGED


def test_a_partly_received_order_can_be_staged_and_made_ready_in_part() -> None:
    order = receive(transfer.dispatch(coming(2, 1)).order, "SKU-1", 1).order
    staged = rules.stage(order, "H-01", ["H-01"]).order
    ready = rules.mark_ready(
        staged, [LineQty("SKU-1", 1)], channel=rules.MessageChannel.SMS, message="", now=NOW,
        hold_days=5,
    ).order  # fmt: skip

    assert staged.state is S.AWAITING_TRANSFER and staged.bin == "H-01"
    assert ready.state is S.READY_FOR_PICKUP


def test_receiving_more_than_was_shipped_is_refused() -> None:
    order = coming(2)
    with pytest.raises(RuleRefused, match="has not been shipped from the warehouse yet"):
        receive(order, "SKU-0", 1)
    shipped = transfer.dispatch(order).order
    with pytest.raises(RuleRefused, match=r"Only 2 of SKU-0 .* still to be received, not 3"):
        receive(shipped, "SKU-0", 3)
    done = receive(shipped, "SKU-0", 2).order
    with pytest.raises(RuleRefused, match="were received already"):
        receive(done, "SKU-0", 1)
    with pytest.raises(RuleRefused, match="not part of order"):
        receive(shipped, "SKU-7", 1)


def test_an_ordinary_pickup_has_nothing_to_receive() -> None:
    ordinary = PickupOrder(2, "WEB-2", "MUM-01", S.ROUTED, (PickupLine("SKU-0", 1, ordered=1),))
    with pytest.raises(RuleRefused, match="not coming from a warehouse"):
        receive(ordinary, "SKU-0", 1)


def test_a_cancel_before_shipping_releases_the_warehouse_reservation() -> None:
    order = coming(2, 1)
    cancelled = rules.cancel(order, "customer called", by="central")

    assert cancelled.order.state is S.CANCELLED
    assert [e.reserved for e in cancelled.effects] == []  # nothing was held at the store
    assert [
        (e.on_hand, e.reserved, e.kind) for e in transfer.source_effects(order, cancelled.order)
    ] == [
        (0, -2, None),
        (0, -1, None),
    ]
    assert transfer.transfer_status(cancelled.order) == "cancelled"
    with pytest.raises(RuleRefused, match="left to ship"):
        transfer.dispatch(cancelled.order)


def test_units_arriving_after_a_cancel_are_received_and_go_back_to_the_shelf() -> None:
    shipped = transfer.dispatch(coming(2)).order
    cancelled = rules.cancel(shipped, "customer called", by="central").order

    arrived = receive(cancelled, "SKU-0", 2)

    assert arrived.order.state is S.CANCELLED
    assert rules.restock_due(arrived.order) == {"SKU-0": 2}
    assert transfer.transfer_status(arrived.order) == "received"


def test_the_transfer_counters_travel_in_the_fulfilment_row() -> None:
    order = receive(transfer.dispatch(coming(3)).order, "SKU-0", 1).order
    row = order.lines[0].to_row()

    assert (row["inbound"], row["shipped"], row["received"]) == (3, 3, 1)
    assert PickupLine.from_row(row) == order.lines[0]
    assert "inbound" not in PickupLine("SKU-9", 9, ordered=1).to_row()


def test_the_receive_operation_parses_from_the_wire() -> None:
    payload = {"location": "MUM-01", "fulfilment_id": 7, "lines": [{"sku": "A", "quantity": 2}]}
    parsed = parse_payload("pickup.receive", payload)
    assert isinstance(parsed, PickupReceive) and parsed.to_payload() == payload
    with pytest.raises(BadInput):
        parse_payload("pickup.receive", {**payload, "lines": [{"sku": "A", "quantity": 0}]})


STEPS = st.lists(
    st.one_of(
        st.just(("ship", 0, 0)),
        st.tuples(st.just("receive"), st.integers(0, 1), st.integers(1, 3)),
        st.tuples(st.just("cancel"), st.integers(0, 1), st.integers(1, 2)),
        st.just(("stage", 0, 0)),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(quantities=st.lists(st.integers(1, 3), min_size=2, max_size=2), steps=STEPS)
def test_the_books_of_both_places_always_match_the_counters(
    quantities: list[int], steps: list[tuple[str, int, int]]
) -> None:
    order = coming(*quantities)
    books = {"wh_reserved": sum(quantities), "wh_moved": 0, "in_transit": 0, "reserved_here": 0}
    for kind, index, quantity in steps:
        sku = f"SKU-{index}"
        try:
            if kind == "ship":
                outcome = transfer.dispatch(order)
            elif kind == "receive":
                outcome = receive(order, sku, quantity)
            elif kind == "cancel":
                outcome = rules.cancel(order, "changed", [LineQty(sku, quantity)], by="central")
            else:
                outcome = rules.stage(order, "H-01", ["H-01"])
        except RuleRefused:
            continue
        for effect in outcome.effects:
            if effect.bucket is Bucket.IN_TRANSIT:
                books["in_transit"] += effect.on_hand
            books["reserved_here"] += effect.reserved
        for effect in transfer.source_effects(order, outcome.order):
            books["wh_moved"] += effect.on_hand
            books["wh_reserved"] += effect.reserved
        order = outcome.order
        lines = order.lines
        assert books["wh_reserved"] == sum(x.to_ship for x in lines)
        assert -books["wh_moved"] == sum(x.shipped for x in lines)
        assert books["in_transit"] == sum(x.in_transit for x in lines)
        assert books["reserved_here"] == 0 == sum(x.reserved_here for x in lines)
        assert all(x.received <= x.shipped <= x.inbound for x in lines)
