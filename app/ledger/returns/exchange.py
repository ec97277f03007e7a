"""Applying an ``exchange.order``: the replacement of an exchange becomes a pickup order.

The station named the order and its pickup code (the customer holds the slip); the
ledger routes it as any pickup order at the station's store (``channel`` store), from
the store's own shelf, else sent there from another location (ship-for-pickup), and
reserves the stock. An exchange order is an intention: when no location can fill it by
the time it arrives, or the order number is already taken, it is refused with words, and
the return it pairs with stands (its refund is the customer's, as the credit note says).
It is refused too when its return was not taken in at this store, or that return's refund
is held for a manager (more back than was sold, over the no-receipt limit): the refund
that would pay for the replacement is not the customer's yet.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.domain.returns.exchange import ExchangeOrder
from app.errors import KnownError
from app.ledger.devices import DeviceRef
from app.ledger.models import Return, table_of
from app.ledger.orders import record_order
from app.ledger.outcomes import applied, rejected
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import Customer, OpResult, OrderIntake, OrderLineIn, PushOp

REFUSED_NEXT = (
    "Tell the customer the replacement cannot be had: their refund stands as the credit "
    "note says. Offer another item, or pay the refund."
)
HELD_NEXT = (
    "Do not hand the replacement over: a manager decides on the refund in Exceptions "
    "first. Once it is released, sell the replacement at the till or pay the refund."
)
returns = table_of(Return)


def place_exchange(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    device: DeviceRef,
    op: PushOp,
    payload: ExchangeOrder,
) -> OpResult:
    """Route and reserve the replacement at the device's store (see the module docstring)."""
    refused = _paid_for(conn, device, payload)
    if refused:
        return rejected(
            op, f"The exchange order {payload.order_number} was not placed: {refused}", HELD_NEXT
        )
    intake = OrderIntake(
        order_number=payload.order_number,
        channel="store",
        method="pickup",
        pickup_location=device.location_code,
        customer=Customer(name=payload.customer_name),
        lines=[OrderLineIn(sku=x.sku, quantity=x.quantity) for x in payload.lines],
        ship_for_pickup=True,
    )
    book.write_and_forget()  # the order reserves by SQL of its own
    savepoint = conn.begin_nested()
    try:
        accepted = record_order(conn, batch, intake, pickup_code=payload.pickup_code)
    except KnownError as exc:
        savepoint.rollback()
        return rejected(
            op,
            f"The exchange order {payload.order_number} was not placed: {exc.message}",
            REFUSED_NEXT,
        )
    savepoint.commit()
    batch.audit(
        actor=(op.actor or "")[:40] or f"device:{device.device_id}",
        approver=None,
        action=op.type,
        subject={
            "op_id": op.op_id, "device_id": device.device_id, "return_id": payload.return_id,
            "order": payload.order_number, "refund_minor": payload.refund_minor,
            "replacement_minor": payload.replacement_minor,
            "fulfilment_orders": [f.id for f in accepted.fulfilment_orders],
        },
    )  # fmt: skip
    return applied(op, batch.next_seq(), [])


def _paid_for(conn: Connection, device: DeviceRef, payload: ExchangeOrder) -> str:
    """Why the return ``payload`` names cannot pay for its replacement here; "" when it can."""
    if payload.location != device.location_code:
        return f"it names {payload.location}, not this station's store {device.location_code}."
    r = returns.c
    row = conn.execute(
        select(r.refund_state, r.held_reason).where(
            r.return_id == payload.return_id, r.location_id == device.location_id
        )
    ).first()
    if row is None:
        return "the return it is paid with was not taken in at this store."
    if row.refund_state == "held":
        why = (row.held_reason or "").rstrip(".")
        return f"the refund of the return it is paid with waits for a manager ({why})."
    if row.refund_state == "cancelled":
        return "the refund of the return it is paid with was cancelled."
    return ""
