"""Re-checking the approval an operation claims, where its approver is recorded.

A station names who approved an operation (``PushOp.approval``). The ledger looks the
approver up (exists, active, the role the operation needs, may work at the store) and
records the approval id as used, so one approval counts for one operation on any
device. When the claim does not hold, the operation is still applied (a physical fact
is never refused for it) and an exception tells a manager who claimed what.

Hooked with one call where the approver is recorded: :func:`approved_by` (or
:func:`checked_approval`, where whether it holds decides something).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, select

from app.domain.approvals import (
    ApprovalClaim,
    Approver,
    approval_problem,
    claim_in_words,
)
from app.domain.exception_texts import (
    APPROVAL_NOT_VALID,
    STEP_WORDS,
    Subject,
)
from app.ledger.db import insert_into
from app.ledger.devices import DeviceRef
from app.ledger.flags import open_worded_exception
from app.ledger.models import ApprovalUse, Location, Staff, StaffStore, table_of
from app.ledger.writes import WriteBatch
from app.sync.protocol import PushOp

used = table_of(ApprovalUse)
staff = table_of(Staff)
locations = table_of(Location)
staff_stores = table_of(StaffStore)
_CODE_MAX = 20  # staff.code


def approved_by(conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp) -> str | None:
    """The approver ``op`` names (None without an approval), after checking the claim:
    an approval that does not hold opens an ``approval_not_valid`` exception."""
    return checked_approval(conn, batch, device, op)[0]


def checked_approval(
    conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp
) -> tuple[str | None, bool]:
    """:func:`approved_by` and whether the approval holds (False without one): a return
    without lookup waits for a manager unless it does."""
    if op.approval is None:
        return None, False
    claim = ApprovalClaim(
        approver_code=op.approval.approver,
        approval_id=op.approval.approval_id,
        op_type=op.type,
        location_id=device.location_id,
        actor=op.actor or "",
    )
    earlier = _use(conn, batch, op, device)
    problem = approval_problem(claim, _approver(conn, claim.approver_code), earlier)
    if problem:
        _flag(conn, batch, device, op, claim, problem)
    return _storable(claim.approver_code, 40), not problem


def named_lead(
    conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp, code: str
) -> tuple[str, bool]:
    """The lead a step names inside its payload (a parcel's weight override), checked as
    an approval of ``op`` is: (the code as stored, whether it holds). One that does not
    hold opens an ``approval_not_valid`` exception; the step is applied all the same."""
    claim = ApprovalClaim(
        approver_code=code,
        approval_id=op.op_id,
        op_type=op.type,
        location_id=device.location_id,
        actor=op.actor or "",
    )
    problem = approval_problem(claim, _approver(conn, code), None)
    if problem:
        _flag(conn, batch, device, op, claim, problem)
    return _storable(code, 40), not problem


def _approver(conn: Connection, code: str) -> Approver | None:
    if not code or len(code) > _CODE_MAX or not code.isascii():
        return None  # no staff code looks like that: do not ask the database
    row = conn.execute(
        select(
            staff.c.code,
            staff.c.name,
            staff.c.role,
            staff.c.active,
            staff.c.home_location_id,
            locations.c.code.label("home_code"),
        )
        .select_from(staff.outerjoin(locations, locations.c.id == staff.c.home_location_id))
        .where(staff.c.code == code)
    ).first()
    if row is None:
        return None
    assigned = conn.execute(
        select(staff_stores.c.location_id)
        .select_from(staff_stores.join(staff, staff.c.id == staff_stores.c.staff_id))
        .where(staff.c.code == code)
    ).scalars()
    return Approver(
        code=row.code,
        name=row.name,
        role=row.role,
        active=bool(row.active),
        home_location_id=row.home_location_id,
        home_location_code=row.home_code or "",
        store_ids=tuple(assigned),
    )


def _use(conn: Connection, batch: WriteBatch, op: PushOp, device: DeviceRef) -> str | None:
    """Record the approval id as used by ``op``; the operation it was used for before,
    in words, when another one already used it (any device, any push)."""
    assert op.approval is not None
    key = approval_key(op.approval.approval_id)
    row = {
        "approval_id": key,
        "op_id": op.op_id,
        "device_id": device.device_id,
        "approver": _storable(op.approval.approver, 40),
        "used_at": batch.now,
    }
    # The id is the primary key: of two pushes racing with one approval, one inserts and
    # the other finds it taken (no unique-violation error that would fail its push).
    claim_it = insert_into(conn, used).values(**row).on_conflict_do_nothing()
    if conn.execute(claim_it).rowcount == 1:
        return None
    earlier = conn.execute(
        select(used.c.op_id, used.c.device_id).where(used.c.approval_id == key)
    ).one()
    if earlier.op_id == op.op_id:
        return None  # the same operation, applied again after a ledger restore
    return f"operation {earlier.op_id} from station {earlier.device_id}"


def approval_key(approval_id: str) -> str:
    """The approval id as stored: itself when short plain text, else its sha256."""
    if approval_id and len(approval_id) <= 64 and approval_id.isascii():
        return approval_id
    return hashlib.sha256(approval_id.encode("utf-8", "surrogatepass")).hexdigest()


def _flag(
    conn: Connection,
    batch: WriteBatch,
    device: DeviceRef,
    op: PushOp,
    claim: ApprovalClaim,
    problem: str,
) -> None:
    sku = op.payload.get("sku")
    open_worded_exception(
        conn,
        batch,
        location_id=device.location_id,
        kind=APPROVAL_NOT_VALID,
        subject=Subject(
            steps=STEP_WORDS.get(op.type, "operation"),
            item=sku if isinstance(sku, str) else "",
            detail=f"{claim_in_words(claim)}: {problem}",
        ),
        op_id=op.op_id,
        sku=_storable(sku, 40) if isinstance(sku, str) else None,
    )
    batch.audit(
        actor=_storable(claim.actor, 40) or f"device:{device.device_id}",
        approver=_storable(claim.approver_code, 40),
        action="approval.refuted",
        subject={
            "op_id": op.op_id,
            "device_id": device.device_id,
            "approval_id": approval_key(claim.approval_id),
            "problem": problem,
        },
    )


def _storable(text: str, limit: int) -> str:
    """Text cut to a column's length, with anything the database cannot hold replaced."""
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]
