"""Asking the ledger's lookup for what was bought, when this station's cache has nothing.

Runs on the network worker. Each reading of the search box is asked in turn (a numeric
receipt that also reads as an item is asked both ways) until one finds orders; each order
the ledger answers is turned into the one shape a return reads (:class:`SoldOrder`) so it
is kept in the cache and found here next time, offline too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.domain.returns.lookup import Look, LookFor, number_forms, read_query
from app.domain.returns.sold import SoldOrder
from app.domain.tax.invoice_numbers import INDIA
from app.sync import return_orders
from app.sync.client import LedgerClient
from app.sync.return_orders import ReturnOrder

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
    """An order as the ledger answered it, in the shape a return reads (the one converter
    the synced sales use too, days in India); a parcel it was found by is kept with it, so
    the same scan finds it here next time."""
    sold = return_orders.sold_order(order, INDIA)
    if look.way is LookFor.PARCEL and look.value not in sold.parcels:
        sold = replace(sold, parcels=(*sold.parcels, look.value))
    return sold
