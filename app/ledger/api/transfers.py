"""Ship-for-pickup transfers (admin token): list them, look one up, ship one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from app.ledger.api.auth import require_admin
from app.ledger.transfers import TransferOut, list_transfers, ship_transfer, transfer_view

router = APIRouter()


class ShipRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    by: str = Field(default="warehouse", min_length=1, max_length=40)  # who dispatched it


@router.get(
    "/transfers",
    response_model=list[TransferOut],
    dependencies=[Depends(require_admin)],
    tags=["transfers"],
)
def transfers(
    request: Request,
    status: Annotated[str | None, Query(max_length=12)] = None,
    location: Annotated[str | None, Query(max_length=20)] = None,
) -> list[TransferOut]:
    """Transfers oldest first, e.g. ``?status=open&location=WH-BHW`` for the pick list."""
    return list_transfers(request.app.state.engine, status, location)


@router.get(
    "/transfers/{transfer_id}",
    response_model=TransferOut,
    dependencies=[Depends(require_admin)],
    tags=["transfers"],
)
def transfer(transfer_id: int, request: Request) -> TransferOut:
    """One transfer with its lines: asked for, shipped, received."""
    return transfer_view(request.app.state.engine, transfer_id)


@router.post(
    "/transfers/{transfer_id}/ship",
    response_model=TransferOut,
    dependencies=[Depends(require_admin)],
    tags=["transfers"],
)
def ship(transfer_id: int, body: ShipRequest, request: Request) -> TransferOut:
    """The warehouse dispatched it: the units leave its stock (reservation consumed) and
    are in transit to the store until received there by scan."""
    return ship_transfer(request.app.state.engine, transfer_id, body.by)
