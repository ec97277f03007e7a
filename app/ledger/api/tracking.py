"""The carriers' tracking webhook: ``POST /v1/carriers/{carrier}/events`` with one event
as the carrier simulator (and a courier's webhook) sends it, authenticated by that
carrier's token. Every event it can read is answered 202, a duplicate or one about a
parcel the ledger does not know included, so the carrier does not send it again.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.errors import BadInput
from app.ledger.api.auth import require_carrier
from app.ledger.api.errors import documented
from app.ledger.tracking.record import CarrierEvent, Taken, record_event

router = APIRouter(tags=["tracking"])


class TrackingEventIn(BaseModel):
    """One tracking event; fields a carrier adds beyond these are ignored."""

    seq: int | None = None  # its place in the carrier's feed
    tracking: str = Field(max_length=40)
    idempotency_key: str = Field(min_length=1, max_length=40)  # the parcel's SSCC, as booked
    event: str  # shipped, in_transit, out_for_delivery, delivered, failed_delivery, rto
    at: str = Field(max_length=40)  # ISO 8601 with an offset
    place: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=500)  # the carrier's reason (a failed delivery's)


class TrackingTaken(BaseModel):
    model_config = ConfigDict(frozen=True)
    status: Taken


@router.post(
    "/carriers/{carrier}/events",
    status_code=202,
    response_model=TrackingTaken,
    responses=documented(401, 422),
)
def carrier_event(
    carrier: str,
    body: TrackingEventIn,
    request: Request,
    _: str = Depends(require_carrier),
) -> Response:
    """Record one tracking event of ``carrier`` on its parcel, the order's timeline and,
    for a failed delivery or a return to origin, the shipping location's exceptions."""
    taken = record_event(request.app.state.engine, carrier, _event_of(body), via="webhook")
    return Response(
        TrackingTaken(status=taken).model_dump_json(),
        status_code=202,
        media_type="application/json",
    )


def _event_of(body: TrackingEventIn) -> CarrierEvent:
    try:
        at = datetime.fromisoformat(body.at)
    except ValueError as exc:
        raise BadInput(f"'{body.at}' is not a time.", next_step="Send ISO 8601.") from exc
    if at.tzinfo is None:
        raise BadInput(f"The time {body.at} has no UTC offset.", next_step="Add one.")
    return CarrierEvent(
        sscc=body.idempotency_key,
        tracking=body.tracking,
        kind=body.event,
        at=at,
        seq=body.seq,
        place=body.place,
        note=body.note,
    )
