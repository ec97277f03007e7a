"""Things a person must resolve: ops the ledger rejected, and the ledger's own flags."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.orm import Session

from app.domain.exception_ops import RESOLVE_EXCEPTION
from app.domain.operations import OperationStatus
from app.storage.models import (
    ExceptionResolution,
    FulfilmentOrder,
    Item,
    LedgerException,
    OutboxOp,
)


def rejected_ops(session: Session) -> list[OutboxOp]:
    """Rejected operations nobody has resolved yet, oldest first."""
    resolved = select(ExceptionResolution.key)
    return list(
        session.scalars(
            select(OutboxOp)
            .where(
                OutboxOp.status == OperationStatus.REJECTED.value,
                ("op:" + OutboxOp.op_id).not_in(resolved),
            )
            .order_by(OutboxOp.device_seq)
        )
    )


def open_ledger_exceptions(session: Session) -> list[LedgerException]:
    resolved = select(ExceptionResolution.key)
    return list(
        session.scalars(
            select(LedgerException)
            .where(
                LedgerException.status == "open",
                ("ledger:" + cast(LedgerException.id, Text)).not_in(resolved),
            )
            .order_by(LedgerException.id)
        )
    )


def orders(session: Session, fulfilment_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Order number and state of each fulfilment order cached here."""
    if not fulfilment_ids:
        return {}
    rows = session.execute(
        select(FulfilmentOrder.id, FulfilmentOrder.order_number, FulfilmentOrder.state).where(
            FulfilmentOrder.id.in_(fulfilment_ids)
        )
    )
    return {int(i): (str(number), str(state)) for i, number, state in rows}


def item_names(session: Session, skus: set[str]) -> dict[str, str]:
    """Item names by SKU, from the catalog cached here."""
    if not skus:
        return {}
    rows = session.execute(select(Item.sku, Item.name).where(Item.sku.in_(skus)))
    return {str(sku): str(name) for sku, name in rows}


def resolution(session: Session, key: str) -> ExceptionResolution | None:
    return session.get(ExceptionResolution, key)


def resolve(session: Session, key: str, note: str, staff_code: str, now: datetime) -> None:
    session.add(ExceptionResolution(key=key, note=note, staff_code=staff_code, resolved_at=now))


def reopen_refused_closes(session: Session, rejected_op_ids: list[str]) -> int:
    """The ledger refused to close these flags: show each as open here again (next to
    the rejected operation), since it is still open at the ledger. Returns how many."""
    if not rejected_op_ids:
        return 0
    payloads = session.scalars(
        select(OutboxOp.payload).where(
            OutboxOp.op_id.in_(rejected_op_ids), OutboxOp.type == RESOLVE_EXCEPTION
        )
    )
    keys = [f"ledger:{int(p['exception_id'])}" for p in payloads if p and "exception_id" in p]
    if not keys:
        return 0
    session.execute(delete(ExceptionResolution).where(ExceptionResolution.key.in_(keys)))
    return len(keys)
