"""The warehouse side of a step on a ship-for-pickup order, inside the step's transaction.

:func:`app.ledger.pickup_rows.save` calls :func:`follow_transfer` after writing any step
on a pickup order: when the order comes from a warehouse, the step's meaning there
(units shipped out, reservation released or consumed) is posted to the warehouse's book
and the transfer's lines and status follow the order's counters. A receipt of units the
warehouse had not recorded shipping (the truck came first) ships them here; the first
such receipt of a transfer opens a ``received_before_shipped`` exception at the store
and at the warehouse.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update

from app.domain.pickup_transfer import (
    is_ship_for_pickup,
    received_before_shipped,
    shipped_on_receipt,
    source,
    source_effects,
    transfer_status,
)
from app.domain.pickup_view import PickupOrder
from app.ledger.flags import open_exception
from app.ledger.models import Transfer, TransferLine, table_of
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch

transfers = table_of(Transfer)
transfer_lines = table_of(TransferLine)


def follow_transfer(
    conn: Connection,
    batch: WriteBatch,
    old: PickupOrder,
    new: PickupOrder,
    *,
    device_id: str | None = None,
    op_id: str | None = None,
) -> None:
    """Post the warehouse's effects of ``old`` → ``new`` and update the transfer rows."""
    if not is_ship_for_pickup(new):
        return
    t = transfers.c
    row = conn.execute(
        select(t.id, t.from_location_id, t.to_location_id, t.status, t.shipped_at)
        .where(t.fulfilment_order_id == new.id)
        .order_by(t.id.desc())
        .limit(1)
        .with_for_update()
    ).first()
    if row is None:  # a pickup line marked inbound without a transfer: nothing to follow
        return
    effects = source_effects(old, new)
    if effects:
        book = StockBook(conn, batch, row.from_location_id)
        for effect in effects:
            book.post(
                effect.item_id,
                quantity=effect.on_hand,
                kind=effect.kind,
                reserved=effect.reserved,
                device_id=device_id,
                op_id=op_id,
            )
        book.flush()
    conn.execute(
        update(transfer_lines)
        .where(
            transfer_lines.c.transfer_id == row.id,
            transfer_lines.c.item_id == bindparam("t_item"),
        )
        .values(shipped=bindparam("t_shipped"), received=bindparam("t_received")),
        [
            {"t_item": line.item_id, "t_shipped": line.shipped, "t_received": line.received}
            for line in new.lines
            if line.inbound
        ],
    )
    early = shipped_on_receipt(old, new)
    if early and not received_before_shipped(old):  # once per transfer, not at every scan
        ends = (row.from_location_id, row.to_location_id)
        _flag_received_before_shipped(conn, batch, row.id, ends, new, early, op_id)
    values: dict[str, object] = {}
    status = transfer_status(new)
    if status != row.status:
        values["status"] = status
        if status == "received":
            values["received_at"] = batch.now
    shipped = any(a.shipped > b.shipped for b, a in zip(old.lines, new.lines, strict=True))
    if shipped and row.shipped_at is None:
        values["shipped_at"] = batch.now
    if values:
        conn.execute(update(transfers).where(t.id == row.id).values(**values))


def _flag_received_before_shipped(
    conn: Connection,
    batch: WriteBatch,
    transfer_id: int,
    ends: tuple[int, int],
    order: PickupOrder,
    early: dict[str, int],
    op_id: str | None,
) -> None:
    """Tell both ends that a receipt shipped units the warehouse never recorded shipping."""
    what = ", ".join(f"{sku} ×{q}" for sku, q in early.items())
    warehouse, store = source(order) or "the warehouse", order.location
    order_ref = f"transfer {transfer_id} (order {order.order_number})"
    from_id, to_id = ends
    for location_id, message, next_step in (
        (
            to_id,
            f"{store} received {order_ref} before {warehouse} recorded shipping it (first "
            f"scan: {what}); each such receipt records the shipment as well.",
            f"Check the units against the order, and tell {warehouse} they arrived so they "
            "are not sent again; close the exception then.",
        ),
        (
            from_id,
            f"{store} received {order_ref} before it was recorded as shipped here (first "
            f"scan: {what}); the units received were taken out of this warehouse's stock.",
            f"Confirm these units left for {store} (count the items here if not); ship only "
            "what the transfer list still shows open, then close the exception.",
        ),
    ):
        open_exception(
            conn,
            batch,
            location_id=location_id,
            kind="received_before_shipped",
            message=message,
            next_step=next_step,
            op_id=op_id,
            order_number=order.order_number,
        )
