"""Ship-for-pickup on the pickup view: ship, receive by scan, and where stock is held."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import pickup as rules
from app.domain import pickup_transfer as transfer
from app.domain.fulfilment import FulfilmentState
from app.domain.op_types import parse_payload
from app.domain.pickup import PickupLine, PickupOrder, StepContext
from app.domain.pickup_ops import LineQty, PickupHandover, PickupReceive, Proof, Verification
from app.domain.stock import Bucket, MovementKind
from app.errors import BadInput, RuleRefused

S = FulfilmentState
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
CTX = StepContext(now=NOW, hold_days=5, bins=["H-01"], staff="A100")
PROOF = Proof(Verification.PICKUP_CODE, "Neha Desai")


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


def test_receiving_more_than_the_transfer_carries_is_refused() -> None:
    order = coming(2)
    with pytest.raises(RuleRefused, match=r"Only 2 of SKU-0 .* still to come .*, not 3"):
        receive(order, "SKU-0", 3)  # before the warehouse recorded shipping too
    shipped = transfer.dispatch(order).order
    with pytest.raises(RuleRefused, match=r"Only 2 of SKU-0 .* still to come .*, not 3"):
        receive(shipped, "SKU-0", 3)
    done = receive(shipped, "SKU-0", 2).order
    with pytest.raises(RuleRefused, match="were received already"):
        receive(done, "SKU-0", 1)
    with pytest.raises(RuleRefused, match="not part of order"):
        receive(shipped, "SKU-7", 1)


def test_a_receipt_before_the_warehouse_recorded_shipping_ships_the_units_first() -> None:
    order = coming(2, 1)  # the truck came before the warehouse pressed "ship"

    early = receive(order, "SKU-0", 1)

    assert [(e.sku, e.on_hand, e.reserved, e.kind, e.bucket) for e in early.effects] == [
        ("SKU-0", 1, 0, MovementKind.TRANSFER, Bucket.IN_TRANSIT),
        ("SKU-0", -1, 0, MovementKind.RECEIPT, Bucket.IN_TRANSIT),
    ]
    at_warehouse = transfer.source_effects(order, early.order)
    assert [(e.sku, e.on_hand, e.reserved, e.kind) for e in at_warehouse] == [
        ("SKU-0", -1, -1, MovementKind.TRANSFER)
    ]
    assert transfer.shipped_on_receipt(order, early.order) == {"SKU-0": 1}
    assert early.order.log["transfer"]["shipped_on_receipt"] == {"SKU-0": 1}
    assert transfer.received_before_shipped(early.order)
    assert not transfer.received_before_shipped(order)
    assert [(x.shipped, x.received, x.picked, x.to_ship) for x in early.order.lines] == [
        (1, 1, 1, 1),
        (0, 0, 0, 1),
    ]
    assert "WH-BHW had not recorded shipping SKU-0 ×1: recorded as shipped now" in early.note
    assert transfer.transfer_status(early.order) == "open"  # the rest is still to ship
    rest = transfer.dispatch(early.order)
    assert [(e.sku, e.on_hand) for e in rest.effects] == [("SKU-0", 1), ("SKU-1", 1)]
    assert transfer.shipped_on_receipt(early.order, rest.order) == {}
    received = receive(receive(rest.order, "SKU-0", 1).order, "SKU-1", 1).order
    assert received.state is S.PICKED and transfer.transfer_status(received) == "received"


def test_a_receipt_part_in_transit_part_unshipped_ships_only_the_difference() -> None:
    order = transfer.dispatch(coming(3)).order
    order = receive(order, "SKU-0", 1).order  # 2 in transit
    # A partial cancel after shipping: 2 wanted, the warehouse holds nothing back.
    order = rules.cancel(order, "changed", [LineQty("SKU-0", 1)], by="central").order

    late = receive(order, "SKU-0", 2)

    assert [(e.on_hand, e.kind, e.bucket) for e in late.effects] == [
        (-2, MovementKind.RECEIPT, Bucket.IN_TRANSIT)
    ]
    assert transfer.shipped_on_receipt(order, late.order) == {}
    assert rules.restock_due(late.order) == {"SKU-0": 1}  # cancelled, then it came anyway


def test_a_shelf_pick_of_units_coming_from_the_warehouse_is_refused() -> None:
    shipped = transfer.dispatch(coming(2)).order  # the review's case: ship 2, pick 1, get 2

    with pytest.raises(RuleRefused, match=r"2 units come from the warehouse WH-BHW\. Receive"):
        rules.pick(shipped, [LineQty("SKU-0", 1)])
    with pytest.raises(RuleRefused, match="from the warehouse"):
        rules.pick(shipped, [LineQty("SKU-0", 0, short=1)])
    arrived = receive(shipped, "SKU-0", 2).order

    (line,) = arrived.lines
    assert (line.picked, line.ordered, line.restock_due) == (2, 2, 0)
    assert arrived.state is S.PICKED


def test_a_mixed_line_picks_its_shelf_share_and_receives_the_rest() -> None:
    line = PickupLine("SKU-0", 1, ordered=3, inbound=1)  # 2 from the shelf, 1 on a transfer
    order = PickupOrder(1, "WEB-1", "MUM-01", S.ACCEPTED, (line,), log=coming(1).log)

    with pytest.raises(RuleRefused, match=r"1 unit comes from the warehouse WH-BHW\. Receive it"):
        rules.pick(order, [LineQty("SKU-0", 3)])
    picked = rules.pick(order, [LineQty("SKU-0", 2)])
    done = receive(transfer.dispatch(picked.order).order, "SKU-0", 1).order

    assert picked.order.state is S.AWAITING_TRANSFER
    assert [(e.on_hand, e.reserved) for e in picked.effects] == [(-2, -2)]
    assert (done.lines[0].picked, done.state) == (3, S.PICKED)


def test_units_beyond_what_the_order_can_hold_go_into_the_stores_stock() -> None:
    shipped = transfer.dispatch(coming(2)).order
    cancelled = rules.cancel(shipped, "customer called", by="central").order
    # Offline, a station had taken two off the shelf for it before it heard of the cancel.
    picked = rules.pick(cancelled, [LineQty("SKU-0", 2)]).order
    assert rules.restock_due(picked) == {"SKU-0": 2}

    arrived = receive(picked, "SKU-0", 2)

    assert [(e.on_hand, e.kind, e.bucket) for e in arrived.effects] == [
        (-2, MovementKind.RECEIPT, Bucket.IN_TRANSIT),
        (2, MovementKind.RECEIPT, Bucket.SELLABLE),
    ]
    (line,) = arrived.order.lines
    assert (line.picked, line.received, line.restock_due) == (2, 2, 2)
    assert "more than the order holds, into the store's stock: SKU-0 ×2" in arrived.note


def test_a_pick_beyond_the_order_leaves_the_extra_units_on_the_shelf() -> None:
    ordinary = PickupOrder(2, "WEB-2", "MUM-01", S.ACCEPTED, (PickupLine("SKU-0", 1, ordered=2),))
    once = rules.pick(ordinary, [LineQty("SKU-0", 2)]).order

    twice = rules.pick(once, [LineQty("SKU-0", 2)])  # a second station picked it too

    assert twice.effects == ()
    assert twice.order.lines[0].picked == 2 and rules.restock_due(twice.order) == {}
    assert "more than the order holds, put back on the shelf: SKU-0 ×2" in twice.note


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
    assert rules.restock_due(arrived.order) == {"SKU-0": 2}  # they sit with the order
    assert transfer.transfer_status(arrived.order) == "received"
    unshipped = rules.cancel(coming(1), "customer called", by="central").order
    came = receive(unshipped, "SKU-0", 1)  # the warehouse sent it all the same
    assert transfer.shipped_on_receipt(unshipped, came.order) == {"SKU-0": 1}
    assert [(e.on_hand, e.reserved) for e in transfer.source_effects(unshipped, came.order)] == [
        (-1, 0)
    ]
    assert rules.restock_due(came.order) == {"SKU-0": 1}


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
        st.tuples(
            st.sampled_from(["receive", "pick", "ready", "handover", "restock"]),
            st.integers(0, 1),
            st.integers(1, 3),
        ),
        st.tuples(st.just("cancel"), st.integers(0, 1), st.integers(1, 2)),
        st.just(("stage", 0, 0)),
    ),
    max_size=12,
)


def step(order: PickupOrder, kind: str, sku: str, quantity: int) -> rules.Outcome:
    if kind == "ship":
        return transfer.dispatch(order)
    if kind == "receive":
        return receive(order, sku, quantity)
    if kind == "pick":
        return rules.pick(order, [LineQty(sku, quantity)])
    if kind == "cancel":
        return rules.cancel(order, "changed", [LineQty(sku, quantity)], by="central")
    if kind == "ready":
        return rules.mark_ready(
            order, [LineQty(sku, quantity)], channel=rules.MessageChannel.SMS, message="",
            now=NOW, hold_days=5,
        )  # fmt: skip
    if kind == "handover":
        handed = PickupHandover("MUM-01", 1, lines=(LineQty(sku, quantity),), proof=PROOF)
        return rules.handover(order, handed, staff="A100", now=NOW, device_time="t")
    if kind == "restock":
        return rules.restock(order, [LineQty(sku, quantity)])
    return rules.stage(order, "H-01", ["H-01"])


@settings(max_examples=300, deadline=None)
@given(quantities=st.lists(st.integers(1, 3), min_size=2, max_size=2), steps=STEPS)
def test_the_books_of_both_places_always_match_the_counters(
    quantities: list[int], steps: list[tuple[str, int, int]]
) -> None:
    order = coming(*quantities)
    books = {"wh_reserved": sum(quantities), "wh_moved": 0, "in_transit": 0, "sellable": 0}
    reserved_here = 0
    for kind, index, quantity in steps:
        try:
            outcome = step(order, kind, f"SKU-{index}", quantity)
        except RuleRefused:
            continue
        for effect in outcome.effects:
            books[effect.bucket.value] += effect.on_hand
            reserved_here += effect.reserved
        for effect in transfer.source_effects(order, outcome.order):
            books["wh_moved"] += effect.on_hand
            books["wh_reserved"] += effect.reserved
        order = outcome.order
        lines = order.lines
        assert books["wh_reserved"] == sum(x.to_ship for x in lines)
        assert -books["wh_moved"] == sum(x.shipped for x in lines)
        assert books["in_transit"] == sum(x.in_transit for x in lines)
        assert reserved_here == 0 == sum(x.reserved_here for x in lines)
        # every received unit went to the order (picked) or onto the store's shelf
        assert books["sellable"] == sum(x.received + x.restocked - x.picked for x in lines)
        for x in lines:
            assert x.received <= x.shipped <= x.inbound
            assert x.collected <= x.picked - x.restocked <= x.ordered
            assert x.picked <= x.ordered or x.restocked  # see PickupLine.restock_due
            # what the station's restock list relies on (app/storage/pickups.py)
            assert not x.restock_due or x.cancelled or x.short
