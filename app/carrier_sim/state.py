"""The simulated carrier's books, in memory: serviceable prefixes, shipments keyed by the
caller's idempotency key, the tracking number series and the event feed.

Thread-safe (one lock): the API serves it from the event loop while a test reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

NATIONAL = tuple(str(digit) for digit in range(1, 9))  # every pincode (first digit 1 … 8)
MAX_WEIGHT_G = 30_000
SERIES_DIGITS = 10
BOOKED, CANCELLED = "booked", "cancelled"
SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY = "shipped", "in_transit", "out_for_delivery"
DELIVERED, FAILED_DELIVERY, RTO = "delivered", "failed_delivery", "rto"

# status -> (the next event by default, every event allowed next)
NEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    BOOKED: (SHIPPED, (SHIPPED,)),
    SHIPPED: (IN_TRANSIT, (IN_TRANSIT,)),
    IN_TRANSIT: (OUT_FOR_DELIVERY, (OUT_FOR_DELIVERY,)),
    OUT_FOR_DELIVERY: (DELIVERED, (DELIVERED, FAILED_DELIVERY)),
    FAILED_DELIVERY: (OUT_FOR_DELIVERY, (OUT_FOR_DELIVERY, RTO)),
}
PLACES = {SHIPPED: "origin hub", IN_TRANSIT: "line haul", OUT_FOR_DELIVERY: "delivery centre"}

# the hubs of a few sorting zones (a pincode's first two digits); others get "Z" + digits
HUBS = {"11": "DEL", "38": "AMD", "40": "BOM", "41": "PNQ", "50": "HYD", "56": "BLR",
        "60": "MAA", "70": "CCU"}  # fmt: skip


class SimRefusal(Exception):
    """The carrier says no (answered 422, or 409 for a conflict); ``reason`` in words."""

    def __init__(self, reason: str, *, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class UnknownShipment(Exception):
    """No shipment with that tracking number or key (answered 404)."""


@dataclass(frozen=True)
class Shipment:
    key: str  # the caller's idempotency key
    tracking: str
    request: dict[str, Any]  # the booking request as first received
    service: str
    routing_code: str
    sort_code: str
    booked_at: datetime
    status: str = BOOKED


@dataclass(frozen=True)
class Event:
    seq: int
    tracking: str
    key: str
    kind: str
    at: datetime
    place: str


class SimCarrier:
    """One simulated carrier's books."""

    def __init__(
        self,
        *,
        prefixes: Iterable[str] = NATIONAL,
        series: str = "SW",
        service: str = "Express",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.prefixes = tuple(prefixes)
        self.series = series
        self.service = service
        self._clock = clock
        self._lock = threading.Lock()
        self._by_key: dict[str, Shipment] = {}
        self._by_tracking: dict[str, str] = {}  # tracking -> key
        self._events: list[Event] = []
        self.issued = 0  # tracking numbers issued: one per booking ever made

    def serviceable(self, pincode: str) -> bool:
        return pincode.isdigit() and any(pincode.startswith(p) for p in self.prefixes)

    def book(self, key: str, request: dict[str, Any]) -> tuple[Shipment, bool]:
        """The shipment booked with ``key`` and whether this call made it."""
        with self._lock:
            first = self._by_key.get(key)
            if first is not None:
                if first.request != request:
                    raise SimRefusal(
                        f"{key} was booked before for another parcel "
                        f"(order {first.request.get('reference', '?')}).",
                        status=409,
                    )
                return first, False
            pincode = str(request["consignee"]["pincode"])
            self._check(pincode, int(request["weight_g"]))
            self.issued += 1
            shipment = Shipment(
                key=key,
                tracking=f"{self.series}{self.issued:0{SERIES_DIGITS}d}",
                request=request,
                service=self.service,
                routing_code=f"{HUBS.get(pincode[:2], 'Z' + pincode[:2])}/{pincode[:3]}",
                sort_code=f"S{pincode[3:5]}",
                booked_at=self._clock(),
            )
            self._by_key[key] = shipment
            self._by_tracking[shipment.tracking] = key
            return shipment, True

    def _check(self, pincode: str, weight_g: int) -> None:
        if not self.serviceable(pincode):
            raise SimRefusal(f"we do not deliver to pincode {pincode}.")
        if weight_g > MAX_WEIGHT_G:
            raise SimRefusal(f"the parcel weighs more than {MAX_WEIGHT_G // 1000} kg.")

    def find(self, key: str) -> Shipment:
        with self._lock:
            if key not in self._by_key:
                raise UnknownShipment(key)
            return self._by_key[key]

    def get(self, tracking: str) -> Shipment:
        with self._lock:
            return self._get(tracking)

    def _get(self, tracking: str) -> Shipment:
        key = self._by_tracking.get(tracking)
        if key is None:
            raise UnknownShipment(tracking)
        return self._by_key[key]

    def shipments(self) -> list[Shipment]:
        with self._lock:
            return list(self._by_key.values())

    def cancel(self, tracking: str) -> Shipment:
        """Cancel a booking; again is fine, once collected it is refused."""
        with self._lock:
            shipment = self._get(tracking)
            if shipment.status not in (BOOKED, CANCELLED):
                raise SimRefusal("our driver has already collected it.", status=409)
            return self._set(shipment, CANCELLED)

    def advance(self, tracking: str, to: str | None = None) -> Event:
        """Move a shipment to its next event (or to ``to``, if that may come next)."""
        with self._lock:
            shipment = self._get(tracking)
            default, allowed = NEXT.get(shipment.status, ("", ()))
            kind = to or default
            if kind not in allowed:
                raise SimRefusal(f"a {shipment.status} shipment cannot become {kind or 'more'}.")
            self._set(shipment, kind)
            event = Event(
                seq=len(self._events) + 1,
                tracking=tracking,
                key=shipment.key,
                kind=kind,
                at=self._clock(),
                place=PLACES.get(kind, shipment.routing_code),
            )
            self._events.append(event)
            return event

    def _set(self, shipment: Shipment, status: str) -> Shipment:
        changed = replace(shipment, status=status)
        self._by_key[shipment.key] = changed
        return changed

    def events_after(self, after: int, limit: int) -> list[Event]:
        with self._lock:
            return self._events[max(after, 0) : max(after, 0) + limit]
