"""BOPIS pickup rules: each step on the fulfilment-order view (:mod:`.pickup_view`).

Pure: the ledger applies these functions to its rows, and a station applies the same
functions (through :func:`apply_step`) to its pulled base to rebase its pending
operations. Each step returns an :class:`Outcome`: the new view, what it means for
stock, and the exceptions it opens. An intention that cannot happen raises
``RuleRefused``; a physical fact (pick, handover, restock) is not refused for the
order's state (DESIGN.md §4 rule 1), except a pick of an order moved to another store
(its items stay on this store's shelf) or of units coming from a warehouse.

Per line, quantities are cumulative counters (they only grow): ``ordered`` ≥ 0;
``picked`` off the shelf (less ``restocked``, never more than ordered: the station's
restock list relies on it); ``short`` not found; ``ready`` announced to the customer;
``collected`` handed over; ``cancelled`` no longer owed; ``restocked`` put back.
Everything else is derived from them (see :class:`PickupLine`).

Stock model: a pick takes units out of sellable on hand (movement ``pick``) and consumes
their reservation; a handover posts a ``handover`` movement of 0 (the units left sellable
at the pick), or of −k for k units handed over that the ledger never saw picked or
that the order did not hold (a second station handing it over: flagged to count); a
restock puts units back to sellable (movement ``release``); cancelling unpicked units
releases their reservation. Reservations equal each open line's ``reserved`` (``to_pick``,
but for ship-for-pickup what the warehouse still owes: :mod:`.pickup_transfer`).

Cancelling, the no-show expiry, moving away and putting back: :mod:`.pickup_cancel`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.domain import pickup_transfer as transfer
from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_cancel import cancel, expire_hold, reroute_away, restock, restock_due
from app.domain.pickup_effects import (
    asked_by_sku,
    handed_beyond,
    pick_room,
    picked_beyond,
    rederive,
    refuse_closed,
    reservation_effects,
)
from app.domain.pickup_ops import (
    LineQty,
    MessageChannel,
    PickupAccept,
    PickupCancel,
    PickupHandover,
    PickupPayload,
    PickupPick,
    PickupReady,
    PickupReceive,
    PickupRestock,
    PickupStage,
)
from app.domain.pickup_view import (
    CLOSED_CENTRALLY,
    Outcome,
    PickupLine,
    PickupOrder,
    StockEffect,
    derive_state,
)
from app.domain.stock import MovementKind
from app.errors import RuleRefused

S = FulfilmentState
__all__ = [
    "CLOSED_CENTRALLY", "Outcome", "PickupLine", "PickupOrder", "StepContext", "StockEffect",
    "accept", "apply_step", "cancel", "derive_state", "expire_hold", "handover", "mark_ready",
    "pick", "reroute_away", "restock", "restock_due", "stage",
]  # fmt: skip


# --- the steps -------------------------------------------------------------------------


def accept(order: PickupOrder) -> Outcome:
    """The store takes the order on (an intention). Accepting twice changes nothing."""
    refuse_closed(order, "accepted")
    if order.state is not S.ROUTED:
        return Outcome(order, note="already accepted")
    return Outcome(replace(order, state=S.ACCEPTED), note="accepted by the store")


def pick(
    order: PickupOrder, lines: Sequence[LineQty], reason: str = "", *, recorded: bool = False
) -> Outcome:
    """Units taken off the shelf, and units not found (short): a physical fact.

    At the counter (``recorded`` False) refused for an order moved to another store (its
    items stay on the shelf); once recorded (the ledger) such a pick happened, so it is
    applied and its units become units to put back (the ledger flags them). Refused for
    an item not in the order, or units coming from the warehouse (receive those by
    scan). Picks beyond what is still owed are applied and become units to restock, up
    to what was ordered (picked less restocked never exceeds ordered): any more stay
    sellable, to put back (:func:`~app.domain.pickup_effects.picked_beyond`; the ledger
    flags them).
    """
    if order.state is S.REROUTED and not recorded:
        refuse_closed(order, "picked")
    asked = asked_by_sku(lines)
    transfer.refuse_shelf_pick(order, asked.values())
    new_lines = []
    kinds: dict[str, tuple[int, MovementKind | None]] = {}
    for line in order.lines:
        want = asked.get(line.sku)
        if want is None:
            new_lines.append(line)
            continue
        took = min(want.quantity, pick_room(line))
        short = min(want.short, line.to_pick - min(want.quantity, line.to_pick))
        new_lines.append(replace(line, picked=line.picked + took, short=line.short + short))
        if took:
            kinds[line.sku] = (-took, MovementKind.PICK)
    extra = [f"{sku} ×{n}" for sku, n in picked_beyond(order, asked.values()).items()]
    new = rederive(order, new_lines)
    shorts = [f"{a.sku} ×{a.short}" for a in asked.values() if a.short]
    note = "picked " + ", ".join(f"{a.sku} ×{a.quantity}" for a in asked.values() if a.quantity)
    if shorts:
        note += "; short " + ", ".join(shorts) + (f" ({reason})" if reason else "")
    if extra:
        note += "; more than the order holds, put back on the shelf: " + ", ".join(extra)
    return Outcome(
        new,
        reservation_effects(order, new.lines, kinds),
        ("short_pick",) if shorts else (),
        note,
    )


def stage(order: PickupOrder, bin_code: str, bins: Collection[str]) -> Outcome:
    """Put the picked units on a hold-shelf bin of this store (an intention)."""
    refuse_closed(order, "staged")
    code = bin_code.strip().upper()
    if code not in bins:
        raise RuleRefused(
            f"Bin {code} is not a hold-shelf bin of this store.",
            next_step="Scan the label of one of the store's hold-shelf bins.",
        )
    if not any(line.keep for line in order.lines):
        raise RuleRefused(
            f"Nothing of order {order.order_number} has been picked yet.",
            next_step="Pick the items first, then stage them.",
        )
    moved = f" (moved from {order.bin})" if order.bin and order.bin != code else ""
    return Outcome(rederive(order, order.lines, bin=code), note=f"staged in {code}{moved}")


def mark_ready(
    order: PickupOrder,
    lines: Sequence[LineQty],
    *,
    channel: MessageChannel,
    message: str,
    now: datetime,
    hold_days: int,
) -> Outcome:
    """Lines (partly) ready for the customer; the message sent is recorded (an intention).

    The first ready line starts the hold period: ``pickup_by`` = now + hold days (server).
    """
    refuse_closed(order, "made ready")
    if not order.bin:
        raise RuleRefused(
            f"Order {order.order_number} is not on a hold shelf yet.",
            next_step="Stage it to a bin first.",
        )
    asked = asked_by_sku(lines)
    new_lines = []
    for line in order.lines:
        want = asked.get(line.sku)
        if want is None:
            new_lines.append(line)
            continue
        can = line.keep - line.ready_waiting
        if want.quantity > can:
            raise RuleRefused(
                f"Only {can} of {line.sku} can be made ready for order {order.order_number}.",
                next_step="Pick and stage the rest first.",
            )
        new_lines.append(replace(line, ready=line.ready + want.quantity))
    for sku in asked:
        order.line(sku)
    entry = {
        "at": now.isoformat(),
        "channel": channel.value,
        "message": message,
        "lines": {sku: a.quantity for sku, a in asked.items()},
    }
    log = dict(order.log)
    log["ready_messages"] = [*order.log.get("ready_messages", []), entry]
    pickup_by = order.pickup_by or now + timedelta(days=hold_days)
    new = rederive(order, new_lines, log=log, pickup_by=pickup_by)
    note = "ready: " + ", ".join(f"{sku} ×{a.quantity}" for sku, a in asked.items())
    return Outcome(new, note=f"{note}; {channel.value} message sent")


def handover(
    order: PickupOrder,
    handed: PickupHandover,
    *,
    staff: str,
    now: datetime,
    device_time: str,
    recorded: bool = False,
) -> Outcome:
    """Units handed to the customer: a physical fact, applied even after a cancel.

    At the counter (``recorded`` False) a handover of more than was made ready, or than
    the order still holds, is refused: a double press or a double scan. Once recorded
    (the ledger) it happened, so it is applied: units beyond what the order holds leave
    the store as a ``handover`` movement of their own (the order is collected once; the
    ledger flags them, :func:`~app.domain.pickup_effects.handed_beyond`), and on a
    cancelled or rerouted order it opens a ``collected_after_cancel`` exception.
    """
    asked = asked_by_sku(handed.lines)
    for sku in [*asked, *handed.cancel_left]:
        order.line(sku)
    new_lines = []
    kinds: dict[str, tuple[int, MovementKind | None]] = {}
    after_cancel = False
    for line in order.lines:
        want = asked.get(line.sku)
        qty = want.quantity if want else 0
        if not recorded:
            _refuse_double_handover(order, line, qty)
        within = min(qty, max(0, line.ordered - line.collected))
        if within > line.keep:
            after_cancel = True
        unpicked = max(0, within - line.in_hand)  # handed over without a pick the ledger saw
        new = replace(line, collected=line.collected + within, picked=line.picked + unpicked)
        if qty:
            kinds[line.sku] = (-unpicked - (qty - within), MovementKind.HANDOVER)
        if line.sku in handed.cancel_left and new.cancellable:
            new = replace(
                new, cancelled=new.cancelled + new.cancellable, cancel_reason=handed.cancel_reason
            )
        new_lines.append(new)
    proof = {
        "at": now.isoformat(),
        "device_time": device_time,
        "staff": staff,
        **handed.proof.to_payload(),
        "lines": {sku: a.quantity for sku, a in asked.items()},
        "cancel_left": list(handed.cancel_left),
        "cancel_reason": handed.cancel_reason,
        **({"reason": handed.reason} if handed.reason else {}),
    }
    log = dict(order.log)
    log["handovers"] = [*order.log.get("handovers", []), proof]
    new_order = rederive(order, new_lines, log=log)
    how = handed.proof.method.value.replace("_", " ")
    note = f"handed over to {handed.proof.collected_by} ({how}) by {staff}: " + ", ".join(
        f"{sku} ×{a.quantity}" for sku, a in asked.items()
    )
    if handed.cancel_left:
        note += f"; cancelled left behind {', '.join(handed.cancel_left)}: {handed.cancel_reason}"
    elif handed.reason:
        note += f"; the rest kept ready ({handed.reason})"
    beyond = handed_beyond(order, handed.lines)
    if beyond:
        note += "; more than the order holds, to count: " + ", ".join(
            f"{sku} ×{n}" for sku, n in beyond.items()
        )
    return Outcome(
        new_order,
        reservation_effects(order, new_order.lines, kinds),
        ("collected_after_cancel",) if after_cancel else (),
        note,
    )


def _refuse_double_handover(order: PickupOrder, line: PickupLine, qty: int) -> None:
    """At the counter: nothing beyond what the order holds, or what was made ready."""
    if qty > line.ordered - line.collected:
        raise RuleRefused(
            f"{line.sku} of order {order.order_number} was already handed over "
            f"({line.collected} of {line.ordered}).",
            next_step="Nothing more to hand over for this line.",
        )
    if order.is_open and qty > line.ready - line.collected:
        raise RuleRefused(
            f"Only {max(0, line.ready - line.collected)} of {line.sku} are ready for "
            f"order {order.order_number}; it was not handed over twice.",
            next_step="Make the rest ready first, or hand over what is ready.",
        )


@dataclass(frozen=True)
class StepContext:
    """What a step needs besides the order: the store's rules, who, and the server time."""

    now: datetime  # ledger time (a station rebasing uses its best guess)
    hold_days: int  # the store's pickup hold period
    bins: Collection[str]  # the store's hold-shelf bins
    staff: str  # the operation's actor
    device_time: str = ""  # when the station recorded it, as ISO text
    # True at the ledger: the step was recorded at a counter, so a physical fact is
    # applied whatever the order holds (rule 1); False at the counter, before recording.
    recorded: bool = False


