"""Applying a bench's ``ship.assign``: who picks a ship order (:mod:`app.domain.shipping.
assign`).

An intention: refused with the rule's words when the step is not the bench's (another
location's order, a pickup order), when the order is no longer open here (cancelled,
rerouted away, shipped …) or when the picker may not work at this location (unknown,
inactive, another store's). Applied, it writes the picker and the time on the fulfilment
order, a fulfilment event for the order's timeline, an audit entry and the order's
change row, which brings the picker to every bench of the location. Giving the order to
nobody clears the picker the same way. The last one applied wins.
"""

from __future__ import annotations

from sqlalchemy import Connection, or_, select, update

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.assign import ShipAssign, check_assignable
from app.errors import KnownError
from app.ledger.devices import DeviceRef
from app.ledger.models import Staff, StaffStore, table_of
from app.ledger.outcomes import rejected
from app.ledger.pickup_rows import emit_fulfilment, events, fulfilments
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, OpStatus, PushOp

_staff = table_of(Staff)
_staff_stores = table_of(StaffStore)


def assign_picker(
    conn: Connection, batch: WriteBatch, device: DeviceRef, op: PushOp, payload: ShipAssign
) -> OpResult:
    """Apply one ``ship.assign`` of ``device``, or return why it is refused."""
    refusal = _not_this_benchs(device, payload)
    if refusal:
        return rejected(op, *refusal)
    f = fulfilments.c
    row = conn.execute(
        select(f.id, f.location_id, f.method, f.state, f.order_number)
        .where(f.id == payload.fulfilment_id)
        .with_for_update(of=fulfilments)
    ).first()
    if row is None or row.location_id != device.location_id:
        return rejected(
            op,
            "This order is not shipped from this location, so nobody was given it.",
            "Open the bench queue again: it lists the orders this location ships.",
        )
    if row.method != "ship":
        return rejected(
            op,
            f"Order {row.order_number} is a store pickup order, not one to ship.",
            "Work on it in Pickup, not at the packing bench.",
        )
    try:
        check_assignable(row.order_number, FulfilmentState(row.state))
    except KnownError as exc:
        return rejected(op, exc.message, exc.next_step)
    name = _picker_name(conn, device.location_id, payload.picker)
    if name is None:
        return rejected(
            op,
            f"{payload.picker} may not pick at {device.location_code}, so order "
            f"{row.order_number} was not given to them.",
            "Choose someone of this location's staff for the order.",
        )
    seq = _write(conn, batch, device, op, payload, (str(row.order_number), str(row.state)), name)
    return OpResult(
        op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.APPLIED, ledger_seq=seq
    )


def _not_this_benchs(device: DeviceRef, payload: ShipAssign) -> tuple[str, str] | None:
    if payload.location == device.location_code:
        return None
    return (
        f"This choice is for location {payload.location}, but this bench belongs to "
        f"{device.location_code}.",
        "Give a picker only to orders this location ships.",
    )


def _picker_name(conn: Connection, location_id: int, code: str) -> str | None:
    """The name of active staff ``code`` who may work at ``location_id``; "" for nobody;
    None when they may not pick there."""
    if not code:
        return ""
    s = _staff.c
    here = select(_staff_stores.c.staff_id).where(_staff_stores.c.location_id == location_id)
    name = conn.execute(
        select(s.name).where(
            s.code == code,
            s.active.is_(True),
            or_(s.home_location_id == location_id, s.id.in_(here)),
        )
    ).scalar()
    return None if name is None else str(name)


def _write(
    conn: Connection,
    batch: WriteBatch,
    device: DeviceRef,
    op: PushOp,
    payload: ShipAssign,
    order: tuple[str, str],
    name: str,
) -> int:
    """The picker on the order (``order``: its number and state), its change row, the
    timeline event and the audit entry; returns the change's ledger_seq."""
    fo_id, location_id = payload.fulfilment_id, device.location_id
    order_number, state = order
    conn.execute(
        update(fulfilments)
        .where(fulfilments.c.id == fo_id)
        .values(
            picker_code=payload.picker or None,
            picker_at=batch.now if payload.picker else None,
            updated_at=batch.now,
        )
    )
    seq = emit_fulfilment(conn, batch, fo_id, location_id)
    actor = op.actor or f"device:{device.device_id}"
    note = f"Given to {name} ({payload.picker}) to pick" if name else "Given to nobody to pick"
    conn.execute(
        events.insert().values(
            fulfilment_order_id=fo_id, state=state, actor=actor, note=note, ledger_seq=seq,
            at=batch.now, kind=op.type, op_id=op.op_id, device_id=device.device_id,
        )
    )  # fmt: skip
    batch.audit(
        actor=actor,
        approver=None,
        action=op.type,
        subject={
            "op_id": op.op_id,
            "device_id": device.device_id,
            "fulfilment_id": fo_id,
            "order_number": order_number,
            "location": device.location_code,
            "picker": payload.picker,
            "ledger_seq": seq,
        },
    )
    return seq
