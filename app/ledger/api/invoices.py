"""Number blocks of a station's (device's) tax invoice and credit note series:
``POST /v1/invoice-blocks``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from app.ledger.api.auth import require_device
from app.ledger.api.errors import documented
from app.ledger.devices import DeviceRef
from app.ledger.invoice_blocks import hand_out
from app.ledger.writes import utcnow
from app.sync.invoice_blocks import INVOICE_BLOCKS_PATH, InvoiceBlocksAnswer, InvoiceBlocksRequest

router = APIRouter()


@router.post(
    INVOICE_BLOCKS_PATH,
    response_model=InvoiceBlocksAnswer,
    tags=["devices"],
    responses=documented(409),
)
def invoice_blocks(
    body: InvoiceBlocksRequest,
    request: Request,
    device: Annotated[DeviceRef, Depends(require_device)],
) -> Response:
    """The station's number blocks of a series (``invoice`` when the request names none,
    or ``credit_note``) after the highest serial it holds; a new block when it holds none
    after it."""
    answer = hand_out(request.app.state.engine, device, body, utcnow())
    return Response(answer.model_dump_json(), media_type="application/json")
