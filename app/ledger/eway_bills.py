"""The e-way bill at the ledger: a parcel handed to the carrier (``ship.handover``, a
physical fact, never refused) of an order worth more than its location's threshold and
no valid e-way bill number is recorded, and the store's manager is told
(:data:`~app.domain.exception_texts.EWAY_BILL_MISSING`), once per order.

The rule and its measure are the bench's own (:mod:`app.domain.shipping.eway_bill`): what
the order's invoice from this location comes to, against the location's threshold; an
e-way bill number another parcel of the order already carried counts for all of them.
"""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.domain.exception_texts import EWAY_BILL_MISSING, Subject
from app.domain.money import Money
from app.domain.shipping.eway_bill import (
    EWAY_BILL_DIGITS,
    eway_bill_digits,
    invoice_value,
    lacks_eway_bill,
    threshold_of,
)
from app.domain.shipping.ops import ShipHandover
from app.ledger.flags import exceptions, open_worded_exception
from app.ledger.fulfilment_lines import lines_of
from app.ledger.models import Location, table_of
from app.ledger.order_charges import charges_of
from app.ledger.parcel_rows import parcels
from app.ledger.ship_rows import ShipHeld
from app.ledger.writes import WriteBatch

locations = table_of(Location)

SHOWN = 20  # characters of a malformed number quoted back to the manager


def flag_missing_eway_bill(
    conn: Connection, batch: WriteBatch, held: ShipHeld, payload: ShipHandover, op_id: str
) -> bool:
    """Open the order's "no e-way bill" exception when this hand-over needs a bill and
    has none (nor has the order, nor is one open already); whether it opened one."""
    before = held.order.parcel(payload.sscc)
    if before is None or before.handed_over:  # a second scan of a parcel gone: nothing new
        return False
    fo_id = held.order.id
    discount, shipping = charges_of(conn, [fo_id])[fo_id]
    value = invoice_value(lines_of(conn, [fo_id])[fo_id], discount, shipping)
    threshold = threshold_of(
        conn.execute(
            select(locations.c.eway_bill_threshold_minor).where(locations.c.id == held.location_id)
        ).scalar_one_or_none()
    )
    number = payload.eway_bill if eway_bill_digits(payload.eway_bill) else _order_bill(conn, fo_id)
    if not lacks_eway_bill(value, threshold, number) or _already_open(conn, held):
        return False
    open_worded_exception(
        conn,
        batch,
        location_id=held.location_id,
        kind=EWAY_BILL_MISSING,
        subject=Subject(
            order=held.order.order_number,
            detail=_detail(payload, value, threshold),
        ),
        op_id=op_id,
        order_number=held.order.order_number,
    )
    return True


def _detail(payload: ShipHandover, value: int, threshold: Money) -> str:
    sent = payload.eway_bill.strip()
    if sent:
        shown = sent if len(sent) <= SHOWN else sent[:SHOWN] + "…"
        said = (
            f"The bench sent '{shown}', which is not an e-way bill number "
            f"({EWAY_BILL_DIGITS} digits)."
        )
    else:
        said = "The bench sent no e-way bill number."
    return (
        f"Parcel {payload.sscc} went to {payload.carrier}; the order's invoice here comes to "
        f"{Money(value).format()} and the threshold is {threshold.format()}. {said}"
    )


def _order_bill(conn: Connection, fo_id: int) -> str:
    """An e-way bill number another parcel of the order left with ("" when none did)."""
    p = parcels.c
    found = conn.execute(
        select(p.eway_bill).where(p.fulfilment_order_id == fo_id, p.eway_bill.is_not(None))
    ).first()
    return str(found[0]) if found else ""


def _already_open(conn: Connection, held: ShipHeld) -> bool:
    e = exceptions.c
    return (
        conn.execute(
            select(e.id).where(
                e.kind == EWAY_BILL_MISSING,
                e.status == "open",
                e.order_number == held.order.order_number,
                e.location_id == held.location_id,
            )
        ).first()
        is not None
    )
