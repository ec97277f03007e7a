"""Pickup endpoints: locate a pickup order (device), expiry, central cancel and reroute (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.ledger.api.auth import require_admin, require_device
from app.ledger.api.bounds import ServerTime
from app.ledger.api.errors import documented
from app.ledger.devices import DeviceRef
from app.ledger.holds import cancel_order, expire_holds, locate_pickup, reroute
from app.ledger.writes import utcnow
from app.sync.protocol import PickupLocated

router = APIRouter()
JSON = "application/json"


class ExpireRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    now: ServerTime | None = None  # the server time to expire holds at (default: the clock)


class ExpireResult(BaseModel):
    now: str
    expired: list[str]  # order numbers cancelled as no-shows


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=200)


class RerouteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    location: str  # the store the order moves away from
    reason: str = Field(min_length=1, max_length=200)


class ChangeResult(BaseModel):
    order_number: str
    result: list[str]


@router.get(
    "/pickups/locate", response_model=PickupLocated, tags=["pickups"], responses=documented(404)
)
def locate(
    request: Request,
    device: Annotated[DeviceRef, Depends(require_device)],
    q: Annotated[str, Query(min_length=1, max_length=80)],
) -> Response:
    """Which store holds a pickup order (by order number, pickup code or QR text)."""
    found = locate_pickup(request.app.state.engine, q)
    return Response(found.model_dump_json(), media_type=JSON)


@router.post(
    "/admin/expire-holds",
    response_model=ExpireResult,
    dependencies=[Depends(require_admin)],
    tags=["pickups"],
)
def expire(body: ExpireRequest, request: Request) -> ExpireResult:
    """Cancel pickups not collected by the end of their hold, as of ``now`` (server time)."""
    now = body.now or utcnow()
    return ExpireResult(now=now.isoformat(), expired=expire_holds(request.app.state.engine, now))


@router.post(
    "/orders/{order_number}/cancel",
    response_model=ChangeResult,
    dependencies=[Depends(require_admin)],
    tags=["orders"],
    responses=documented(404, 409),
)
def cancel(order_number: str, body: CancelRequest, request: Request) -> ChangeResult:
    """Cancel an order centrally (customer service): reservations released, picks to restock."""
    states = cancel_order(request.app.state.engine, order_number, body.reason, "admin")
    return ChangeResult(order_number=order_number, result=states)


@router.post(
    "/orders/{order_number}/reroute",
    response_model=ChangeResult,
    dependencies=[Depends(require_admin)],
    tags=["orders"],
    responses=documented(404, 409),
)
def move(order_number: str, body: RerouteRequest, request: Request) -> ChangeResult:
    """Move an order's unpicked units away from a store to the best other one(s)."""
    went = reroute(request.app.state.engine, order_number, body.location, body.reason)
    return ChangeResult(order_number=order_number, result=went)
