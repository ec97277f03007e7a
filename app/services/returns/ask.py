"""Asking the ledger's lookup for what was bought, when this station's cache has nothing.

Runs on the network worker. Each reading of the search box is asked in turn (a numeric
receipt that also reads as an item is asked both ways) until one finds orders; each order
the ledger answers is turned into the one shape a return reads (:class:`SoldOrder`) so it
is kept in the cache and found here next time, offline too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.returns.lookup import Look, LookFor, number_forms, read_query
from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.sold import SoldLine, SoldOrder
from app.domain.tax.invoice_numbers import INDIA
from app.sync.client import LedgerClient
from app.sync.return_orders import ReturnLine, ReturnOrder

# How the ledger's lookup names each way of looking.
ASKED_AS = {
    LookFor.ORDER: "order",
    LookFor.PARCEL: "parcel",
    LookFor.ITEM: "gtin",
    LookFor.PHONE: "phone",
    LookFor.EMAIL: "email",
}


@dataclass(frozen=True)
class LedgerAnswer:
    """The orders the ledger answered and the reading of the box that found them."""

    orders: tuple[SoldOrder, ...]
    look: Look


def ask(client: LedgerClient, text: str, by: str) -> LedgerAnswer:
    """The ledger's orders for ``text``, by its most likely reading that finds any
    (``BadInput`` when there is nothing to look for; ``Offline`` from the client)."""
    looks = read_query(text)
    for look in looks:
        for value in _values(look):
            found = client.return_orders(ASKED_AS[look.way], value, by)
            if found.orders:
                return LedgerAnswer(tuple(sold_order(x, look) for x in found.orders), look)
    return LedgerAnswer((), looks[0])


def _values(look: Look) -> tuple[str, ...]:
    """The forms a number is asked in: as typed, then squeezed and upper case ("r 0042"
    typed for R0042), as the cache is searched."""
    return number_forms(look.value) if look.way is LookFor.ORDER else (look.value,)


def sold_order(order: ReturnOrder, look: Look) -> SoldOrder:
    """An order as the ledger answered it, in the shape a return reads; a parcel it was
    found by is kept with it so the same scan finds it here next time."""
    first = order.from_locations[0] if order.from_locations else None
    return SoldOrder(
        order_number=order.order_number,
        channel=order.channel,
        sold_on=india_day(order.sold_at),
        location=first.code if first else (order.lines[0].from_location if order.lines else ""),
        lines=tuple(sold_line(x) for x in order.lines),
        delivered_on=india_day(order.delivered_at) if order.delivered_at else None,
        location_state=first.state_code if first else "",
        payment=order.payment,
        discount_minor=order.discount_minor,
        shipping_minor=order.shipping_minor,
        customer=masked(order.customer.first_name, order.customer.phone_last4),
        parcels=(look.value,) if look.way is LookFor.PARCEL else (),
        shipping_refunded=order.shipping_refunded,
    )


def sold_line(line: ReturnLine) -> SoldLine:
    return SoldLine(
        line_no=line.line_no,
        sku=line.sku,
        gtin=line.gtin,
        name=line.name,
        quantity=line.quantity,
        unit_paid_minor=line.unit_paid_minor,
        hsn_code=line.hsn_code,
        gst_rate_bp=line.gst_rate_bp,
        return_days=line.return_days,
        final_sale=not line.returnable,
        return_category=line.return_category,
        earlier=tuple(
            EarlierReturn(x.quantity, x.location, india_day(x.recorded_at)) for x in line.earlier
        ),
    )


def masked(first_name: str, phone_last4: str) -> str:
    """The customer as the counter shows them: "Priya ••3210"."""
    phone = f"••{phone_last4}" if phone_last4 else ""
    return " ".join(part for part in (first_name, phone) if part)


def india_day(at: datetime) -> date:
    """The store day in India of a moment the ledger gave."""
    return at.astimezone(INDIA).date()
