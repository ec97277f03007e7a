"""Ship-for-pickup transfers (admin token): list them, look one up, ship one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.ledger.api.auth import require_admin
from app.ledger.api.bounds import RowId
from app.ledger.api.errors import documented
from app.ledger.transfers import (
    STATUSES,
    TransferOut,
    list_transfers,
    ship_transfer,
    transfer_view,
)

router = APIRouter(dependencies=[Depends(require_admin)], tags=["transfers"])


class ShipRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # who dispatched it: some text that is not all spaces (in Python's, Rust's or
    # JavaScript's sense of a space, so the documented pattern says what is checked)
    by: str = Field(
        default="warehouse", min_length=1, max_length=40, pattern=r"[^\s\x1c-\x1f\x85\ufeff]"
    )


@router.get(
    "/transfers",
    response_model=list[TransferOut],
    responses=documented(404),
)
def transfers(
    request: Request,
    status: Annotated[
        str | None, Query(max_length=12, json_schema_extra={"enum": list(STATUSES)})
    ] = None,
    location: Annotated[str | None, Query(max_length=20)] = None,
) -> list[TransferOut]:
    """Transfers oldest first, e.g. ``?status=open&location=WH-BHW`` for the pick list."""
    return list_transfers(request.app.state.engine, status, location)


@router.get(
    "/transfers/{transfer_id}",
    response_model=TransferOut,
    responses=documented(404),
)
def transfer(transfer_id: RowId, request: Request) -> TransferOut:
    """One transfer with its lines: asked for, shipped, received."""
    return transfer_view(request.app.state.engine, transfer_id)


@router.post(
    "/transfers/{transfer_id}/ship",
    response_model=TransferOut,
    responses=documented(404, 409),
)
def ship(transfer_id: RowId, body: ShipRequest, request: Request) -> TransferOut:
    """The warehouse dispatched it: the units leave its stock (reservation consumed) and
    are in transit to the store until received there by scan."""
    return ship_transfer(request.app.state.engine, transfer_id, body.by)
