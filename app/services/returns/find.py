"""Finding the order a return is against in the station's cache, every way it can be asked.

Runs on the DB worker and never calls the ledger; when nothing is here the caller asks the
ledger's lookup on the network worker and keeps what it answers (app.storage.sold_orders).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.domain.gtin import gtin_forms
from app.domain.returns.lookup import Look, LookFor, number_forms, read_query
from app.domain.returns.sold import SoldOrder
from app.storage import sold_orders

FOUND_LIMIT = 20  # orders shown for a phone, e-mail or item: the newest


@dataclass(frozen=True)
class FoundOrders:
    """The orders one lookup found, and the way that found them."""

    orders: tuple[SoldOrder, ...]
    look: Look

    @property
    def found(self) -> bool:
        return bool(self.orders)


def find_here(conn: sqlite3.Connection, text: str) -> FoundOrders:
    """The orders in this station's cache for ``text``, by its most likely reading that
    finds any (``BadInput`` when there is nothing to look for)."""
    looks = read_query(text)
    for look in looks:
        orders = look_here(conn, look)
        if orders:
            return FoundOrders(tuple(orders), look)
    return FoundOrders((), looks[0])


def look_here(conn: sqlite3.Connection, look: Look) -> list[SoldOrder]:
    """The cached orders ``look`` finds, newest first."""
    if look.way is LookFor.ORDER:
        return sold_orders.by_number(conn, number_forms(look.value))
    if look.way is LookFor.PARCEL:
        return sold_orders.by_parcel(conn, look.value)
    if look.way is LookFor.ITEM:
        return sold_orders.by_item(conn, sorted(gtin_forms(look.value)), FOUND_LIMIT)
    if look.way is LookFor.PHONE:
        return sold_orders.by_phone(conn, look.value, FOUND_LIMIT)
    return sold_orders.by_email(conn, look.value, FOUND_LIMIT)
