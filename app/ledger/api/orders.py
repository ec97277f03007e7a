"""Order intake from the web shop and marketplaces, and order timelines.

The order-intake token (or the admin token) places orders and reads their timelines.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.ledger.api.auth import require_order_intake
from app.ledger.api.errors import documented
from app.ledger.orders import place_order
from app.ledger.timeline import OrderTimeline, order_timeline
from app.sync.protocol import OrderAccepted, OrderIntake, OrderRefused

router = APIRouter(dependencies=[Depends(require_order_intake)], tags=["orders"])


@router.post(
    "/orders",
    response_model=OrderAccepted,
    responses={**documented(404), 409: {"model": OrderRefused}},
)
def intake_order(body: OrderIntake, request: Request) -> Response:
    """Route an order, reserve its stock and open its fulfilment orders.

    A pickup the chosen store cannot fill is taken as ship-for-pickup where the store
    allows it (from the nearest warehouse with everything), else refused (409,
    ``store_cannot_fill``) with the nearest stores that can fill it as ``alternatives``.
    An unknown SKU or store is 404.
    """
    accepted = place_order(request.app.state.engine, body)
    return Response(accepted.model_dump_json(), media_type="application/json")


@router.get("/orders/{order_number}", response_model=OrderTimeline, responses=documented(404))
def get_order_timeline(order_number: str, request: Request) -> Response:
    """Where an order was routed and every state its fulfilment orders took, with actors."""
    timeline = order_timeline(request.app.state.engine, order_number)
    return Response(timeline.model_dump_json(), media_type="application/json")
