"""What a carrier's tracking event means for the store, in its words: the parcel's state,
the line on the order's timeline, and what the store must do next when a parcel does not
reach its customer. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from app.domain.exception_texts import DELIVERY_FAILED, RETURNING_TO_STORE
from app.errors import BadInput

SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY = "shipped", "in_transit", "out_for_delivery"
DELIVERED, FAILED_DELIVERY, RTO = "delivered", "failed_delivery", "rto"
KINDS = (SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, FAILED_DELIVERY, RTO)


_SAID = {
    SHIPPED: "collected by the carrier",
    IN_TRANSIT: "in transit",
    OUT_FOR_DELIVERY: "out for delivery",
    DELIVERED: "delivered",
    FAILED_DELIVERY: "failed delivery",
    RTO: "returning to the store",
}


def checked_kind(kind: str) -> str:
    """``kind`` if it is a tracking event we know; ``BadInput`` otherwise."""
    if kind not in KINDS:
        raise BadInput(
            f"'{kind}' is not a tracking event we know.",
            next_step=f"Send one of: {', '.join(KINDS)}.",
        )
    return kind


def kind_in_words(kind: str) -> str:
    """A tracking event as the store says it: "out for delivery"."""
    return _SAID.get(kind, kind.replace("_", " "))


@dataclass(frozen=True)
class TrackingNews:
    """One carrier event about one of our parcels."""

    order_number: str
    location: str  # the shipping location's code
    sscc: str
    carrier: str  # the carrier's name
    kind: str
    day: str  # the event's date as the store reads it, e.g. "2026-12-06"
    place: str = ""
    note: str = ""  # the carrier's reason, if it gave one

    def timeline_note(self) -> str:
        """The line on the order's timeline: "Parcel … delivered by Swift Express on …"."""
        where = f" at {self.place}" if self.place else ""
        why = f" ({self.note})" if self.note else ""
        return (
            f"Parcel {self.sscc} {kind_in_words(self.kind)}{why}{where}, "
            f"{self.carrier}, {self.day}."
        )

    def store_must(self) -> tuple[str, str, str] | None:
        """The exception to open (kind, what happened, what to do), or None."""
        if self.kind == FAILED_DELIVERY:
            why = f" ({self.note})" if self.note else ""
            return (
                DELIVERY_FAILED,
                f"{self.order_number} failed delivery{why}",
                "Call the customer and rebook, or wait for the carrier's second attempt.",
            )
        if self.kind == RTO:
            return (
                RETURNING_TO_STORE,
                f"{self.order_number} returning to {self.location}",
                "Receive it at the bench when it arrives.",
            )
        return None


def parcel_tracking(parcel: Mapping[str, Any], zone: tzinfo) -> str:
    """Where a pulled parcel is as the bench reads it ("" before any carrier event):
    "Parcel 0890…0016: delivered on 06 Dec 2026", "…: out for delivery"."""
    state = str(parcel.get("state") or "")
    if not state or parcel.get("void"):
        return ""
    said = f"Parcel {parcel.get('sscc', '')}: {kind_in_words(state)}"
    delivered = parcel.get("delivered_at")
    if state == DELIVERED and delivered:
        day = datetime.fromisoformat(str(delivered)).astimezone(zone)
        said += f" on {day:%d %b %Y}"
    return said


def order_state_after(state: str, parcel_states: Sequence[str]) -> str:
    """A packed order's state once carriers have told where its live parcels are: shipped
    when one has left with a carrier, delivered when every one is delivered. Any other
    state is left as it is (an order still being packed, a closed one)."""
    if state not in ("packed", "shipped") or not parcel_states:
        return state
    if all(s == DELIVERED for s in parcel_states):
        return "delivered"
    return "shipped" if any(parcel_states) else state
