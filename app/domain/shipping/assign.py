"""Who picks a ship order: the ``ship.assign`` operation and the rule both sides run.

A bench gives an open ship order to one of its location's staff to pick, gives it to
someone else, or to nobody (``picker`` empty). It is an **intention**: the ledger refuses
it when the order is no longer open there (shipped, cancelled, rerouted away, rejected),
or when the picker may not work at the order's location. The last assignment the ledger
applies is the one every bench sees; the bench that made a choice shows its own until
the ledger has answered it (:mod:`app.storage.ship_orders`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.op_parts import text, whole
from app.errors import BadInput, RuleRefused

ASSIGN = "ship.assign"
MAX_CODE = 20  # a staff code, as the ledger stores it

S = FulfilmentState
# States in which someone may still be given the order: the bench's queue states.
ASSIGNABLE = frozenset({S.ROUTED, S.ACCEPTED, S.PICKING, S.PICKED, S.PACKED})
_GONE_WORDS = {
    S.CANCELLED: "was cancelled",
    S.REROUTED: "was moved to another location",
    S.REJECTED: "was rejected here",
    S.SHIPPED: "has shipped",
    S.DELIVERED: "was delivered",
}


@dataclass(frozen=True)
class ShipAssign:
    """Order ``fulfilment_id`` of ``location`` given to ``picker`` (a staff code; "" for
    nobody) to pick."""

    TYPE: ClassVar[str] = ASSIGN
    location: str
    fulfilment_id: int
    picker: str = ""

    def __post_init__(self) -> None:
        if not self.location:
            raise BadInput("A picker assignment needs the location code of the bench.")
        whole(self.fulfilment_id, "The fulfilment order id", minimum=1)
        if len(self.picker) > MAX_CODE:
            raise BadInput(f"'{self.picker[:MAX_CODE]}…' is not a staff code.")

    @property
    def nobody(self) -> bool:
        return not self.picker

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> ShipAssign:
        if not isinstance(payload, dict):
            raise BadInput("The ship.assign operation has no payload.")
        return cls(
            location=text(payload, "location"),
            fulfilment_id=payload.get("fulfilment_id", 0),
            picker=text(payload, "picker", ""),
        )

    def to_payload(self) -> dict[str, Any]:
        return {
            "location": self.location,
            "fulfilment_id": self.fulfilment_id,
            "picker": self.picker,
        }


def check_assignable(order_number: str, state: FulfilmentState) -> None:
    """``RuleRefused`` in the associate's words when nobody can be given the order now."""
    if state in ASSIGNABLE:
        return
    gone = _GONE_WORDS.get(state, f"is {state.value.replace('_', ' ')}")
    raise RuleRefused(
        f"Order {order_number} {gone}: nobody picks it now.",
        next_step="Choose an order that is still in the queue.",
    )
