"""Ship-from-store rules: each step on the ship order view (:mod:`.order_view`). Pure.

The ledger applies these to its rows and a bench to its pulled base, as for pickup
(:mod:`app.domain.pickup`). A pick, an unpick and a pack happened in the shop: they are
physical facts, never refused for the order's state (DESIGN.md §4 rule 1). At the bench
(``recorded`` False) a pick or a pack the order cannot take is refused, as a double scan
would be; once recorded (the ledger) it is applied and what does not add up is flagged:
units picked for an order rerouted or cancelled meanwhile become units to put back (the
unpick task), a parcel packed beyond the order opens an exception. A rejection and a
label void are intentions: refused when they cannot happen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.handover import hand_over
from app.domain.shipping.op_parts import BinLine, ShipLine
from app.domain.shipping.ops import (
    ShipHandover,
    ShipLabelVoid,
    ShipPack,
    ShipPayload,
    ShipPick,
    ShipReject,
    ShipUnpick,
)
from app.domain.shipping.order_view import (
    FINISHED,
    ParcelRecord,
    ShelfMove,
    ShipOrder,
    ShipOrderLine,
    StepOutcome,
    derive_state,
)
from app.errors import RuleRefused

S = FulfilmentState


def _units(lines: Iterable[ShipLine | BinLine]) -> dict[str, int]:
    total: dict[str, int] = {}
    for line in lines:
        total[line.sku] = total.get(line.sku, 0) + line.quantity
    return total


def _listed(units: dict[str, int]) -> str:
    return ", ".join(f"{sku} ×{n}" for sku, n in units.items())


def _rederive(
    order: ShipOrder,
    lines: Sequence[ShipOrderLine],
    parcels: tuple[ParcelRecord, ...] | None = None,
) -> ShipOrder:
    draft = replace(
        order, lines=tuple(lines), parcels=order.parcels if parcels is None else parcels
    )
    return replace(draft, state=derive_state(draft, draft.lines))


def _reserved(old: ShipOrder, new: ShipOrder) -> tuple[tuple[str, int], ...]:
    changes = (
        (after.sku, new.to_pick(after) - old.to_pick(before))
        for before, after in zip(old.lines, new.lines, strict=True)
    )
    return tuple((sku, n) for sku, n in changes if n)


def _refuse_finished(order: ShipOrder, doing: str) -> None:
    if order.state in FINISHED:
        state = order.state.value.replace("_", " ")
        raise RuleRefused(
            f"Order {order.order_number} is {state}; it cannot be {doing} now.",
            next_step="Put any items of this order back on the shelf.",
        )


def pick(order: ShipOrder, payload: ShipPick, *, recorded: bool = False) -> StepOutcome:
    """Units taken off the shelf into the order's tote: a physical fact."""
    asked = _units(payload.lines)
    beyond = {s: n - order.to_pick(order.line(s)) for s, n in asked.items()}
    beyond = {s: n for s, n in beyond.items() if n > 0}
    if not recorded:
        _refuse_finished(order, "picked")
        if beyond:
            raise RuleRefused(
                f"Order {order.order_number} does not need {_listed(beyond)} any more.",
                next_step="Put those units back on the shelf.",
            )
    lines = [replace(ln, picked=ln.picked + asked.get(ln.sku, 0)) for ln in order.lines]
    new = _rederive(order, lines)
    moves = tuple(ShelfMove(ln.sku, ln.bin, -ln.quantity) for ln in payload.lines)
    note = f"picked into {payload.tote}: {_listed(asked)}"
    exceptions: tuple[str, ...] = ()
    if order.closed_centrally:
        exceptions = ("picked_after_close",)
        note += f"; the order was {order.state.value} meanwhile: put them back"
    elif beyond:
        exceptions = ("picked_beyond",)
        note += f"; more than the order needs, to put back: {_listed(beyond)}"
    return StepOutcome(new, moves, _reserved(order, new), exceptions, note)


def unpick(order: ShipOrder, payload: ShipUnpick, *, recorded: bool = False) -> StepOutcome:
    """Loose units scanned back onto a shelf: a physical fact, up to the units loose.

    At the bench refused beyond the loose units (a double scan); once recorded, units
    beyond them were never off the shelf in the book, so they move nothing."""
    asked = _units(payload.lines)
    back = {s: min(n, order.line(s).loose) for s, n in asked.items()}
    extra = {s: asked[s] - n for s, n in back.items() if asked[s] > n}
    if extra and not recorded:
        raise RuleRefused(
            f"Order {order.order_number} has no {_listed(extra)} off the shelf to put back.",
            next_step="Check the unpick task; it may be done already.",
        )
    lines = [replace(ln, unpicked=ln.unpicked + back.get(ln.sku, 0)) for ln in order.lines]
    new = _rederive(order, lines)
    moves = _unpick_moves(payload.lines, back)
    note = f"put back on the shelf: {_listed(back)}"
    if extra:
        note += f"; the book had these on the shelf already: {_listed(extra)}"
    return StepOutcome(new, moves, _reserved(order, new), note=note)


def _unpick_moves(lines: Sequence[BinLine], allowed: dict[str, int]) -> tuple[ShelfMove, ...]:
    left = dict(allowed)
    moves = []
    for line in lines:
        units = min(line.quantity, left[line.sku])
        left[line.sku] -= units
        if units:
            moves.append(ShelfMove(line.sku, line.bin, units))
    return tuple(moves)


