"""Ship-for-pickup transfers: opened at intake, shipped by the warehouse, listed for it.

Receiving happens at the store by scan (the ``pickup.receive`` operation, applied like
every pickup step), also before the warehouse ships: the receipt then records the
shipment; the warehouse side of each step follows in :mod:`app.ledger.transfer_rows`.
Each call here is one write (or read) transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import aliased

from app.domain.pickup_transfer import dispatch
from app.errors import BadInput, NotFound, RuleRefused
from app.ledger.db import reader
from app.ledger.models import Location, Transfer, TransferLine, table_of
from app.ledger.pickup_rows import load, save
from app.ledger.step_record import Step
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch, iso

transfers = table_of(Transfer)
transfer_lines = table_of(TransferLine)
locations = table_of(Location)
STATUSES = ("open", "shipped", "received", "cancelled")


class TransferLineOut(BaseModel):
    model_config = ConfigDict(frozen=True)
    sku: str
    quantity: int  # asked for at intake
    shipped: int
    received: int


class TransferOut(BaseModel):
    """A transfer as the warehouse and customer service see it."""

    model_config = ConfigDict(frozen=True)
    id: int
    order_number: str
    fulfilment_id: int  # the store's pickup fulfilment order
    from_location: str
    to_location: str
    status: str  # open | shipped | received | cancelled
    created_at: str
    shipped_at: str | None
    shipped_by: str | None
    received_at: str | None
    lines: list[TransferLineOut]


def open_transfer(
    conn: Connection,
    batch: WriteBatch,
    *,
    fulfilment_id: int,
    order_number: str,
    from_location_id: int,
    to_location_id: int,
    lines: Sequence[dict[str, Any]],
) -> int:
    """Record the transfer of a ship-for-pickup order at intake; its id."""
    transfer_id = int(
        conn.execute(
            insert(transfers)
            .values(
                fulfilment_order_id=fulfilment_id,
                order_number=order_number,
                from_location_id=from_location_id,
                to_location_id=to_location_id,
                status="open",
                created_at=batch.now,
            )
            .returning(transfers.c.id)
        ).scalar_one()
    )
    conn.execute(
        insert(transfer_lines),
        [
            {
                "transfer_id": transfer_id,
                "item_id": line["item_id"],
                "sku": line["sku"],
                "quantity": line["quantity"],
                "shipped": 0,
                "received": 0,
            }
            for line in lines
        ],
    )
    return transfer_id


def ship_transfer(engine: Engine, transfer_id: int, by: str) -> TransferOut:
    """The warehouse dispatches the transfer: its reserved units leave the warehouse
    (reservation consumed) and go in transit to the store, for the store to receive."""
    by = by.strip()
    if not 1 <= len(by) <= 40:
        raise BadInput("Say who shipped the transfer, in 40 characters at most.")
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        # Lock order, as for a pushed pickup step (a receipt): the ledger head (the
        # batch), the fulfilment order (``load``), then its transfer (here, and in
        # ``follow_transfer``). The transfer's order never changes, so it is read first.
        fulfilment_id = conn.execute(
            select(transfers.c.fulfilment_order_id).where(transfers.c.id == transfer_id)
        ).scalar()
        held = None if fulfilment_id is None else load(conn, fulfilment_id)
        row = conn.execute(
            select(transfers).where(transfers.c.id == transfer_id).with_for_update()
        ).first()
        if row is None:
            raise NotFound(f"There is no transfer {transfer_id}.", next_step="Check the number.")
        if row.status != "open":
            raise RuleRefused(
                f"Transfer {transfer_id} (order {row.order_number}) is {row.status}; "
                "there is nothing to ship.",
                next_step="List the open transfers and ship one of those.",
            )
        if held is None:  # the foreign key makes this a broken database, not a user error
            raise RuntimeError(f"transfer {transfer_id} has no fulfilment order")
        outcome = dispatch(held.order)
        book = StockBook(conn, batch, held.location_id)
        save(conn, batch, book, held, outcome, Step("transfer.ship", by))
        conn.execute(update(transfers).where(transfers.c.id == transfer_id).values(shipped_by=by))
        book.flush()
        batch.flush()
    return transfer_view(engine, transfer_id)


def _query(conn: Connection, *where: Any) -> list[TransferOut]:
    source, target = aliased(locations), aliased(locations)
    t = transfers.c
    rows = conn.execute(
        select(transfers, source.c.code.label("source"), target.c.code.label("target"))
        .join(source, source.c.id == t.from_location_id)
        .join(target, target.c.id == t.to_location_id)
        .where(*where)
        .order_by(t.id)
    ).all()
    ids = [r.id for r in rows]
    by_transfer: dict[int, list[TransferLineOut]] = {i: [] for i in ids}
    if ids:
        for line in conn.execute(
            select(transfer_lines)
            .where(transfer_lines.c.transfer_id.in_(ids))
            .order_by(transfer_lines.c.id)
        ):
            by_transfer[line.transfer_id].append(
                TransferLineOut(
                    sku=line.sku,
                    quantity=line.quantity,
                    shipped=line.shipped,
                    received=line.received,
                )
            )
    return [
        TransferOut(
            id=r.id,
            order_number=r.order_number,
            fulfilment_id=r.fulfilment_order_id,
            from_location=r.source,
            to_location=r.target,
            status=r.status,
            created_at=iso(r.created_at),
            shipped_at=iso(r.shipped_at) if r.shipped_at else None,
            shipped_by=r.shipped_by,
            received_at=iso(r.received_at) if r.received_at else None,
            lines=by_transfer[r.id],
        )
        for r in rows
    ]


def transfer_view(engine: Engine, transfer_id: int) -> TransferOut:
    """One transfer; ``NotFound`` when there is none with that number."""
    with reader(engine).begin() as conn:
        found = _query(conn, transfers.c.id == transfer_id)
    if not found:
        raise NotFound(f"There is no transfer {transfer_id}.", next_step="Check the number.")
    return found[0]


def list_transfers(
    engine: Engine, status: str | None = None, location: str | None = None
) -> list[TransferOut]:
    """Transfers, oldest first; only those in ``status`` / from or to ``location``."""
    where = []
    if status is not None:
        if status not in STATUSES:
            raise BadInput(
                f"'{status}' is not a transfer status.",
                next_step=f"Use one of: {', '.join(STATUSES)}.",
            )
        where.append(transfers.c.status == status)
    with reader(engine).begin() as conn:
        if location is not None:
            loc_id = conn.execute(
                select(locations.c.id).where(locations.c.code == location)
            ).scalar()
            if loc_id is None:
                raise NotFound(f"There is no location {location}.", next_step="Check the code.")
            where.append(
                (transfers.c.from_location_id == loc_id) | (transfers.c.to_location_id == loc_id)
            )
        return _query(conn, *where)
