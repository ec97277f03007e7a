"""The adapter for a carrier of our master data: our own riders or a booked carrier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.carriers.adapter import CarrierAdapter
from app.carriers.booked import BookedCarrier
from app.carriers.local_courier import LocalCourier
from app.domain.shipping.parcels import LOCAL_COURIER
from app.errors import BadInput


def adapter_for(
    *,
    code: str,
    name: str,
    kind: str,
    prefixes: Iterable[str] = (),
    booking_url: str = "",
    **http: Any,
) -> CarrierAdapter:
    """``kind`` as in the carriers master data: ``own_fleet`` rides ``prefixes``; any other
    kind is booked over HTTP at ``booking_url`` (the simulator's, in the demo), with
    ``http`` the client's settings (``timeout_s``, ``attempts``, ``backoff_s``)."""
    if kind == LOCAL_COURIER:
        return LocalCourier(code=code, name=name, prefixes=prefixes)
    if not booking_url.strip():
        raise BadInput(
            f"{name} has no booking address, so no parcel can be booked with it.",
            next_step="Ask HQ to set the carrier's booking URL, or use our own riders.",
        )
    return BookedCarrier(code=code, name=name, base_url=booking_url.strip(), **http)
