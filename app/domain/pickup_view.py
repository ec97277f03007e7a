"""The fulfilment-order view a pickup works on, its per-line counters and derived state.

See :mod:`app.domain.pickup` for the steps that change it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.domain.fulfilment import FulfilmentState, line_of
from app.domain.stock import Bucket, MovementKind

S = FulfilmentState
CLOSED_CENTRALLY = frozenset({S.REROUTED})


@dataclass(frozen=True)
class PickupLine:
    sku: str
    item_id: int
    ordered: int
    name: str = ""
    gtin: str = ""
    price_minor: int = 0
    picked: int = 0
    short: int = 0
    ready: int = 0
    collected: int = 0
    cancelled: int = 0
    restocked: int = 0
    cancel_reason: str = ""
    # Ship-for-pickup: units the order gets from the warehouse on a transfer (set at
    # intake), of them shipped by the warehouse, and received here by scan (a received
    # unit also counts as picked: it is in the store's custody for the customer).
    inbound: int = 0
    shipped: int = 0
    received: int = 0

    @property
    def wanted(self) -> int:
        """Units the customer is still owed in all (collected ones included)."""
        return max(0, self.ordered - self.short - self.cancelled)

    @property
    def to_pick(self) -> int:
        """Units still to take off the shelf: what stays reserved."""
        return max(0, self.wanted - self.picked)

    @property
    def in_hand(self) -> int:
        """Units off the shelf in the store's custody."""
        return max(0, self.picked - self.collected - self.restocked)

    @property
    def keep(self) -> int:
        """Units in custody that are for the customer."""
        return min(self.in_hand, max(0, self.wanted - self.collected))

    @property
    def restock_due(self) -> int:
        """Units in custody that go back to the shelf (cancelled after they were picked)."""
        return self.in_hand - self.keep

    @property
    def ready_waiting(self) -> int:
        """Units on the hold shelf announced as ready and not yet collected."""
        return max(0, min(self.ready - self.collected, self.keep))

    @property
    def cancellable(self) -> int:
        return max(0, self.wanted - self.collected)

    @property
    def in_transit(self) -> int:
        """Units the warehouse shipped that this store has not received yet."""
        return max(0, self.shipped - self.received)

    @property
    def coming(self) -> int:
        """Units still expected from the warehouse (to ship or in transit)."""
        return min(self.to_pick, max(0, self.inbound - self.received))

    @property
    def to_ship(self) -> int:
        """Units the warehouse still owes: what stays reserved at the warehouse."""
        return max(0, min(self.inbound - self.shipped, self.to_pick - self.in_transit))

    @property
    def reserved_here(self) -> int:
        """Units reserved on this store's shelf: still to pick and not coming by transfer."""
        return self.to_pick - self.coming

    @property
    def reserved(self) -> int:
        """Units the line's reservation row holds (at the store, or at the warehouse)."""
        return self.reserved_here + self.to_ship

    def to_row(self) -> dict[str, Any]:
        """The line as the fulfilment scope's ``lines`` JSON (``quantity`` = ordered)."""
        return {
            "sku": self.sku,
            "item_id": self.item_id,
            "gtin": self.gtin,
            "name": self.name,
            "quantity": self.ordered,
            "price_minor": self.price_minor,
            "picked": self.picked,
            "short": self.short,
            "ready": self.ready,
            "collected": self.collected,
            "cancelled": self.cancelled,
            "restocked": self.restocked,
            "cancel_reason": self.cancel_reason,
            **{k: getattr(self, k) for k in _TRANSFER_COUNTERS if self.inbound},
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> PickupLine:
        return cls(
            sku=str(row["sku"]),
            item_id=int(row["item_id"]),
            ordered=int(row["quantity"]),
            name=str(row.get("name", "")),
            gtin=str(row.get("gtin", "")),
            price_minor=int(row.get("price_minor", 0)),
            **{k: int(row.get(k, 0)) for k in (*_COUNTERS, *_TRANSFER_COUNTERS)},
            cancel_reason=str(row.get("cancel_reason", "")),
        )


_COUNTERS = ("picked", "short", "ready", "collected", "cancelled", "restocked")
_TRANSFER_COUNTERS = ("inbound", "shipped", "received")  # in a row only when inbound


@dataclass(frozen=True)
class PickupOrder:
    """A pickup fulfilment order as a counter works on it."""

    id: int
    order_number: str
    location: str  # code of the store that holds it
    state: FulfilmentState
    lines: tuple[PickupLine, ...]
    customer_name: str = ""
    customer_phone: str = ""
    bin: str | None = None
    pickup_by: datetime | None = None  # server time; set when the first line is ready
    pickup_code_hash: str = ""
    pickup_code_salt: str = ""
    log: dict[str, Any] = field(default_factory=dict)  # ready messages, proofs, cancels

    def line(self, sku: str) -> PickupLine:
        return line_of(self.lines, sku, self.order_number)

    @property
    def is_open(self) -> bool:
        return self.state not in (S.CANCELLED, S.REROUTED, S.COLLECTED, S.SHORT)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PickupOrder:
        """The view of a fulfilment scope row (SCOPE_COLUMNS + SCOPE_EXTENSIONS keys).

        JSON columns may come as text (a station cache) or parsed; ``pickup_by`` as ISO
        text or a datetime (naive means UTC).
        """
        lines = _json(row["lines"]) or []
        pickup_by = row.get("pickup_by")
        if isinstance(pickup_by, str):
            pickup_by = datetime.fromisoformat(pickup_by)
        if isinstance(pickup_by, datetime) and pickup_by.tzinfo is None:
            pickup_by = pickup_by.replace(tzinfo=UTC)
        return cls(
            id=int(row["id"]),
            order_number=str(row["order_number"]),
            location=str(row.get("location_code") or ""),
            state=FulfilmentState(row["state"]),
            lines=tuple(PickupLine.from_row(line) for line in lines),
            customer_name=str(row.get("customer_name") or ""),
            customer_phone=str(row.get("customer_phone") or ""),
            bin=row.get("bin"),
            pickup_by=pickup_by,
            pickup_code_hash=str(row.get("pickup_code_hash") or ""),
            pickup_code_salt=str(row.get("pickup_code_salt") or ""),
            log=dict(_json(row.get("pickup_log")) or {}),
        )


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class StockEffect:
    """What a step means for sellable stock of one item at the order's store."""

    item_id: int
    sku: str
    on_hand: int  # the movement's quantity (0 for a handover of units already picked)
    reserved: int  # change of active reservations
    kind: MovementKind | None  # the movement to post; None: reservations only
    bucket: Bucket = Bucket.SELLABLE  # a transfer receipt moves units out of in_transit


@dataclass(frozen=True)
class Outcome:
    order: PickupOrder
    effects: tuple[StockEffect, ...] = ()
    exceptions: tuple[str, ...] = ()  # kinds: collected_after_cancel, short_pick
    note: str = ""  # for the timeline


def derive_state(order: PickupOrder, lines: Sequence[PickupLine]) -> FulfilmentState:
    """The state the counters put the order in (rerouted is kept: it is set centrally)."""
    if order.state in CLOSED_CENTRALLY:
        return order.state
    wanted = sum(line.wanted for line in lines)
    collected = sum(min(line.collected, line.wanted) for line in lines)
    if wanted == 0:
        if any(line.collected for line in lines):
            return S.COLLECTED
        cancelled = any(line.cancelled for line in lines)
        return S.CANCELLED if cancelled or not any(line.short for line in lines) else S.SHORT
    if collected >= wanted:
        return S.COLLECTED
    if any(line.ready_waiting for line in lines):
        return S.READY_FOR_PICKUP
    to_pick = sum(line.to_pick for line in lines)
    if to_pick == 0 and order.bin:
        return S.STAGED
    if to_pick == 0:
        return S.PICKED
    if all(line.to_pick == line.coming for line in lines):
        return S.AWAITING_TRANSFER  # what is left to pick all comes from the warehouse
    if any(line.picked or line.short for line in lines):
        return S.PICKING
    return order.state if order.state in (S.ROUTED, S.ACCEPTED) else S.ACCEPTED
