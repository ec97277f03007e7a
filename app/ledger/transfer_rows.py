"""The warehouse side of a step on a ship-for-pickup order, inside the step's transaction.

:func:`app.ledger.pickup_rows.save` calls :func:`follow_transfer` after writing any step
on a pickup order: when the order comes from a warehouse, the step's meaning there
(units shipped out, reservation released or consumed) is posted to the warehouse's book
and the transfer's lines and status follow the order's counters.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam, select, update

from app.domain.pickup_transfer import is_ship_for_pickup, source_effects, transfer_status
from app.domain.pickup_view import PickupOrder
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
    row = conn.execute(
        select(transfers.c.id, transfers.c.from_location_id, transfers.c.status)
        .where(transfers.c.fulfilment_order_id == new.id)
        .order_by(transfers.c.id.desc())
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
    status = transfer_status(new)
    if status == row.status:
        return
    values: dict[str, object] = {"status": status}
    if status == "shipped" and row.status == "open":
        values["shipped_at"] = batch.now
    if status == "received":
        values["received_at"] = batch.now
    conn.execute(update(transfers).where(transfers.c.id == row.id).values(**values))
