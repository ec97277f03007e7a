"""Customer message endpoints (admin token): reminders and sending on a given server time,
the list of messages, and resending a stuck or failed one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict

from app.errors import RuleRefused
from app.ledger.api.auth import require_admin
from app.ledger.api.bounds import RowId, ServerTime
from app.ledger.api.errors import documented
from app.ledger.message_sending import requeue_message, send_messages
from app.ledger.messages import MessageRecord, list_messages, queue_reminders
from app.ledger.senders import MessageSender
from app.ledger.writes import utcnow

router = APIRouter(dependencies=[Depends(require_admin)], tags=["messages"])
MAX_LIST = 500


class ClockRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    now: ServerTime | None = None  # the server time to act at (default: the clock)


class RemindResult(BaseModel):
    now: str
    queued: list[str]  # "ORDER day N" for each reminder queued


class SendResult(BaseModel):
    now: str
    sent: list[str]  # dedupe keys
    retrying: list[str]
    failed: list[str]
    skipped: list[str]  # no longer true when their turn came (order collected, cancelled …)
    stuck: list[int]  # message ids cut off while sending: a person checks them
    summary: str


@router.post("/admin/remind-pickups", response_model=RemindResult)
def remind(body: ClockRequest, request: Request) -> RemindResult:
    """Queue the pickup reminders due at ``now`` (server time)."""
    now = body.now or utcnow()
    return RemindResult(now=now.isoformat(), queued=queue_reminders(request.app.state.engine, now))


@router.post("/admin/send-messages", response_model=SendResult, responses=documented(409))
def send(body: ClockRequest, request: Request) -> SendResult:
    """Send the queued customer messages now, with the ledger's sender."""
    sender: MessageSender | None = getattr(request.app.state, "sender", None)
    if sender is None:
        raise RuleRefused(
            "This ledger has no message sender.",
            next_step="Start it with `counterbench ledger serve` (messages go to a file).",
        )
    now = body.now or utcnow()
    report = send_messages(request.app.state.engine, sender, now=now)
    return SendResult(
        now=now.isoformat(),
        sent=report.sent,
        retrying=report.retrying,
        failed=report.failed,
        skipped=report.skipped,
        stuck=report.stuck,
        summary=report.summary(),
    )


@router.get("/admin/messages", response_model=list[MessageRecord])
def messages(
    request: Request,
    order: Annotated[str | None, Query(max_length=40)] = None,
    state: Annotated[str | None, Query(pattern="^(queued|sending|sent|failed|skipped)$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIST)] = 200,
) -> list[MessageRecord]:
    """Customer messages, oldest first: of one order, in one state, or the latest
    ``limit`` (at most 500 at a time: a bigger limit is refused with 422)."""
    return list_messages(request.app.state.engine, order_number=order, state=state, limit=limit)


@router.post(
    "/admin/messages/{message_id}/requeue",
    response_model=MessageRecord,
    responses=documented(404, 409),
)
def requeue(message_id: RowId, request: Request) -> MessageRecord:
    """Send a stuck or failed message again on the next run; 409 with the reason, and
    nothing changed, for one being sent now, one with no phone or email address, or one
    that changed meanwhile."""
    return requeue_message(request.app.state.engine, message_id)
