"""Parcel booking endpoints (station token): book a packed parcel with its carrier, and
cancel the booking of a voided one.

``POST /parcels/{sscc}/booking`` answers the parcel's booking (asking twice answers the
same one); ``POST /parcels/{sscc}/booking/cancel`` cancels it at the carrier once the
parcel's void has reached the ledger. A carrier that says no answers 409
``carrier_refused`` with its reason; one that cannot be reached 503 ``carrier_down``
(nothing booked); one that did not answer in time 504 ``carrier_slow`` (ask again: the
same parcel finds its booking if one was made).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.carriers.adapter import CarrierDown, CarrierError, CarrierRefused
from app.ledger.api.auth import require_device
from app.ledger.api.errors import documented, error_response
from app.ledger.devices import DeviceRef
from app.ledger.parcel_booking import AdapterOf, book_parcel, cancel_booking, carrier_adapters
from app.ledger.parcel_booking_rows import ParcelBooking

router = APIRouter(tags=["parcels"])
Sscc = Annotated[str, Path(pattern=r"^[0-9]{18}$")]


class BookingOut(BaseModel):
    """A parcel's booking: ``state`` booked (by the carrier), local (our own riders:
    tracking is the SSCC) or cancelled; the carrier's label data to print."""

    sscc: str
    carrier: str
    carrier_name: str
    state: str
    tracking: str
    service: str = ""
    routing_code: str = ""
    sort_code: str = ""
    barcode: str = ""
    booked_at: str = ""
    note: str = ""


def _out(booking: ParcelBooking) -> BookingOut:
    return BookingOut(**booking.__dict__)


def _adapters(request: Request) -> AdapterOf:
    adapters: AdapterOf | None = getattr(request.app.state, "carrier_adapters", None)
    return adapters or carrier_adapters()


def carrier_answer(exc: CarrierError) -> JSONResponse:
    """The carrier's failure as an answer the bench can tell apart (see the module)."""
    if isinstance(exc, CarrierRefused):
        status, error = 409, "carrier_refused"
    elif isinstance(exc, CarrierDown):
        status, error = 503, "carrier_down"
    else:
        status, error = 504, "carrier_slow"
    return error_response(status, error, exc.message, exc.next_step, carrier=exc.carrier)


@router.post(
    "/parcels/{sscc}/booking", response_model=BookingOut, responses=documented(404, 409, 422)
)
def book(
    sscc: Sscc, request: Request, device: Annotated[DeviceRef, Depends(require_device)]
) -> BookingOut | JSONResponse:
    """Book a packed parcel with its carrier, or answer the booking it has."""
    try:
        booking = book_parcel(request.app.state.engine, device, sscc, _adapters(request))
    except CarrierError as exc:
        return carrier_answer(exc)
    return _out(booking)


@router.post(
    "/parcels/{sscc}/booking/cancel",
    response_model=BookingOut,
    responses=documented(404, 409, 422),
)
def cancel(
    sscc: Sscc, request: Request, device: Annotated[DeviceRef, Depends(require_device)]
) -> BookingOut | JSONResponse:
    """Cancel the carrier's booking of a parcel whose label was voided."""
    try:
        booking = cancel_booking(request.app.state.engine, device, sscc, _adapters(request))
    except CarrierError as exc:
        return carrier_answer(exc)
    return _out(booking)
