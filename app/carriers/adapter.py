"""The carrier adapter: what a carrier integration (our own riders, the simulator, later
Delhivery, Blue Dart, Shiprocket, India Post) does for us, and the errors it raises.

Exactly once: every booking carries our idempotency key, the parcel's SSCC. A carrier
keeps the first booking made with a key and answers every later booking with that key
with the same booking, so a booking sent again after a lost or late answer never books
the parcel twice.

Tracking is pulled: ``events(after)`` reads the carrier's event feed from a cursor we keep.
A carrier may also push the same events to a webhook; the feed fills whatever a push
missed while we were down, so pulling stays the contract.

Errors tell the three things the world does apart, because what the bench does next
differs: ``CarrierDown`` (nothing was booked: try later), ``CarrierRefused`` (the carrier
said no, with its reason: choose another carrier or fix the parcel) and ``CarrierSlow``
(no answer in time: the parcel may be booked; book again with the same SSCC to find out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from app.domain.gtin import validate_sscc
from app.domain.master_fields import check_pincode
from app.errors import BadInput, KnownError


class EventKind(StrEnum):
    """What happened to a parcel on its way, in the carrier's feed."""

    SHIPPED = "shipped"  # collected from us
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    FAILED_DELIVERY = "failed_delivery"  # nobody home, address not found …
    RTO = "rto"  # returned to origin: on its way back to us


@dataclass(frozen=True)
class Consignee:
    """Who the parcel goes to."""

    name: str
    address: str
    city: str
    pincode: str
    phone: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "pincode", check_pincode(self.pincode))


@dataclass(frozen=True)
class Parcel:
    """A packed parcel as a carrier books it; ``sscc`` is the idempotency key."""

    sscc: str
    order_number: str
    consignee: Consignee
    weight_g: int
    value_paise: int  # declared value, for the carrier's liability
    cash_on_delivery_paise: int = 0  # 0: prepaid

    def __post_init__(self) -> None:
        validate_sscc(self.sscc)
        if self.weight_g <= 0:
            raise BadInput(f"The parcel weight {self.weight_g} g is not a weight.")
        if self.value_paise < 0 or self.cash_on_delivery_paise < 0:
            raise BadInput("A parcel's value and cash on delivery are never below ₹0.")


@dataclass(frozen=True)
class LabelData:
    """What the carrier wants printed on its label beside ours."""

    service: str  # the carrier's service, e.g. "Express"
    routing_code: str  # the destination hub, printed large
    sort_code: str  # the lane at that hub
    barcode: str  # the value of the carrier's Code 128 barcode


@dataclass(frozen=True)
class Booking:
    """A parcel booked with a carrier."""

    carrier: str  # the carrier's code in our master data
    sscc: str
    tracking: str
    label: LabelData
    booked_at: datetime
    found: bool = False  # True: this answer found a booking made earlier with the SSCC


@dataclass(frozen=True)
class TrackingEvent:
    """One event of a carrier's feed; ``seq`` orders the feed."""

    seq: int
    tracking: str
    sscc: str
    kind: EventKind
    at: datetime
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class EventPage:
    """Events after a cursor, and the cursor to read the next page from."""

    events: tuple[TrackingEvent, ...]
    cursor: int


class CarrierAdapter(Protocol):
    """What every carrier integration does. Methods that reach the carrier raise
    ``CarrierDown``, ``CarrierRefused`` or ``CarrierSlow``."""

    code: str  # our master data's carrier code
    name: str  # the carrier's name, as the bench says it
    needs_network: bool  # False: books offline (our own riders)

    def serviceable(self, pincode: str) -> bool:
        """Whether the carrier delivers to ``pincode``."""
        ...

    def book(self, parcel: Parcel) -> Booking:
        """Book ``parcel``, or find the booking already made with its SSCC."""
        ...

    def booking(self, sscc: str) -> Booking | None:
        """The booking made with ``sscc``, if any (to settle an unknown outcome)."""
        ...

    def cancel(self, tracking: str) -> None:
        """Cancel a booking; cancelling a cancelled one is fine, a shipped one is refused."""
        ...

    def events(self, after: int) -> EventPage:
        """The carrier's tracking events after cursor ``after`` (0: from the start)."""
        ...


class CarrierError(KnownError):
    """Something a carrier did; ``carrier`` is its name."""

    def __init__(self, carrier: str, message: str, *, next_step: str = "") -> None:
        super().__init__(message, next_step=next_step)
        self.carrier = carrier


class CarrierDown(CarrierError):
    """The carrier cannot be reached or said it is unavailable: nothing was booked."""

    def __init__(self, carrier: str) -> None:
        super().__init__(
            carrier,
            f"{carrier} cannot be reached just now; nothing was booked.",
            next_step="Keep the parcel on the bench: its label prints when the carrier answers.",
        )


class CarrierRefused(CarrierError):
    """The carrier said no; ``reason`` is its reason in a packer's words."""

    def __init__(self, carrier: str, reason: str) -> None:
        super().__init__(
            carrier,
            f"{carrier} refused the parcel: {reason}",
            next_step="Send it with another carrier or our own riders, or fix what it says.",
        )
        self.reason = reason


class CarrierSlow(CarrierError):
    """No answer in time: the outcome is unknown (a booking may have been made)."""

    def __init__(self, carrier: str, *, booking: bool = True) -> None:
        if booking:
            said = f"{carrier} did not answer in time; the parcel may or may not be booked."
            step = (
                "Try again: the same parcel finds its booking if there is one. "
                "Do not give it to another carrier before."
            )
        else:
            said, step = f"{carrier} did not answer in time.", "Try again in a minute."
        super().__init__(carrier, said, next_step=step)
