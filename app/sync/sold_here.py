"""This location's recent sales, as the sold-orders scope brings them, kept where a return
looks (app.storage.sold_orders, source ``here``), so the counter finds them offline.

The scope's rows sit in ``sold_here`` as pulled (the checksum counts them there); each is
kept in sold_orders as the order a return reads, by its phone and e-mail search keys.
Orders sold before the window (protocol.sold_since) age out at every pull: the ledger
stops sending them on the same day, so both sides count the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from app.domain.clock import utcnow
from app.storage import sold_orders
from app.sync.protocol import sold_since
from app.sync.return_orders import ReturnOrder, sold_order

_ROWS = "SELECT view, phone_key, email_key FROM sold_here"


def keep_pulled(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
    """Keep the scope's rows ``ids`` (just written) as orders a return can find."""
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        _keep(conn, conn.execute(f"{_ROWS} WHERE id IN ({marks})", chunk))


def keep_snapshot(conn: sqlite3.Connection) -> None:
    """After a snapshot of the scope: its rows are every sale kept here, no more."""
    sold_orders.forget_missing(conn, "here", "SELECT order_number FROM sold_here")
    _keep(conn, conn.execute(_ROWS))


def age_out(conn: sqlite3.Connection, now: datetime | None = None) -> int:
    """Forget this location's sales from before the window; how many rows went."""
    since = sold_since(now or utcnow())
    gone = conn.execute("DELETE FROM sold_here WHERE sold_at < ?", (since.date().isoformat(),))
    if gone.rowcount:
        sold_orders.forget_before(conn, since.date(), source=("here",))
    return gone.rowcount


def _keep(conn: sqlite3.Connection, rows: sqlite3.Cursor) -> None:
    zone = datetime.now().astimezone().tzinfo  # the store's days: the station's clock
    assert zone is not None
    for view, phone_key, email_key in rows.fetchall():
        sold_orders.keep_order(
            conn,
            sold_order(ReturnOrder.model_validate_json(view), zone),
            source="here",
            phone_key=phone_key or None,
            email_key=email_key or None,
        )
