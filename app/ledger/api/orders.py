"""Order intake from the web shop and marketplaces (admin token)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.ledger.api.auth import require_admin
from app.ledger.orders import place_order
from app.sync.protocol import OrderAccepted, OrderIntake

router = APIRouter()


@router.post(
    "/orders",
    response_model=OrderAccepted,
    dependencies=[Depends(require_admin)],
    tags=["orders"],
)
def intake_order(body: OrderIntake, request: Request) -> Response:
    """Route an order, reserve its stock and open its fulfilment orders."""
    accepted = place_order(request.app.state.engine, body)
    return Response(accepted.model_dump_json(), media_type="application/json")
