"""A customer's earlier returns without an order at any store, as the ledger answered when
this counter asked (``no_receipt_seen``, by phone key): counted with this station's own
toward the customer's limit, so a return is refused here once another store used it up.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime

from app.domain.returns.no_receipt import NoReceiptReturn
from app.storage.types import to_text


def keep(
    conn: sqlite3.Connection,
    phone_key: str,
    asked_at: datetime,
    returns: Iterable[tuple[str, NoReceiptReturn]],
) -> None:
    """Keep the ledger's answer for ``phone_key``: (return id, return) each; it replaces
    the one kept before."""
    listed = [[rid, back.value_minor, back.on.isoformat()] for rid, back in returns]
    conn.execute(
        "INSERT OR REPLACE INTO no_receipt_seen (phone_key, asked_at, returns) VALUES (?, ?, ?)",
        (phone_key, to_text(asked_at), json.dumps(listed)),
    )


def seen(conn: sqlite3.Connection, phone_key: str) -> dict[str, NoReceiptReturn]:
    """The returns the ledger answered for ``phone_key`` last, by return id (none kept:
    empty)."""
    row = conn.execute(
        "SELECT returns FROM no_receipt_seen WHERE phone_key = ?", (phone_key,)
    ).fetchone()
    if row is None:
        return {}
    return {
        str(rid): NoReceiptReturn(int(minor), date.fromisoformat(on))
        for rid, minor, on in json.loads(row[0])
    }