def reject(order: ShipOrder, payload: ShipReject) -> StepOutcome:
    """This location refuses units (all still owed, for a whole order): an intention."""
    _refuse_finished(order, "rejected")
    if payload.whole_order:
        asked = {ln.sku: order.rejectable(ln) for ln in order.lines if order.rejectable(ln)}
    else:
        asked = _units(payload.lines)
    for sku, n in asked.items():
        can = order.rejectable(order.line(sku))
        if n > can:
            raise RuleRefused(
                f"Only {can} of {sku} can still be rejected for order {order.order_number}.",
                next_step="Reject what is not packed yet.",
            )
    if not asked:
        raise RuleRefused(f"Nothing of order {order.order_number} is left to reject.")
    lines = [replace(ln, rejected=ln.rejected + asked.get(ln.sku, 0)) for ln in order.lines]
    new = _rederive(order, lines)
    note = f"rejected ({payload.reason}): {_listed(asked)}"
    return StepOutcome(new, reserved=_reserved(order, new), note=note)


def pack(order: ShipOrder, payload: ShipPack, *, recorded: bool = False) -> StepOutcome:
    """Units packed into a labelled parcel: a physical fact.

    At the bench refused for an SSCC already on a parcel, or units not picked for the
    order; once recorded it is applied: units packed without a pick the ledger saw count
    as picked, and a parcel after a close or beyond the order opens an exception."""
    parcel = payload.parcel
    asked = _units(parcel.lines)
    for sku in asked:
        order.line(sku)
    reused = order.parcel(parcel.sscc) is not None
    beyond = {s: n - order.to_pack(order.line(s)) for s, n in asked.items()}
    beyond = {s: n for s, n in beyond.items() if n > 0}
    if not recorded:
        _refuse_pack(order, parcel.sscc, reused, beyond)
    lines = [_packed(ln, asked.get(ln.sku, 0)) for ln in order.lines]
    record = ParcelRecord(parcel.sscc, tuple(asked.items()))
    new = _rederive(order, lines, (*order.parcels, record))
    exceptions = []
    note = f"packed into parcel {parcel.sscc} ({parcel.carrier}): {_listed(asked)}"
    if order.closed_centrally:
        exceptions.append("packed_after_close")
    elif beyond:
        exceptions.append("packed_beyond")
        note += f"; beyond what was picked for the order: {_listed(beyond)}"
    if reused:
        exceptions.append("sscc_reused")
    if not parcel.weight_check.within and parcel.override is None:
        exceptions.append("weight_unchecked")
    return StepOutcome(new, (), _reserved(order, new), tuple(exceptions), note)


def _packed(line: ShipOrderLine, units: int) -> ShipOrderLine:
    unseen = max(0, units - line.loose)  # packed without a pick the ledger saw
    return replace(line, packed=line.packed + units, picked=line.picked + unseen)


def _refuse_pack(order: ShipOrder, sscc: str, reused: bool, beyond: dict[str, int]) -> None:
    _refuse_finished(order, "packed")
    if reused:
        raise RuleRefused(
            f"Parcel {sscc} is already packed.", next_step="Start a new parcel for these items."
        )
    if beyond:
        raise RuleRefused(
            f"{_listed(beyond)} of order {order.order_number} are not picked for it.",
            next_step="Scan only the items in the order's tote.",
        )


def void_label(order: ShipOrder, payload: ShipLabelVoid) -> StepOutcome:
    """A parcel's label is void (an intention): its units are loose again, to repack (or,
    for an order closed centrally, to put back). Refused once the order has shipped."""
    if order.state in (S.SHIPPED, S.DELIVERED):
        raise RuleRefused(
            f"Order {order.order_number} has {order.state.value}; its labels cannot be voided.",
            next_step="Ask the carrier to return the parcel.",
        )
    parcel = order.parcel(payload.sscc)
    if parcel is None:
        raise RuleRefused(
            f"Parcel {payload.sscc} is not a packed parcel of order {order.order_number}.",
            next_step="Scan the label of one of this order's parcels.",
        )
    units = dict(parcel.lines)
    lines = [replace(ln, packed=max(0, ln.packed - units.get(ln.sku, 0))) for ln in order.lines]
    parcels = tuple(replace(p, void=True) if p is parcel else p for p in order.parcels)
    new = _rederive(order, lines, parcels)
    return StepOutcome(new, note=f"label of parcel {parcel.sscc} void: {payload.reason}")


def apply_step(order: ShipOrder, payload: ShipPayload, *, recorded: bool = False) -> StepOutcome:
    """Apply one ship operation's payload to ``order``: the one dispatch both sides use."""
    if isinstance(payload, ShipPick):
        return pick(order, payload, recorded=recorded)
    if isinstance(payload, ShipUnpick):
        return unpick(order, payload, recorded=recorded)
    if isinstance(payload, ShipReject):
        return reject(order, payload)
    if isinstance(payload, ShipPack):
        return pack(order, payload, recorded=recorded)
    if isinstance(payload, ShipHandover):
        return hand_over(order, payload, recorded=recorded)
    return void_label(order, payload)


def unpick_due(order: ShipOrder) -> dict[str, int]:
    """SKU -> loose units of this order waiting to go back to the shelf (the unpick task)."""
    return {ln.sku: order.unpick_due(ln) for ln in order.lines if order.unpick_due(ln)}
