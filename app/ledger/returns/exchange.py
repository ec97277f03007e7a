"""Applying an ``exchange.order``: the replacement of an exchange becomes a pickup order.

The station named the order and its pickup code (the customer holds the slip); the
ledger routes it as any pickup order at the station's store (``channel`` store), from
the store's own shelf, else sent there from another location (ship-for-pickup), and
reserves the stock. An exchange order is an intention: when no location can fill it by
the time it arrives, or the order number is already taken, it is refused with words, and
the return it pairs with stands (its refund is the customer's, as the credit note says).
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.domain.returns.exchange import ExchangeOrder
from app.errors import KnownError
from app.ledger.devices import DeviceRef
from app.ledger.orders import record_order
from app.ledger.outcomes import applied, rejected
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import Customer, OpResult, OrderIntake, OrderLineIn, PushOp

REFUSED_NEXT = (
    "Tell the customer the replacement cannot be had: their refund stands as the credit "
    "note says. Offer another item, or pay the refund."
)


def place_exchange(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    device: DeviceRef,
    op: PushOp,
    payload: ExchangeOrder,
) -> OpResult:
    """Route and reserve the replacement at the device's store (see the module docstring)."""
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
