"""Pickup rules: each step on the view, what it means for stock, and its invariants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.domain import pickup as rules
from app.domain.fulfilment import FulfilmentState
from app.domain.op_types import parse_payload
from app.domain.operations import OperationType
from app.domain.pickup import PickupLine, PickupOrder
from app.domain.pickup_codes import (
    customer_matches,
    hash_pickup_code,
    normalise_name,
    normalise_phone,
    parse_qr_payload,
    pickup_code_matches,
    qr_payload,
    valid_pickup_code,
)
from app.domain.pickup_effects import picked_beyond
from app.domain.pickup_ops import (
    LineQty,
    MessageChannel,
    PickupHandover,
    PickupPick,
    Proof,
    Verification,
)
from app.domain.stock import MovementKind
from app.errors import BadInput, RuleRefused

S = FulfilmentState
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
BINS = [f"H-{n:02d}" for n in range(1, 25)]
PROOF = Proof(Verification.PICKUP_CODE, "Asha Kumar")


def order(*quantities: int) -> PickupOrder:
    lines = tuple(
        PickupLine(sku=f"SKU-{i}", item_id=i + 1, ordered=q) for i, q in enumerate(quantities)
    )
    return PickupOrder(1, "WEB-1", "BLR-01", S.ROUTED, lines, "Asha Kumar", "+91 98450 12345")


def q(sku: str, quantity: int, short: int = 0) -> LineQty:
    return LineQty(sku, quantity, short)


def handed(*items: LineQty, **extra: object) -> PickupHandover:
    return PickupHandover("BLR-01", 1, lines=items, proof=PROOF, **extra)  # type: ignore[arg-type]


def ready(view: PickupOrder, *items: LineQty) -> PickupOrder:
    return rules.mark_ready(
        view, items, channel=MessageChannel.SMS, message="", now=NOW, hold_days=5
    ).order


def to_ready(*quantities: int) -> PickupOrder:
    view = order(*quantities)
    view = rules.pick(view, [q(f"SKU-{i}", n) for i, n in enumerate(quantities)]).order
    view = rules.stage(view, "H-01", BINS).order
    return ready(view, *(q(f"SKU-{i}", n) for i, n in enumerate(quantities)))


def test_the_whole_path_and_its_stock_meaning() -> None:
    view = rules.accept(order(2)).order
    picked = rules.pick(view, [q("SKU-0", 2)])
    assert picked.order.state is S.PICKED
    assert picked.effects == (rules.StockEffect(1, "SKU-0", -2, -2, MovementKind.PICK),)
    staged = rules.stage(picked.order, "h-02", BINS).order
    assert staged.state is S.STAGED and staged.bin == "H-02"
    shown = ready(staged, q("SKU-0", 2))
    assert shown.state is S.READY_FOR_PICKUP and shown.pickup_by == NOW + timedelta(days=5)
    done = rules.handover(shown, handed(q("SKU-0", 2)), staff="A100", now=NOW, device_time="t")
    assert done.order.state is S.COLLECTED and not done.exceptions
    assert done.effects == (rules.StockEffect(1, "SKU-0", 0, 0, MovementKind.HANDOVER),)
    assert done.order.log["handovers"][0]["staff"] == "A100"


def test_partial_ready_and_a_line_left_behind_cancelled() -> None:
    view = order(1, 2)
    view = rules.pick(view, [q("SKU-0", 1), q("SKU-1", 2)]).order
    view = ready(rules.stage(view, "H-01", BINS).order, q("SKU-0", 1))
    assert view.state is S.READY_FOR_PICKUP and view.lines[1].ready == 0
    out = rules.handover(
        view,
        handed(q("SKU-0", 1), cancel_left=("SKU-1",), cancel_reason="too big"),
        staff="A100",
        now=NOW,
        device_time="t",
    )
    assert out.order.state is S.COLLECTED
    assert rules.restock_due(out.order) == {"SKU-1": 2}
    back = rules.restock(out.order, [q("SKU-1", 5)])  # scanned more than was out: capped
    assert back.effects == (rules.StockEffect(2, "SKU-1", 2, 0, MovementKind.RELEASE),)
    with pytest.raises(RuleRefused):
        rules.restock(back.order, [q("SKU-1", 1)])


def test_intentions_are_refused_with_reasons() -> None:
    view = rules.pick(order(2), [q("SKU-0", 2)]).order
    with pytest.raises(RuleRefused, match="not a hold-shelf bin"):
        rules.stage(view, "Z-99", BINS)
    with pytest.raises(RuleRefused, match="not on a hold shelf"):
        ready(view, q("SKU-0", 1))
    with pytest.raises(RuleRefused, match="not part of order"):
        rules.pick(view, [q("NOPE", 1)])
    staged = rules.stage(view, "H-01", BINS).order
    with pytest.raises(RuleRefused, match="Only 2"):
        ready(staged, q("SKU-0", 3))
    with pytest.raises(RuleRefused, match="are ready"):
        rules.handover(staged, handed(q("SKU-0", 1)), staff="A1", now=NOW, device_time="t")


def test_double_handover_is_refused_but_after_cancel_it_is_applied() -> None:
    view = to_ready(2)
    once = rules.handover(view, handed(q("SKU-0", 2)), staff="A1", now=NOW, device_time="t")
    with pytest.raises(RuleRefused, match="already handed over"):
        rules.handover(once.order, handed(q("SKU-0", 2)), staff="A1", now=NOW, device_time="t")
    cancelled = rules.cancel(view, "payment failed", by="central").order
    assert cancelled.state is S.CANCELLED and rules.restock_due(cancelled) == {"SKU-0": 2}
    late = rules.handover(cancelled, handed(q("SKU-0", 2)), staff="A1", now=NOW, device_time="t")
    assert late.exceptions == ("collected_after_cancel",)
    assert late.order.state is S.COLLECTED and rules.restock_due(late.order) == {}


def test_handover_after_cancel_of_an_unpicked_order_takes_the_units_then() -> None:
    cancelled = rules.cancel(order(1), "fraud", by="central")
    assert cancelled.effects == (rules.StockEffect(1, "SKU-0", 0, -1, None),)
    late = rules.handover(
        cancelled.order, handed(q("SKU-0", 1)), staff="A1", now=NOW, device_time="t"
    )
    assert late.effects == (rules.StockEffect(1, "SKU-0", -1, 0, MovementKind.HANDOVER),)


def test_a_late_pick_after_restocked_units_were_handed_over_takes_nothing() -> None:
    view = rules.pick(order(1), [q("SKU-0", 1)]).order  # station 1 picks
    view = rules.cancel(view, "customer called", by="central").order
    view = rules.restock(view, [q("SKU-0", 1)]).order  # station 1 puts it back
    view = rules.handover(  # station 2, offline, takes it off the shelf again
        view, handed(q("SKU-0", 1)), staff="A1", now=NOW, device_time="t"
    ).order
    assert (view.lines[0].picked, view.lines[0].restocked) == (2, 1)

    late = rules.pick(view, [q("SKU-0", 1)])  # station 3's offline pick arrives

    assert late.effects == () and late.order.lines == view.lines
    assert "put back on the shelf: SKU-0 ×1" in late.note
    assert late.exceptions == ()  # the ledger flags the unit, not the shared rule
    assert picked_beyond(view, [q("SKU-0", 1)]) == {"SKU-0": 1}


def test_rerouted_orders_refuse_a_pick_and_short_units_release() -> None:
    moved = rules.reroute_away(order(3), "store closed")
    assert moved.effects[0].reserved == -3
    with pytest.raises(RuleRefused, match="moved to another store"):
        rules.pick(moved.order, [q("SKU-0", 1)])  # at the counter
    recorded = rules.pick(moved.order, [q("SKU-0", 1)], recorded=True)  # it happened
    assert recorded.order.state is S.REROUTED and recorded.order.lines[0].restock_due == 1
    assert [(e.on_hand, e.reserved) for e in recorded.effects] == [(-1, 0)]
    short = rules.pick(order(3), [q("SKU-0", 1, short=2)])
    assert short.exceptions == ("short_pick",) and short.effects[0].reserved == -3
    assert short.order.state is S.PICKED
    all_short = rules.pick(order(1), [q("SKU-0", 0, short=1)])
    assert all_short.order.state is S.SHORT


def test_no_show_expires_only_after_pickup_by() -> None:
    view = to_ready(1)
    assert rules.expire_hold(view, NOW + timedelta(days=4)) is None
    out = rules.expire_hold(view, NOW + timedelta(days=5, seconds=1))
    assert out is not None and out.order.state is S.CANCELLED
    assert out.order.log["cancels"][0]["by"] == "expiry"


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["pick", "short", "stage", "ready", "handover", "cancel", "restock"]),
        st.integers(0, 1),
        st.integers(1, 3),
    ),
    max_size=14,
)


def take_step(view: PickupOrder, name: str, sku: str, n: int) -> rules.Outcome:
    """One step of the property tests below (it may raise RuleRefused or BadInput)."""
    if name == "pick":
        return rules.pick(view, [q(sku, n)])
    if name == "short":
        return rules.pick(view, [q(sku, 0, short=n)])
    if name == "stage":
        return rules.stage(view, "H-01", BINS)
    if name == "ready":
        return rules.mark_ready(
            view, [q(sku, n)], channel=MessageChannel.SMS, message="", now=NOW, hold_days=1
        )
    if name == "handover":
        return rules.handover(view, handed(q(sku, n)), staff="A", now=NOW, device_time="t")
    if name == "cancel":
        return rules.cancel(view, "why", [q(sku, 1)])
    if name == "cancel_all":  # central: what is left of the whole order
        return rules.cancel(view, "payment failed", by="central")
    return rules.restock(view, [q(sku, n)])


@settings(max_examples=150, deadline=None)
@given(quantities=st.lists(st.integers(1, 3), min_size=1, max_size=2), steps=STEPS)
def test_stock_effects_always_match_the_counters(
    quantities: list[int], steps: list[tuple[str, int, int]]
) -> None:
    view = order(*quantities)
    reserved = sum(quantities)
    on_hand = 0
    for name, index, n in steps:
        try:
            out = take_step(view, name, f"SKU-{index % len(quantities)}", n)
        except (RuleRefused, BadInput):
            continue
        view = out.order
        reserved += sum(e.reserved for e in out.effects)
        on_hand += sum(e.on_hand for e in out.effects)
    assert reserved == sum(line.to_pick for line in view.lines)
    assert on_hand == -sum(line.picked - line.restocked for line in view.lines)
    for line in view.lines:
        assert 0 <= line.collected <= line.ordered
        assert line.restock_due >= 0 and 0 <= line.ready_waiting <= line.keep
        assert line.restocked <= line.picked
        assert line.picked - line.restocked <= line.ordered  # a second pick stays on the shelf
        assert not line.restock_due or line.cancelled or line.short  # the restock list's filter


# A central cancel, the units put back, a second station hands them over anyway (it took
# them off the shelf again), then a third station's offline pick arrives: it takes nothing.
CANCEL_RESTOCK_HANDOVER_PICK = [
    ("pick", 0, 1), ("cancel_all", 0, 1), ("restock", 0, 1), ("handover", 0, 1), ("pick", 0, 1),
]  # fmt: skip


ANY_STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["pick", "short", "stage", "ready", "handover", "cancel", "cancel_all", "restock"]
        ),
        st.integers(0, 1),
        st.integers(1, 3),
    ),
    min_size=5,
    max_size=20,
)


@example(quantities=[1], steps=CANCEL_RESTOCK_HANDOVER_PICK)
@settings(max_examples=1000, deadline=None)
@given(quantities=st.lists(st.integers(1, 3), min_size=1, max_size=2), steps=ANY_STEPS)
def test_no_step_makes_or_loses_a_unit(
    quantities: list[int], steps: list[tuple[str, int, int]]
) -> None:
    """Every unit is on the shelf (sellable), in the store's custody, or with the customer,
    after each step; and nobody collects a unit that was not picked and kept."""
    view = order(*quantities)
    shelf = 0  # sellable on hand, as the effects move it
    for name, index, n in steps:
        try:
            out = take_step(view, name, f"SKU-{index % len(quantities)}", n)
        except (RuleRefused, BadInput):
            continue
        view = out.order
        shelf += sum(e.on_hand for e in out.effects)
        for line in view.lines:
            assert line.collected <= line.picked - line.restocked, (name, line)
        custody = sum(line.in_hand for line in view.lines)
        with_customer = sum(line.collected for line in view.lines)
        assert shelf + custody + with_customer == 0, (name, view.lines)


def test_pickup_codes_are_hashed_and_the_qr_round_trips() -> None:
    assert valid_pickup_code("123456") and not valid_pickup_code("12345")
    assert not valid_pickup_code("12a456")
    digest = hash_pickup_code("123456", "salt")
    assert "123456" not in digest and pickup_code_matches("123456", "salt", digest)
    assert not pickup_code_matches("123457", "salt", digest)
    assert parse_qr_payload(qr_payload("WEB-1", "123456")) == ("WEB-1", "123456")
    assert parse_qr_payload("WEB-1") is None


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_phone_search_forgives_country_code_and_spaces(number: str) -> None:
    spaced = f"+91 {number[:5]} {number[5:]}"
    assert normalise_phone(spaced) == number == normalise_phone("0" + number)
    assert customer_matches(number[-6:], "X", spaced)
    assert customer_matches(f"+91{number}", "X", number)


def test_name_search_is_case_and_space_blind() -> None:
    assert normalise_name("  ASHA   kumar ") == "asha kumar"
    assert customer_matches("asha KUM", "Asha Kumar", "")
    assert not customer_matches("ravi", "Asha Kumar", "")


def test_payloads_parse_round_trip_and_reject_bad_input() -> None:
    pick = PickupPick("BLR-01", 7, lines=(q("SKU-0", 1, short=1),))
    assert parse_payload(OperationType.PICKUP_PICK, pick.to_payload()) == pick
    hand = handed(q("SKU-0", 1))
    assert parse_payload("pickup.handover", hand.to_payload()) == hand
    with pytest.raises(BadInput, match="last 4"):
        Proof(Verification.ID_CHECK, "Asha", id_type="aadhaar", id_last4="12")
    with pytest.raises(BadInput, match="authorised"):
        Proof(Verification.THIRD_PARTY, "Asha")
    with pytest.raises(BadInput):
        parse_payload("pickup.stage", {"location": "BLR-01", "fulfilment_id": 1})
    with pytest.raises(BadInput):
        parse_payload("pickup.ready", {"location": "BLR-01", "fulfilment_id": 1, "lines": []})


def test_a_station_rebases_pending_steps_on_a_pulled_row() -> None:
    import json

    view = order(2)
    row: dict[str, Any] = {
        "id": 1,
        "order_number": "WEB-1",
        "state": "routed",
        "customer_name": "Asha Kumar",
        "customer_phone": "+91 98450 12345",
        "lines": json.dumps([line.to_row() for line in view.lines]),  # as a cache stores it
        "location_code": "BLR-01",
        "bin": None,
        "pickup_by": None,
        "pickup_code_hash": hash_pickup_code("123456", "s"),
        "pickup_code_salt": "s",
        "pickup_log": None,
    }
    base = PickupOrder.from_row(row)
    assert base == PickupOrder(
        1, "WEB-1", "BLR-01", S.ROUTED, view.lines, "Asha Kumar", "+91 98450 12345",
        pickup_code_hash=row["pickup_code_hash"], pickup_code_salt="s",
    )  # fmt: skip
    ctx = rules.StepContext(now=NOW, hold_days=5, bins=BINS, staff="A100")
    pending = [
        parse_payload("pickup.pick", {**target(), "lines": [{"sku": "SKU-0", "quantity": 2}]}),
        parse_payload("pickup.stage", {**target(), "bin": "H-02"}),
        parse_payload("pickup.ready", {**target(), "lines": [{"sku": "SKU-0", "quantity": 2}]}),
    ]
    local = base
    for payload in pending:
        local = rules.apply_step(local, payload, ctx).order  # type: ignore[arg-type]
    assert local.state is S.READY_FOR_PICKUP

    pulled = PickupOrder.from_row({**row, "state": "rerouted"})  # moved while offline
    with pytest.raises(RuleRefused, match="moved to another store"):
        rules.apply_step(pulled, pending[0], ctx)  # type: ignore[arg-type]


def target() -> dict[str, object]:
    return {"location": "BLR-01", "fulfilment_id": 1}