def apply_step(order: PickupOrder, payload: PickupPayload, ctx: StepContext) -> Outcome:
    """Apply one pickup operation's payload to ``order``: the one dispatch both sides use."""
    if isinstance(payload, PickupAccept):
        return accept(order)
    if isinstance(payload, PickupPick):
        return pick(order, payload.lines, payload.reason, recorded=ctx.recorded)
    if isinstance(payload, PickupStage):
        return stage(order, payload.bin, ctx.bins)
    if isinstance(payload, PickupReady):
        return mark_ready(
            order,
            payload.lines,
            channel=payload.channel,
            message=payload.message,
            now=ctx.now,
            hold_days=ctx.hold_days,
        )
    if isinstance(payload, PickupHandover):
        return handover(
            order,
            payload,
            staff=ctx.staff,
            now=ctx.now,
            device_time=ctx.device_time,
            recorded=ctx.recorded,
        )
    if isinstance(payload, PickupCancel):
        return cancel(order, payload.reason, payload.lines, by="store")
    if isinstance(payload, PickupRestock):
        return restock(order, payload.lines, recorded=ctx.recorded)
    if isinstance(payload, PickupReceive):
        return transfer.receive(order, payload.lines, recorded=ctx.recorded)
    raise AssertionError(f"unhandled pickup payload {type(payload).__name__}")
