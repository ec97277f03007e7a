"""Applying a ``return.intake``: the units are in the store, so the return is recorded.

A return is a physical fact (DESIGN §4 rule 1): it is never refused, not even for the
location code in its payload: the units are where the station is. Each line moves its
units into the bucket its disposition names at the station's location (scrap goes into
damaged and is written off, so the trail shows both). What does not add up holds the
refund for a manager and opens an exception: more back than was sold and not yet
returned, across every location (two counters took the same line back offline; rule 4);
a return without lookup with no manager's approval that holds, over the limit for
one, or over the customer's limit per period at every store (:mod:`.no_receipt`); an
order, line or item the ledger does not know. A return is named by the station's uuid,
so one sent again (a re-send after a ledger restore) records nothing twice. An
order whose every unit is back, and the order of a parcel received back from the
carrier, is marked returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.exception_texts import OVER_RETURN, RETURN_NEEDS_APPROVAL, Subject
from app.domain.fulfilment import FulfilmentState
from app.domain.money import Money
from app.domain.returns.grades import stock_moves
from app.domain.returns.intake_op import NO_LOOKUP_LIMIT_MINOR, ReturnIntake
from app.domain.returns.intake_op import ReturnLine as ReturnLineIn
from app.domain.stock import Bucket, MovementKind
from app.ledger.approvals import checked_approval
from app.ledger.devices import DeviceRef
from app.ledger.flags import open_worded_exception
from app.ledger.models import (
    FulfilmentEvent,
    FulfilmentOrder,
    Item,
    Order,
    OrderLine,
    Parcel,
    Return,
    ReturnLine,
    table_of,
)
from app.ledger.outcomes import applied
from app.ledger.returns.no_receipt import over_customer_limit, phone_key
from app.ledger.returns.returned import publish_return, returned_by_line
from app.ledger.returns.sold_rows import publish_sold
from app.ledger.step_record import emit_fulfilment
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, OpStatus, PushOp

returns = table_of(Return)
return_lines = table_of(ReturnLine)
orders = table_of(Order)
order_lines = table_of(OrderLine)
items = table_of(Item)
fulfilments = table_of(FulfilmentOrder)
events = table_of(FulfilmentEvent)
parcels = table_of(Parcel)

# An order in these states had its units leave: once all are back it is returned.
_LEFT = frozenset({FulfilmentState.COLLECTED, FulfilmentState.SHIPPED, FulfilmentState.DELIVERED})
HELD, DUE, APPROVED = "held", "due", "approved"


@dataclass(frozen=True)
class SoldLine:
    """One line of the order as sold: its number (1, 2 … in the order's line order)."""

    line_no: int
    sku: str
    item_id: int
    sold: int


@dataclass(frozen=True)
class Hold:
    """Why the refund waits: the exception's kind and what happened, in words."""

    kind: str
    detail: str
    sku: str | None = None


@dataclass(frozen=True)
class Intake:
    """One return being applied: the push's bookkeeping and what the return is."""

    conn: Connection
    batch: WriteBatch
    book: StockBook
    device: DeviceRef
    op: PushOp
    payload: ReturnIntake


def take_in_return(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    device: DeviceRef,
    op: PushOp,
    payload: ReturnIntake,
) -> OpResult:
    """Record the return at the device's location (see the module docstring)."""
    if _recorded(conn, payload.return_id):
        return OpResult(op_id=op.op_id, device_seq=op.device_seq, status=OpStatus.APPLIED)
    intake = Intake(conn, batch, book, device, op, payload)
    order = _locked_order(conn, payload.order) if payload.order else None
    sold = _sold(conn, order[0]) if order else []
    before = returned_by_line(conn, order[0]) if order else {}
    item_ids = _item_ids(conn, [line.sku for line in payload.lines])
    approver, holds = _approval(intake)
    holds += _order_holds(payload, order, sold, before) + _item_holds(payload, item_ids)
    state = HELD if holds else APPROVED if approver and payload.without_lookup else DUE
    _insert(intake, order[0] if order else None, item_ids, state, holds, approver)
    seq = _move_stock(intake, item_ids)
    opened = [_open(intake, hold, payload.order) for hold in _merged(holds)]
    if order:
        _mark_returned(intake, order[0], sold)
    _audit(intake, state, approver)
    return applied(op, seq, opened)


def _recorded(conn: Connection, return_id: str) -> bool:
    found = conn.execute(select(returns.c.id).where(returns.c.return_id == return_id)).first()
    return found is not None


def _locked_order(conn: Connection, number: str) -> tuple[int, str] | None:
    """The order ``number`` names (id, number), locked so two returns of it take turns."""
    o = orders.c
    row = conn.execute(
        select(o.id, o.order_number).where(o.order_number == number).with_for_update()
    ).first()
    return (int(row.id), str(row.order_number)) if row else None


def _sold(conn: Connection, order_id: int) -> list[SoldLine]:
    ol = order_lines.c
    rows = conn.execute(
        select(ol.sku, ol.item_id, ol.quantity).where(ol.order_id == order_id).order_by(ol.id)
    ).all()
    return [SoldLine(n, str(r.sku), int(r.item_id), int(r.quantity)) for n, r in enumerate(rows, 1)]


def _item_ids(conn: Connection, skus: list[str]) -> dict[str, int]:
    rows = conn.execute(select(items.c.sku, items.c.id).where(items.c.sku.in_(set(skus)))).all()
    return {str(sku): int(item_id) for sku, item_id in rows}


def _approval(intake: Intake) -> tuple[str | None, list[Hold]]:
    """The approver (checked: single use, a manager of this store) and, for a return
    without lookup, why its refund waits when the approval does not cover it."""
    approver, holds = checked_approval(intake.conn, intake.batch, intake.device, intake.op)
    payload = intake.payload
    if not payload.without_lookup:
        return approver, []
    why = []
    if not holds:
        why.append(
            "no manager approved it" if intake.op.approval is None
            else "the manager's approval it names does not hold (see the approval exception)"
        )  # fmt: skip
    if payload.refund.total_minor > NO_LOOKUP_LIMIT_MINOR:
        why.append(
            f"its refund of {Money(payload.refund.total_minor).format()} is over the "
            f"{Money(NO_LOOKUP_LIMIT_MINOR).format()} limit for a return without the order"
        )
    over = over_customer_limit(
        intake.conn, payload.customer_phone, payload.refund.total_minor, intake.batch.now
    )
    if over:
        why.append(over)
    if not why:
        return approver, []
    detail = f"was taken in without the order: {'; '.join(why)}."
    return approver, [Hold(RETURN_NEEDS_APPROVAL, detail)]


def _order_holds(
    payload: ReturnIntake,
    order: tuple[int, str] | None,
    sold: list[SoldLine],
    before: dict[int, int],
) -> list[Hold]:
    """Lines beyond what is returnable (sold − returned before, at every location), and
    lines or an order the ledger does not know."""
    if payload.order is None:
        return []
    if order is None:
        return [Hold(RETURN_NEEDS_APPROVAL, f"names order {payload.order}, which the ledger "
                     "does not know.")]  # fmt: skip
    by_no = {line.line_no: line for line in sold}
    holds, taken = [], dict(before)
    for line in payload.lines:
        assert line.line_no is not None  # a return of an order names its lines
        known = by_no.get(line.line_no)
        if known is None or known.sku != line.sku:
            holds.append(Hold(RETURN_NEEDS_APPROVAL, _not_a_line(order[1], line.line_no,
                                                                  line.sku, known)))  # fmt: skip
            continue
        earlier = taken.get(line.line_no, 0)
        taken[line.line_no] = earlier + line.quantity
        if earlier + line.quantity > known.sold:
            holds.append(Hold(OVER_RETURN, f"line {line.line_no} ({line.sku}): sold "
                              f"{known.sold}, returned before {earlier}, this return "
                              f"{line.quantity}.", line.sku))  # fmt: skip
    return holds


def _not_a_line(number: str, line_no: int, sku: str, known: SoldLine | None) -> str:
    if known is None:
        return f"of order {number} names line {line_no}, which the order does not have."
    return f"of order {number} names line {line_no} as {sku}, but that line is {known.sku}."


def _item_holds(payload: ReturnIntake, item_ids: dict[str, int]) -> list[Hold]:
    unknown = sorted({line.sku for line in payload.lines} - set(item_ids))
    return [
        Hold(RETURN_NEEDS_APPROVAL, f"holds item {sku}, which the ledger does not know, so "
             "no stock was moved for it.", sku)
        for sku in unknown
    ]  # fmt: skip


def _merged(holds: list[Hold]) -> list[Hold]:
    """One exception per kind, its details one after another."""
    kinds: dict[str, list[Hold]] = {}
    for hold in holds:
        kinds.setdefault(hold.kind, []).append(hold)
    return [
        Hold(kind, " ".join(h.detail for h in found), found[0].sku) for kind, found in kinds.items()
    ]


def _insert(
    intake: Intake,
    order_id: int | None,
    item_ids: dict[str, int],
    state: str,
    holds: list[Hold],
    approver: str | None,
) -> None:
    p, refund = intake.payload, intake.payload.refund
    row: dict[str, Any] = {
        "return_id": p.return_id, "order_id": order_id, "order_number": p.order,
        "location_id": intake.device.location_id, "device_id": intake.device.device_id,
        "op_id": intake.op.op_id, "parcel": p.parcel, "refund_method": refund.method.value,
        "shipping_minor": refund.shipping_minor,
        "restocking_fee_minor": refund.restocking_fee_minor,
        "total_minor": refund.total_minor, "refund_state": state,
        "credit_note": p.credit_note,
        "customer_phone": phone_key(p.customer_phone) if p.without_lookup else p.customer_phone,
        "held_reason": " ".join(h.detail for h in holds) or None, "approver": approver,
        "recorded_at": intake.batch.now, "recorded_by": (intake.op.actor or "")[:40],
    }  # fmt: skip
    ret_id = intake.conn.execute(insert(returns).values(**row).returning(returns.c.id)).scalar_one()
    lines = [_line_row(ret_id, order_id, item_ids.get(line.sku), line) for line in p.lines]
    intake.conn.execute(insert(return_lines), lines)
    publish_return(intake.conn, intake.batch, ret_id)
    if order_id is not None:  # its earlier returns changed at every station keeping it
        publish_sold(intake.conn, intake.batch, [order_id])


def _line_row(
    ret_id: int, order_id: int | None, item_id: int | None, line: ReturnLineIn
) -> dict[str, Any]:
    return {
        "return_id": ret_id, "order_id": order_id, "line_no": line.line_no,
        "item_id": item_id, "sku": line.sku, "quantity": line.quantity,
        "grade": line.grade.value, "disposition": line.disposition.value,
        "reason": line.reason, "refund_minor": line.refund_minor,
    }  # fmt: skip


def _move_stock(intake: Intake, item_ids: dict[str, int]) -> int:
    """One return movement per line into its bucket (scrap: then written off); the
    ledger_seq of the last stock change."""
    seq = None
    for line in intake.payload.lines:
        item_id = item_ids.get(line.sku)
        if item_id is None:
            continue  # an item the ledger does not know: held and flagged
        for move in stock_moves(line.disposition, line.quantity):
            seq = _post(intake, item_id, move.quantity, move.kind, move.bucket)
    return seq if seq is not None else intake.batch.next_seq()


def _post(intake: Intake, item_id: int, quantity: int, kind: MovementKind, into: Bucket) -> int:
    _, seq = intake.book.post(
        item_id, quantity=quantity, kind=kind, bucket=into,
        device_id=intake.device.device_id, op_id=intake.op.op_id,
    )  # fmt: skip
    return seq


def _open(intake: Intake, hold: Hold, order_number: str | None) -> str:
    open_worded_exception(
        intake.conn,
        intake.batch,
        location_id=intake.device.location_id,
        kind=hold.kind,
        subject=Subject(order=order_number or "", detail=hold.detail),
        op_id=intake.op.op_id,
        order_number=order_number,
        sku=hold.sku,
    )
    return hold.kind


def _mark_returned(intake: Intake, order_id: int, sold: list[SoldLine]) -> None:
    """The order's fulfilment orders whose units left are returned once every unit is
    back; a parcel received back from the carrier returns its own order at once."""
    back = returned_by_line(intake.conn, order_id)
    f = fulfilments.c
    where = [f.order_id == order_id]
    if any(back.get(s.line_no, 0) < s.sold for s in sold):
        if not intake.payload.parcel:
            return
        p = parcels.c
        of_parcel = select(p.fulfilment_order_id).where(p.sscc == intake.payload.parcel)
        where.append(f.id.in_(of_parcel))
    rows = intake.conn.execute(
        select(f.id, f.location_id).where(*where, f.state.in_([s.value for s in _LEFT]))
    ).all()
    for fo_id, location_id in rows:
        _set_returned(intake, int(fo_id), int(location_id))


def _set_returned(intake: Intake, fo_id: int, location_id: int) -> None:
    conn, batch = intake.conn, intake.batch
    returned = FulfilmentState.RETURNED.value
    conn.execute(
        update(fulfilments)
        .where(fulfilments.c.id == fo_id)
        .values(state=returned, updated_at=batch.now)
    )
    seq = emit_fulfilment(conn, batch, fo_id, location_id)
    conn.execute(
        insert(events).values(
            fulfilment_order_id=fo_id, state=returned, actor=(intake.op.actor or "")[:40],
            note="Every unit came back." if not intake.payload.parcel
            else f"Parcel {intake.payload.parcel} received back.",
            ledger_seq=seq, at=batch.now, kind=intake.op.type, op_id=intake.op.op_id,
            device_id=intake.device.device_id, approver=None,
        )
    )  # fmt: skip


def _audit(intake: Intake, state: str, approver: str | None) -> None:
    p = intake.payload
    intake.batch.audit(
        actor=(intake.op.actor or "")[:40] or f"device:{intake.device.device_id}",
        approver=approver,
        action=intake.op.type,
        subject={
            "op_id": intake.op.op_id, "device_id": intake.device.device_id,
            "return_id": p.return_id, "order": p.order, "parcel": p.parcel,
            "units": p.units, "refund_minor": p.refund.total_minor, "refund_state": state,
        },
    )  # fmt: skip
