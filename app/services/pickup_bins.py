"""Which orders a hold-shelf bin holds: staging a second order onto a bin asks first.

An order holds its bin while units of it are in the store's custody there (for the
customer, or cancelled and not yet put back). Read from the base rows on the bin and the
orders staged to it here that the base does not hold yet, each as this station sees it.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from app.errors import RuleRefused
from app.services import pickup_view as view
from app.storage import pickups


class BinHoldsAnother(RuleRefused):
    """The bin holds another order: stage there only when the associate says so."""

    def __init__(self, bin_code: str, orders: tuple[str, ...]) -> None:
        them = orders[0] if len(orders) == 1 else ", ".join(orders)
        word = "order" if len(orders) == 1 else "orders"
        super().__init__(
            f"Bin {bin_code} already holds {word} {them}.",
            next_step="Put this order on it too, or scan another bin.",
        )
        self.bin_code = bin_code
        self.orders = orders


def orders_on_bin(
    conn: sqlite3.Connection,
    rules: pickups.StoreRules,
    now: datetime,
    bin_code: str,
    *,
    but: int,
) -> tuple[str, ...]:
    """Order numbers with units on ``bin_code`` now, other than order ``but``."""
    rows = {int(r["id"]): r for r in pickups.on_bin(conn, bin_code)}
    staged = pickups.staged_here_to(conn, pickups.sync_cursor(conn), bin_code)
    for row in pickups.by_ids(conn, set(staged) - set(rows)):
        rows[int(row["id"])] = row
    rows.pop(but, None)
    code = bin_code.upper()
    return tuple(
        sorted(
            v.order.order_number
            for v in view.currents(conn, list(rows.values()), rules, now)
            if (v.order.bin or "").upper() == code and any(x.in_hand for x in v.order.lines)
        )
    )
