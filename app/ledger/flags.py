"""Exceptions the ledger opens for a store's managers, and their resolution.

An exception row and its change row for the store's stations are written together, so a
station sees an exception appear and close in the same order the ledger recorded them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.exception_ops import RESOLVING_ROLES, ResolveException
from app.domain.exception_texts import Subject, exception_text
from app.ledger.devices import DeviceRef
from app.ledger.models import LedgerException, Staff, table_of
from app.ledger.outcomes import rejected
from app.ledger.writes import WriteBatch
from app.sync.protocol import SCOPE_COLUMNS, OpResult, OpStatus, PushOp, Scope

exceptions = table_of(LedgerException)
staff = table_of(Staff)
_ROW_FIELDS = SCOPE_COLUMNS[Scope.EXCEPTIONS]


def open_exception(
    conn: Connection,
    batch: WriteBatch,
    *,
    location_id: int,
    kind: str,
    message: str,
    next_step: str,
    op_id: str | None,
    order_number: str | None = None,
    sku: str | None = None,
) -> int:
    """Open an exception at ``location_id`` about an order or an item (so a station can
    name it and open it); returns its id."""
    row: dict[str, Any] = {
        "location_id": location_id,
        "kind": kind,
        "op_id": op_id,
        "message": message,
        "next_step": next_step,
        "order_number": order_number,
        "sku": sku,
        "status": "open",
        "created_at": batch.now,
    }
    exc_id = int(
        conn.execute(insert(exceptions).values(**row).returning(exceptions.c.id)).scalar_one()
    )
    _publish(batch, location_id, {"id": exc_id, **row})
    return exc_id


def open_worded_exception(
    conn: Connection,
    batch: WriteBatch,
    *,
    location_id: int,
    kind: str,
    subject: Subject,
    op_id: str | None,
    order_number: str | None = None,
    sku: str | None = None,
    next_step: str | None = None,
) -> int:
    """Open a ``kind`` exception in the words :mod:`app.domain.exception_texts` gives it
    for ``subject`` (what happened, what to do next, unless ``next_step`` says what);
    returns its id."""
    text = exception_text(kind, subject)
    return open_exception(
        conn,
        batch,
        location_id=location_id,
        kind=kind,
        message=text.what,
        next_step=next_step or text.next_step,
        op_id=op_id,
        order_number=order_number,
        sku=sku,
    )


def _publish(batch: WriteBatch, location_id: int, row: dict[str, Any]) -> int:
    return batch.change(Scope.EXCEPTIONS, location_id, row["id"], {k: row[k] for k in _ROW_FIELDS})


def resolve_exception(
    conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp, payload: ResolveException
) -> OpResult:
    """Close an exception of the device's store; a lead or manager must have resolved it."""
    role = conn.execute(
        select(staff.c.role).where(staff.c.code == (op.actor or ""), staff.c.active.is_(True))
    ).scalar_one_or_none()
    if role not in RESOLVING_ROLES:
        return rejected(
            op,
            "Only a lead or a manager can close an exception.",
            "Ask a lead or manager to log in and resolve it.",
        )
    row = (
        conn.execute(
            select(exceptions).where(exceptions.c.id == payload.exception_id).with_for_update()
        )
        .mappings()
        .first()
    )
    if row is None or row["location_id"] != device.location_id:
        return rejected(
            op,
            f"Exception {payload.exception_id} does not belong to this store.",
            "Refresh the Exceptions screen; it may have been closed elsewhere.",
        )
    seq = None
    if row["status"] != "resolved":
        conn.execute(
            update(exceptions)
            .where(exceptions.c.id == payload.exception_id)
            .values(status="resolved", resolved_at=batch.now)
        )
        seq = _publish(batch, device.location_id, {**row, "status": "resolved"})
    batch.audit(
        actor=op.actor or "",
        approver=op.approval.approver if op.approval else None,
        action="exception.resolve",
        subject={"exception_id": payload.exception_id, "note": payload.note, "op_id": op.op_id},
    )
    return OpResult(
        op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.APPLIED, ledger_seq=seq
    )


def close_exception(conn: Connection, batch: WriteBatch, exception_id: int) -> None:
    """Close an exception the ledger itself settled (a held operation replayed, a put-back
    superseded by a count); the store's stations see it closed."""
    e = exceptions.c
    conn.execute(
        update(exceptions)
        .where(e.id == exception_id, e.status != "resolved")
        .values(status="resolved", resolved_at=batch.now)
    )
    row = conn.execute(select(exceptions).where(e.id == exception_id)).mappings().one()
    _publish(batch, row["location_id"], dict(row))
