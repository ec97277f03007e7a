"""Ship order steps over per-line counters: picks, unpicks and packs are physical facts,
applied and flagged once recorded; rejections and label voids are intentions that can be
refused; the state follows the counters; a pick after a central close leaves an unpick
task."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.op_parts import BinLine, OverrideClaim, PackedParcel, ShipLine
from app.domain.shipping.ops import (
    ShipLabelVoid,
    ShipPack,
    ShipPayload,
    ShipPick,
    ShipReject,
    ShipUnpick,
)
from app.domain.shipping.order_view import ShelfMove, ShipOrder, ShipOrderLine
from app.domain.shipping.parcels import LOCAL_COURIER, SsccScheme
from app.domain.shipping.steps import apply_step, unpick_due
from app.errors import RuleRefused

S = FulfilmentState
SCHEME = SsccScheme("8901234")
AT = ("BLR-01", 17)  # location, fulfilment id


def _order(state: S = S.ROUTED, **counters: Any) -> ShipOrder:
    lines = (
        ShipOrderLine("TEA", 2, **counters.get("TEA", {})),
        ShipOrderLine("RICE", 1, **counters.get("RICE", {})),
    )
    return ShipOrder(17, "W-1001", "BLR-01", state, lines)


def _pick(**units: int) -> ShipPick:
    lines = tuple(BinLine(sku, n, "A-01-1") for sku, n in units.items())
    return ShipPick(*AT, lines=lines, tote="PB-7-T01", batch="PB-7")


def _pack(counter: int = 1, weight_g: int = 1_100, **units: int) -> ShipPack:
    sscc = SCHEME.sscc(3, counter)
    lines = tuple(ShipLine(sku, n) for sku, n in units.items())
    parcel = PackedParcel(sscc, "M", weight_g, 1_100, lines, LOCAL_COURIER, sscc)
    return ShipPack(*AT, parcel=parcel)


def _counts(order: ShipOrder) -> dict[str, tuple[int, int, int, int]]:
    return {ln.sku: (ln.picked, ln.unpicked, ln.rejected, ln.packed) for ln in order.lines}


def test_pick_then_pack_moves_the_order_to_picked_then_packed() -> None:
    picking = apply_step(_order(), _pick(TEA=1))
    assert picking.order.state is S.PICKING
    assert picking.moves == (ShelfMove("TEA", "A-01-1", -1),)
    assert picking.reserved == (("TEA", -1),)
    picked = apply_step(picking.order, _pick(TEA=1, RICE=1))
    assert picked.order.state is S.PICKED and picked.exceptions == ()
    half = apply_step(picked.order, _pack(1, TEA=2))
    assert half.order.state is S.PICKED
    packed = apply_step(half.order, _pack(2, RICE=1))
    assert packed.order.state is S.PACKED and packed.exceptions == ()
    assert _counts(packed.order) == {"TEA": (2, 0, 0, 2), "RICE": (1, 0, 0, 1)}
    assert [p.sscc for p in packed.order.parcels] == [SCHEME.sscc(3, 1), SCHEME.sscc(3, 2)]
    assert "packed into parcel" in packed.note


def test_a_pick_beyond_the_order_is_refused_at_the_bench_and_flagged_once_recorded() -> None:
    order = _order(TEA={"picked": 2})
    with pytest.raises(RuleRefused, match="does not need TEA ×1 any more"):
        apply_step(order, _pick(TEA=1))
    applied = apply_step(order, _pick(TEA=1), recorded=True)
    assert applied.exceptions == ("picked_beyond",)
    assert unpick_due(applied.order) == {"TEA": 1}


def test_a_pick_after_a_central_reroute_is_applied_flagged_and_put_back_by_unpick() -> None:
    order = _order(S.REROUTED)
    with pytest.raises(RuleRefused, match="W-1001 is rerouted; it cannot be picked now"):
        apply_step(order, _pick(TEA=2))
    applied = apply_step(order, _pick(TEA=2), recorded=True)
    assert applied.exceptions == ("picked_after_close",)
    assert applied.order.state is S.REROUTED
    assert "the order was rerouted meanwhile: put them back" in applied.note
    assert unpick_due(applied.order) == {"TEA": 2}
    back = apply_step(applied.order, ShipUnpick(*AT, lines=(BinLine("TEA", 2, "B-02-1"),)))
    assert back.moves == (ShelfMove("TEA", "B-02-1", 2),)
    assert unpick_due(back.order) == {}


def test_an_unpick_beyond_the_loose_units_is_refused_at_the_bench_moves_nothing_recorded() -> None:
    order = _order(TEA={"picked": 1})
    twice = ShipUnpick(*AT, lines=(BinLine("TEA", 2, "A-01-1"),))
    with pytest.raises(RuleRefused, match="has no TEA ×1 off the shelf to put back"):
        apply_step(order, twice)
    applied = apply_step(order, twice, recorded=True)
    assert applied.moves == (ShelfMove("TEA", "A-01-1", 1),)
    assert "the book had these on the shelf already: TEA ×1" in applied.note
    assert applied.reserved == (("TEA", 1),)  # the order needs that unit again


def test_a_rejected_line_leaves_the_rest_and_a_whole_rejection_ends_the_order() -> None:
    line = apply_step(_order(), ShipReject(*AT, reason="not_found", lines=(ShipLine("RICE", 1),)))
    assert _counts(line.order)["RICE"] == (0, 0, 1, 0)
    assert line.reserved == (("RICE", -1),) and line.order.state is S.ROUTED
    whole = apply_step(_order(TEA={"picked": 1}), ShipReject(*AT, reason="damaged"))
    assert whole.order.state is S.REJECTED
    assert _counts(whole.order) == {"TEA": (1, 0, 2, 0), "RICE": (0, 0, 1, 0)}
    assert unpick_due(whole.order) == {"TEA": 1}  # the picked unit goes back


def test_rejections_that_cannot_happen_are_refused() -> None:
    packed = _order(TEA={"picked": 2, "packed": 2})
    with pytest.raises(RuleRefused, match="Only 0 of TEA can still be rejected"):
        apply_step(packed, ShipReject(*AT, reason="x", lines=(ShipLine("TEA", 1),)))
    done = _order(TEA={"rejected": 2}, RICE={"rejected": 1})
    with pytest.raises(RuleRefused, match="Nothing of order W-1001 is left to reject"):
        apply_step(done, ShipReject(*AT, reason="x"))
    with pytest.raises(RuleRefused, match="cancelled; it cannot be rejected"):
        apply_step(_order(S.CANCELLED), ShipReject(*AT, reason="x"))
    with pytest.raises(RuleRefused, match="Item SUGAR is not part of order W-1001"):
        apply_step(_order(), ShipReject(*AT, reason="x", lines=(ShipLine("SUGAR", 1),)))


def test_packs_the_bench_refuses_and_the_ledger_applies_with_flags() -> None:
    order = _order(TEA={"picked": 1})
    with pytest.raises(RuleRefused, match="TEA ×1 of order W-1001 are not picked for it"):
        apply_step(order, _pack(1, TEA=2))
    applied = apply_step(order, _pack(1, TEA=2), recorded=True)
    assert applied.exceptions == ("packed_beyond",)
    assert _counts(applied.order)["TEA"] == (2, 0, 0, 2)  # the unseen pick counts as picked
    again = apply_step(applied.order, _pack(1, RICE=1), recorded=True)
    assert "sscc_reused" in again.exceptions
    with pytest.raises(RuleRefused, match="is already packed"):
        apply_step(applied.order, _pack(1, RICE=1))


def test_a_weight_outside_the_range_without_a_lead_is_flagged() -> None:
    order = _order(TEA={"picked": 2})
    heavy = apply_step(order, _pack(1, weight_g=1_400, TEA=2))
    assert heavy.exceptions == ("weight_unchecked",)
    sscc = SCHEME.sscc(3, 1)
    parcel = PackedParcel(
        sscc, "M", 1_400, 1_100, (ShipLine("TEA", 2),), LOCAL_COURIER, sscc,
        OverrideClaim("L200", "filler"),
    )  # fmt: skip
    assert apply_step(order, ShipPack(*AT, parcel=parcel)).exceptions == ()


def test_a_voided_label_makes_its_units_loose_to_repack() -> None:
    packed = apply_step(_order(TEA={"picked": 2}, RICE={"picked": 1}), _pack(1, TEA=2, RICE=1))
    void = apply_step(packed.order, ShipLabelVoid(*AT, sscc=SCHEME.sscc(3, 1), reason="smudged"))
    assert void.order.state is S.PICKED
    assert _counts(void.order) == {"TEA": (2, 0, 0, 0), "RICE": (1, 0, 0, 0)}
    assert void.order.parcels[0].void
    repacked = apply_step(void.order, _pack(2, TEA=2, RICE=1))
    assert repacked.order.state is S.PACKED
    with pytest.raises(RuleRefused, match="is not a packed parcel of order W-1001"):
        apply_step(void.order, ShipLabelVoid(*AT, sscc=SCHEME.sscc(3, 1), reason="again"))


def test_a_label_cannot_be_voided_once_shipped() -> None:
    packed = apply_step(_order(TEA={"picked": 2}, RICE={"picked": 1}), _pack(1, TEA=2, RICE=1))
    shipped = ShipOrder(17, "W-1001", "BLR-01", S.SHIPPED, packed.order.lines, packed.order.parcels)
    with pytest.raises(RuleRefused, match="has shipped; its labels cannot be voided"):
        apply_step(shipped, ShipLabelVoid(*AT, sscc=SCHEME.sscc(3, 1), reason="late"))


def test_a_pick_of_an_item_not_in_the_order_is_refused() -> None:
    with pytest.raises(RuleRefused, match="Item SUGAR is not part of order W-1001"):
        apply_step(_order(), _pick(SUGAR=1), recorded=True)


def test_a_pack_after_a_central_cancel_is_applied_and_flagged() -> None:
    order = _order(S.CANCELLED, TEA={"picked": 2})
    with pytest.raises(RuleRefused, match="cancelled; it cannot be packed now"):
        apply_step(order, _pack(1, TEA=2))
    applied = apply_step(order, _pack(1, TEA=2), recorded=True)
    assert applied.exceptions == ("packed_after_close",)
    assert applied.order.state is S.CANCELLED


def _payload(kind: str, sku: str, units: int, n: int) -> ShipPayload:
    if kind == "pick":
        return _pick(**{sku: units})
    if kind == "unpick":
        return ShipUnpick(*AT, lines=(BinLine(sku, units, "A-01-1"),))
    if kind == "pack":
        return _pack(n, **{sku: units})
    if kind == "void":
        return ShipLabelVoid(*AT, sscc=SCHEME.sscc(3, max(0, n - 1)), reason="x")
    return ShipReject(*AT, reason="x", lines=(ShipLine(sku, units),))


_steps = st.lists(
    st.tuples(
        st.sampled_from(["pick", "unpick", "pack", "void", "reject", "close"]),
        st.sampled_from(["TEA", "RICE"]),
        st.integers(1, 3),
    ),
    max_size=12,
)


@settings(max_examples=50)
@given(_steps)
def test_every_unit_off_the_shelf_is_packed_to_pack_or_due_back(
    steps: list[tuple[str, str, int]],
) -> None:
    order = _order()
    for n, (kind, sku, units) in enumerate(steps):
        if kind == "close":
            order = replace(order, state=S.REROUTED)
            continue
        payload = _payload(kind, sku, units, n)
        with contextlib.suppress(RuleRefused):  # intentions may be refused; facts never
            order = apply_step(order, payload, recorded=True).order
        for line in order.lines:
            assert line.packed <= line.in_hand
            assert order.to_pack(line) + order.unpick_due(line) == line.loose
            assert order.to_pick(line) == 0 or order.to_pick(line) + line.in_hand <= line.ordered
