"""Handing a packed parcel to the carrier's driver (``ship.handover``): a physical fact.
Pure.

At the bench (``recorded`` False) a parcel already handed over is refused, as a double
scan would be; once recorded (the ledger) a second hand-over of the same parcel changes
nothing. A parcel that is not a live parcel of the order (void, or never packed) is
refused on both sides. When every live parcel of a packed order has left, the order is
shipped.
"""

from __future__ import annotations

from dataclasses import replace

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.eway_bill import eway_bill_digits
from app.domain.shipping.ops import ShipHandover
from app.domain.shipping.order_view import ShipOrder, StepOutcome
from app.errors import RuleRefused


def hand_over(order: ShipOrder, payload: ShipHandover, *, recorded: bool = False) -> StepOutcome:
    """The parcel ``payload.sscc`` of ``order`` left with ``payload.carrier``."""
    parcel = order.parcel(payload.sscc)
    if parcel is None:
        raise RuleRefused(
            f"Parcel {payload.sscc} is not a packed parcel of order {order.order_number}.",
            next_step="Keep it at the bench and ask a lead: it may have been repacked.",
        )
    if parcel.handed_over and not recorded:
        raise RuleRefused(
            f"Parcel {payload.sscc} was already handed to the carrier.",
            next_step="Scan the next parcel.",
        )
    parcels = tuple(replace(p, handed_over=True) if p is parcel else p for p in order.parcels)
    new = replace(order, parcels=parcels)
    live = [p for p in parcels if not p.void]
    if order.state is FulfilmentState.PACKED and all(p.handed_over for p in live):
        new = replace(new, state=FulfilmentState.SHIPPED)
    note = f"parcel {payload.sscc} handed to {payload.carrier}"
    if eway_bill_digits(payload.eway_bill):
        note += f" with e-way bill {payload.eway_bill}"
    return StepOutcome(new, note=note)
