"""Walk-in sales from the retailer's till system (the order-intake token, as an
integration; not a station)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.domain.master_fields import check_text
from app.domain.till_sales import (
    SaleLine,
    TillSale,
    check_email,
    check_phone,
)
from app.ledger.api.auth import require_order_intake
from app.ledger.api.errors import documented
from app.ledger.returns.sales import take_sale
from app.sync.return_orders import SALES_PATH, SaleRecorded, TillSaleIn

router = APIRouter(dependencies=[Depends(require_order_intake)], tags=["returns"])


@router.post(SALES_PATH, response_model=SaleRecorded, responses=documented(404, 409))
def post_sale(body: TillSaleIn, request: Request) -> Response:
    """Keep a till receipt as an order (channel ``store``, method ``walkin``) so it can be
    returned like any order; no stock moves (the till already sold the units).

    The same receipt again answers the same; another sale under a receipt number already
    used (or a web order's number) is 409 ``receipt_taken``. An unknown store or SKU is
    404; a location that is not a store, 409.
    """
    sale = TillSale(
        receipt=body.receipt,
        location=body.location.upper(),
        sold_at=body.sold_at,
        payment=body.payment,
        lines=tuple(SaleLine(x.sku.upper(), x.quantity, x.unit_paid_minor) for x in body.lines),
        phone=check_phone(body.customer_phone),
        email=check_email(body.customer_email),
        name=check_text(body.customer_name, "customer name", 120, required=False),
    )
    recorded = take_sale(request.app.state.engine, sale)
    return Response(recorded.model_dump_json(), media_type="application/json")
