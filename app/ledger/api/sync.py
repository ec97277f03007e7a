"""Enrolment and the sync endpoints: push, pull, snapshot."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.ledger import feed
from app.ledger.api.auth import require_device
from app.ledger.devices import DeviceRef, enrol
from app.sync.protocol import (
    SEQ_MAX,
    EnrolRequest,
    EnrolResponse,
    GapError,
    PullResponse,
    PushRequest,
    PushResponse,
    ReusedOpError,
    SnapshotPage,
    known_scope,
)

router = APIRouter()
JSON = "application/json"
Device = Annotated[DeviceRef, Depends(require_device)]


@router.post("/enrol", response_model=EnrolResponse, tags=["devices"])
def enrol_station(body: EnrolRequest, request: Request) -> Response:
    """Trade a one-time enrol code for a device id and token (the code is consumed)."""
    answer = enrol(request.app.state.engine, body)
    return Response(answer.model_dump_json(), media_type=JSON)


@router.post(
    "/sync/push",
    response_model=PushResponse,
    responses={409: {"model": GapError}, 422: {"model": ReusedOpError}},
    tags=["sync"],
)
def push_ops(body: PushRequest, request: Request, device: Device) -> Response:
    """Apply the device's operations in device_seq order, each exactly once."""
    answer = request.app.state.pushes.push(device, body)
    return Response(answer.model_dump_json(), media_type=JSON)


@router.get("/sync/pull", response_model=PullResponse, tags=["sync"])
def pull_changes(
    request: Request,
    device: Device,
    cursor: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=feed.MAX_PULL)] = 5000,
) -> Response:
    """Changes in the device's scope after ``cursor``; checksums on the last page."""
    return Response(feed.pull(request.app.state.engine, device, cursor, limit), media_type=JSON)


@router.get("/sync/snapshot", response_model=SnapshotPage, tags=["sync"])
def snapshot_page(
    request: Request,
    device: Device,
    scope: Annotated[str, Query(min_length=1, max_length=64)],
    after: Annotated[int, Query(ge=0, le=SEQ_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=feed.MAX_SNAPSHOT)] = 20000,
    extended: bool = False,
) -> Response:
    """One page of the device's rows of ``scope`` with id > ``after``, in id order.

    A scope this ledger does not know (a newer station's) answers one empty last page.
    ``extended`` is accepted for old stations and changes nothing.
    """
    known = known_scope(scope)
    if known is None:
        return Response(feed.empty_snapshot(request.app.state.engine, scope), media_type=JSON)
    page = feed.snapshot(request.app.state.engine, device, known, after, limit, extended)
    return Response(page, media_type=JSON)
