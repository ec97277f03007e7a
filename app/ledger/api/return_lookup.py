"""Finding what was bought, and a customer's earlier returns without one, for a return (a
station at a location that takes returns)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from app.errors import BadInput
from app.ledger.api.auth import Forbidden, require_device
from app.ledger.api.errors import documented
from app.ledger.api.text import is_storable_text
from app.ledger.devices import DeviceRef
from app.ledger.returns.lookup import Asked, ReturnsNotTaken, find_orders
from app.ledger.returns.no_receipt import customer_history
from app.sync.return_orders import (
    CODE,
    NO_RECEIPT_PATH,
    RETURN_ORDERS_PATH,
    NoReceiptHistory,
    ReturnOrdersFound,
)

router = APIRouter(tags=["returns"])
Scan = Annotated[str | None, Query(min_length=1, max_length=80)]


@router.get(RETURN_ORDERS_PATH, response_model=ReturnOrdersFound, responses=documented(403))
def get_return_orders(
    request: Request,
    device: Annotated[DeviceRef, Depends(require_device)],
    by: Annotated[str, Query(min_length=1, max_length=40, pattern=CODE)],
    order: Scan = None,
    phone: Scan = None,
    email: Scan = None,
    gtin: Scan = None,
    parcel: Scan = None,
) -> Response:
    """The orders (any channel, any location) that one of ``order`` (order or receipt
    number), ``phone``, ``email``, ``gtin`` (recent orders with the item) or ``parcel``
    (SSCC or tracking number) finds: at most 20, newest first, each with only what a
    return needs and the customer masked. ``by``: the staff member asking (audited with
    the station, what was asked and how many were found). 403 when this station's
    location does not take returns.
    """
    given = {"order": order, "phone": phone, "email": email, "gtin": gtin, "parcel": parcel}
    asked: list[Asked] = [k for k, v in given.items() if v is not None]  # type: ignore[misc]
    if len(asked) != 1:
        raise BadInput(
            "Look an order up by exactly one of: order, phone, email, gtin, parcel.",
            next_step="Scan or type one of them and look again.",
        )
    value = given[asked[0]] or ""
    if not is_storable_text(value):  # NUL or a lone surrogate: no order holds one
        raise BadInput(
            f"The {asked[0]} given holds a character that is not text.",
            next_step="Scan or type it again.",
        )
    try:
        found = find_orders(request.app.state.engine, device, asked[0], value, by=by.upper())
    except ReturnsNotTaken as exc:
        raise Forbidden(str(exc)) from None
    return Response(found.model_dump_json(), media_type="application/json")


@router.get(NO_RECEIPT_PATH, response_model=NoReceiptHistory, responses=documented(403))
def get_no_receipt_returns(
    request: Request,
    device: Annotated[DeviceRef, Depends(require_device)],
    by: Annotated[str, Query(min_length=1, max_length=40, pattern=CODE)],
    phone: Annotated[str, Query(min_length=1, max_length=32)],
) -> Response:
    """The customer's (``phone``) returns without an order, at any store, in the period
    of the limit per customer that ends today, oldest first: a counter asks before it
    takes one, so a limit another store used up is refused there. ``by``: the staff
    member asking (audited as a lookup is). 403 when this station's location does not
    take returns.
    """
    if not is_storable_text(phone):
        raise BadInput("The phone given holds a character that is not text.",
                       next_step="Type the customer's mobile number again.")  # fmt: skip
    try:
        history = customer_history(request.app.state.engine, device, phone, by=by.upper())
    except ReturnsNotTaken as exc:
        raise Forbidden(str(exc)) from None
    return Response(history.model_dump_json(), media_type="application/json")
