"""A held refund approved: a manager closes the exception the return opened.

Only a manager may (DESIGN §4 rule 4), so a lead's close of a return's exception is
refused with words. Once no exception of the return is open, its refund is approved
(and a credit note may be issued for it).
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from app.domain.approvals import MANAGER
from app.domain.exception_ops import ResolveException
from app.domain.exception_texts import OVER_RETURN, RETURN_NEEDS_APPROVAL
from app.ledger.models import LedgerException, Return, Staff, table_of
from app.ledger.outcomes import rejected
from app.ledger.returns.returned import publish_return
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp

RETURN_HOLDS = frozenset({OVER_RETURN, RETURN_NEEDS_APPROVAL})
exceptions = table_of(LedgerException)
returns = table_of(Return)
staff = table_of(Staff)


def _held_return_op(conn: Connection, exception_id: int) -> str | None:
    """The op_id of the return a refund-holding exception is about, else None."""
    e = exceptions.c
    row = conn.execute(select(e.kind, e.op_id).where(e.id == exception_id)).first()
    return str(row.op_id) if row and row.kind in RETURN_HOLDS and row.op_id else None


def manager_needed(conn: Connection, op: PushOp, payload: ResolveException) -> OpResult | None:
    """The refusal of a close of a return's exception by someone not a manager, or None."""
    if _held_return_op(conn, payload.exception_id) is None:
        return None
    role = conn.execute(
        select(staff.c.role).where(staff.c.code == (op.actor or ""), staff.c.active.is_(True))
    ).scalar_one_or_none()
    if role == MANAGER:
        return None
    return rejected(
        op,
        "Only a manager can release a refund the ledger held.",
        "Ask a manager to log in and close it after checking the return.",
    )


def approve_held_refund(conn: Connection, batch: WriteBatch, exception_id: int) -> None:
    """After ``exception_id`` closed: the return's refund is approved when none of its
    exceptions is open any more."""
    op_id = _held_return_op(conn, exception_id)
    if op_id is None:
        return
    e = exceptions.c
    still_open = conn.execute(
        select(e.id).where(e.op_id == op_id, e.kind.in_(RETURN_HOLDS), e.status != "resolved")
    ).first()
    if still_open is not None:
        return
    approved = conn.execute(
        update(returns)
        .where(returns.c.op_id == op_id, returns.c.refund_state == "held")
        .values(refund_state="approved")
        .returning(returns.c.id)
    ).scalars()
    for return_row_id in list(approved):
        publish_return(conn, batch, int(return_row_id))
