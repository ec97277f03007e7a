"""Applying a ``return.put_away``: a returned unit was put into a bin, by scan.

The station decided where the unit goes (:mod:`app.domain.returns.put_away`); the ledger
keeps it (``return_put_aways``) and, when the unit went back on its shelf after a lead's
inspection, moves it between buckets at the location (out of open-box, quarantine or
damaged, into sellable), so available-to-promise counts it again. An operation sent again
is answered from the push's own record (by op_id), so nothing moves twice. Three things
are refused with words, since the station checked them already and only a unit that is
not what the station thought can get here: an RMA id of no return taken in at this
location, a bin that is not this location's, and a unit already back on its shelf (a
second station's put-away would move it twice).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from app.domain.returns.put_away import BinKind, ReturnPutAway, bin_kind
from app.domain.returns.rma import return_id_start
from app.domain.stock import MovementKind
from app.ledger.devices import DeviceRef
from app.ledger.models import Item, Return, ReturnLine, ShelfBin, table_of
from app.ledger.models import ReturnPutAway as PutAwayRow
from app.ledger.outcomes import applied, rejected
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp

returns = table_of(Return)
return_lines = table_of(ReturnLine)
put_aways = table_of(PutAwayRow)
shelf_bins = table_of(ShelfBin)
items = table_of(Item)

SCAN_AGAIN = "Scan the unit's RMA label again; if it is refused, call a lead."


@dataclass(frozen=True)
class Unit:
    """The returned unit an RMA id names at this location."""

    return_row: int
    item_id: int


def put_unit_away(
    conn: Connection,
    batch: WriteBatch,
    book: StockBook,
    device: DeviceRef,
    op: PushOp,
    payload: ReturnPutAway,
) -> OpResult:
    """Record the put-away at the device's location (see the module docstring)."""
    unit = _unit(conn, device.location_id, payload)
    if unit is None:
        return rejected(op, f"{payload.rma_id} is not a unit returned at {device.location_code}"
                        f" ({payload.sku}).", SCAN_AGAIN)  # fmt: skip
    kind = _bin_kind(conn, device.location_id, unit.item_id, payload.bin)
    if kind in (BinKind.UNKNOWN, BinKind.OTHER_SHELF) or (
        payload.moves and kind is not BinKind.SHELF
    ):
        return rejected(op, f"{payload.bin} is not a bin of {device.location_code} for "
                        f"{payload.sku}.", "Scan a bin of this store.")  # fmt: skip
    done = _shelved_in(conn, unit.return_row, payload.rma_id)
    if done is not None:
        return rejected(op, f"{payload.rma_id} was put back on the shelf already, in {done}.",
                        "Take its RMA label off.")  # fmt: skip
    seq = _move(book, device, op, payload, unit.item_id)
    _insert(conn, batch, device, op, payload, unit, shelved=kind is BinKind.SHELF)
    batch.audit(
        actor=(op.actor or "")[:40] or f"device:{device.device_id}",
        approver=None,
        action=op.type,
        subject={"op_id": op.op_id, "device_id": device.device_id, **payload.to_payload()},
    )
    return applied(op, seq if seq is not None else batch.next_seq(), [])


def _unit(conn: Connection, location_id: int, payload: ReturnPutAway) -> Unit | None:
    """The return (taken in here) and item of an RMA id ``<reference>-<n>``, the reference
    a credit note number, a station's short id of its return or (labels printed before
    short ids) the return id: None when no return here has an n-th unit of that SKU."""
    reference, _, number = payload.rma_id.rpartition("-")
    if not reference or not number.isdigit() or int(number) < 1:
        return None
    r = returns.c
    start = return_id_start(reference)
    named = (r.credit_note == reference) | (r.return_id == reference)
    if start is not None:  # two stations' short ids may meet: the unit tells them apart
        named = named | r.return_id.startswith(start, autoescape=True)
    found = conn.execute(select(r.id).where(r.location_id == location_id, named)).scalars()
    for return_row in found:
        unit = _nth_unit(conn, int(return_row), int(number), payload.sku)
        if unit is not None:
            return unit
    return None


def _nth_unit(conn: Connection, return_row: int, number: int, sku: str) -> Unit | None:
    """The item of ``sku`` in the return, when it has ``number`` units or more."""
    line = return_lines.c
    units = conn.execute(
        select(func.coalesce(func.sum(line.quantity), 0)).where(line.return_id == return_row)
    ).scalar_one()
    item_id = conn.execute(
        select(line.item_id).where(line.return_id == return_row, line.sku == sku)
    ).scalar()
    if number > int(units) or item_id is None:
        return None
    return Unit(return_row, int(item_id))


def _bin_kind(conn: Connection, location_id: int, item_id: int, code: str) -> BinKind:
    b = shelf_bins.c
    holders = set(
        conn.execute(
            select(b.item_id).where(b.location_id == location_id, b.bin_code == code)
        ).scalars()
    )
    return bin_kind(code, {code} if item_id in holders else set(), {code} if holders else set())


def _shelved_in(conn: Connection, return_row: int, rma_id: str) -> str | None:
    """The shelf bin the unit went back to, when it did (its put-away is done)."""
    p = put_aways.c
    row = conn.execute(
        select(p.bin_code)
        .where(p.return_id == return_row, p.rma_id == rma_id, p.shelved.is_(True))
        .limit(1)
    ).first()
    return str(row.bin_code) if row else None


def _move(
    book: StockBook, device: DeviceRef, op: PushOp, payload: ReturnPutAway, item_id: int
) -> int | None:
    """Out of the bucket it waited in, into sellable: the ledger_seq of the last change
    (None when the bin keeps its bucket)."""
    if not payload.moves:
        return None
    seq = 0
    for bucket, quantity in ((payload.from_bucket, -1), (payload.to_bucket, 1)):
        _, seq = book.post(
            item_id, quantity=quantity, kind=MovementKind.ADJUSTMENT, bucket=bucket,
            device_id=device.device_id, op_id=op.op_id,
        )  # fmt: skip
    return seq


def _insert(
    conn: Connection,
    batch: WriteBatch,
    device: DeviceRef,
    op: PushOp,
    payload: ReturnPutAway,
    unit: Unit,
    *,
    shelved: bool,
) -> None:
    conn.execute(
        insert(put_aways).values(
            rma_id=payload.rma_id, return_id=unit.return_row, location_id=device.location_id,
            item_id=unit.item_id, bin_code=payload.bin, from_bucket=payload.from_bucket.value,
            to_bucket=payload.to_bucket.value, shelved=shelved, op_id=op.op_id,
            device_id=device.device_id, put_at=batch.now, put_by=(op.actor or "")[:40],
        )
    )  # fmt: skip
