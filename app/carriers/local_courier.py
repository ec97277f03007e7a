"""Our own riders: no network, no carrier to ask. The SSCC is the tracking number and
the riders go to the pincodes sharing a prefix with the ones they are given (the seed
gives each shipping location's three-digit sorting district).

Booking is a pure function of the parcel, so it works offline and a booking made again
is the same booking. The riders' own scans (handed over, delivered) reach us through the
bench, not through a feed of this adapter.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.carriers.adapter import (
    Booking,
    CarrierRefused,
    EventPage,
    LabelData,
    Parcel,
)
from app.domain.clock import Clock, utcnow
from app.domain.gtin import validate_sscc
from app.domain.master_fields import check_pincode

SERVICE = "Local courier"
DISTRICT_DIGITS = 3  # a pincode's sorting district: the riders' routes are planned by it


class LocalCourier:
    """The retailer's own fleet as a carrier adapter."""

    needs_network = False

    def __init__(
        self,
        *,
        code: str = "LOCAL",
        name: str = "Counterbench Riders",
        prefixes: Iterable[str],
        clock: Clock = utcnow,
    ) -> None:
        self.code = code
        self.name = name
        self.prefixes = tuple(sorted({p.strip() for p in prefixes if p.strip()}))
        self._clock = clock

    def serviceable(self, pincode: str) -> bool:
        """Whether a pincode starts with one of the riders' prefixes."""
        pin = check_pincode(pincode)
        return any(pin.startswith(prefix) for prefix in self.prefixes)

    def book(self, parcel: Parcel) -> Booking:
        """The parcel booked with our riders: its SSCC is the tracking number."""
        pin = parcel.consignee.pincode
        if not self.serviceable(pin):
            raise CarrierRefused(self.name, f"our riders do not go to pincode {pin}.")
        return Booking(
            carrier=self.code,
            sscc=parcel.sscc,
            tracking=parcel.sscc,
            label=LabelData(
                service=SERVICE,
                routing_code=pin[:DISTRICT_DIGITS],
                sort_code=pin[DISTRICT_DIGITS:],
                barcode=parcel.sscc,
            ),
            booked_at=self._clock(),
        )

    def booking(self, sscc: str) -> Booking | None:
        """Our riders keep no bookings of their own: book again to get the same one."""
        validate_sscc(sscc)
        return None

    def cancel(self, tracking: str) -> None:
        """Nothing to tell anyone: the parcel simply stays with us."""
        validate_sscc(tracking)

    def events(self, after: int) -> EventPage:
        """No feed: the riders' scans come in through the bench."""
        return EventPage(events=(), cursor=after)
