"""Tax invoice and credit note numbers at the ledger: blocks of each station's series
handed out, and the number each order was packed under, kept once.

A station's series is its own (device id, series, financial year); its prefix is the
series' letter (B invoices, C credit notes) and the station number the ledger gave its
enrolment, so two stations never share a number.
Blocks follow one another with no gap. A station names the highest serial it holds and
gets every block after it, a new one only when there is none (a lost answer is answered
again; see :mod:`app.sync.invoice_blocks`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, func, insert, select

from app.domain.tax.invoice_numbers import NumberBlock, Series, next_block, station_prefix
from app.errors import RuleRefused
from app.ledger.devices import DeviceRef
from app.ledger.models import Device, InvoiceBlock, OrderInvoice, table_of
from app.sync.invoice_blocks import InvoiceBlockRow, InvoiceBlocksAnswer, InvoiceBlocksRequest

blocks = table_of(InvoiceBlock)
order_invoices = table_of(OrderInvoice)
devices = table_of(Device)


def hand_out(
    engine: Engine, device: DeviceRef, asked: InvoiceBlocksRequest, now: datetime
) -> InvoiceBlocksAnswer:
    """The blocks of ``device``'s series ``asked.series`` for the year after
    ``asked.known_last``; a new block when it holds none after it. Refused once the year's
    series is used up."""
    series, year = asked.series, asked.financial_year
    with engine.begin() as conn:
        number = _station_number(conn, device.device_id)  # locks the device's row
        held = _blocks_after(conn, device.device_id, series, year, asked.known_last)
        if not held:
            held = [_new_block(conn, device.device_id, series, year, number, now)]
    return InvoiceBlocksAnswer(
        blocks=[InvoiceBlockRow(financial_year=k.year, prefix=k.prefix, first=k.first,
                                last=k.last, series=series) for k in held]
    )  # fmt: skip


def _new_block(
    conn: Connection, device_id: str, series: Series, year: int, number: int, now: datetime
) -> NumberBlock:
    b = blocks.c
    highest = conn.execute(
        select(func.coalesce(func.max(b.last_serial), 0)).where(
            b.device_id == device_id, b.series == series.value, b.financial_year == year
        )
    ).scalar_one()
    block = next_block(year, station_prefix(number, series), int(highest))
    if block is None:
        raise RuleRefused(
            f"This bench has used every {series.words} number of {year}-{(year + 1) % 100:02d}.",
            next_step="Use another bench, and ask IT to enrol this one again.",
        )
    conn.execute(
        insert(blocks).values(
            device_id=device_id, series=series.value, financial_year=year,
            prefix=block.prefix, first_serial=block.first, last_serial=block.last,
            issued_at=now,
        )
    )  # fmt: skip
    return block


def _station_number(conn: Connection, device_id: str) -> int:
    d = devices.c
    return int(
        conn.execute(select(d.id).where(d.device_id == device_id).with_for_update()).scalar_one()
    )


def _blocks_after(
    conn: Connection, device_id: str, series: Series, year: int, known: int
) -> list[NumberBlock]:
    b = blocks.c
    rows = conn.execute(
        select(b.prefix, b.first_serial, b.last_serial)
        .where(
            b.device_id == device_id, b.series == series.value, b.financial_year == year,
            b.last_serial > known,
        )
        .order_by(b.first_serial)
    )  # fmt: skip
    return [NumberBlock(year, r.prefix, int(r.first_serial), int(r.last_serial)) for r in rows]


def invoice_of(conn: Connection, fulfilment_order_id: int) -> str | None:
    """The invoice number the order was packed under, if any."""
    o = order_invoices.c
    found = conn.execute(
        select(o.number).where(o.fulfilment_order_id == fulfilment_order_id)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def record_invoice(
    conn: Connection, fulfilment_order_id: int, number: str, *, op_id: str, device_id: str,
    at: datetime,
) -> bool:  # fmt: skip
    """Keep ``number`` as the order's invoice. False when it cannot be: the number is
    another order's, or the order has another number (the caller flags it)."""
    o = order_invoices.c
    mine = invoice_of(conn, fulfilment_order_id)
    if mine is not None:
        return mine == number
    taken = conn.execute(select(o.id).where(o.number == number)).first()
    if taken is not None:
        return False
    conn.execute(
        insert(order_invoices).values(
            fulfilment_order_id=fulfilment_order_id, number=number, op_id=op_id,
            device_id=device_id, recorded_at=at,
        )
    )  # fmt: skip
    return True
