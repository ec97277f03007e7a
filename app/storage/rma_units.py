"""The returned units taken in at this station, one per RMA label (``rma_units``).

Kept in the transaction that records the return, so every label that prints names a unit
this station knows, offline too: the put-away by scan (:mod:`app.services.returns.put_away`)
finds the unit, the bucket it waits in and the bin it went to last here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from app.domain.returns.put_away import ReturnPutAway, WaitingUnit
from app.domain.stock import Bucket
from app.storage.types import to_text


def keep(
    conn: sqlite3.Connection, return_id: str, units: Iterable[tuple[str, str, Bucket]]
) -> None:
    """Keep the (rma_id, sku, bucket) units of a return just recorded."""
    conn.executemany(
        "INSERT INTO rma_units (rma_id, return_id, sku, bucket) VALUES (?, ?, ?, ?)",
        [(rma, return_id, sku, bucket.value) for rma, sku, bucket in units],
    )


def reference_kept(conn: sqlite3.Connection, reference: str) -> bool:
    """A unit is kept here whose RMA id is ``<reference>-<n>``."""
    found = conn.execute(  # '.' follows '-' in ASCII: the range reads the key's index
        "SELECT 1 FROM rma_units WHERE rma_id > ? AND rma_id < ? LIMIT 1",
        (f"{reference}-", f"{reference}."),
    )
    return found.fetchone() is not None


def unit(conn: sqlite3.Connection, rma_id: str) -> WaitingUnit | None:
    row = conn.execute(
        "SELECT rma_id, sku, bucket, bin, shelved FROM rma_units WHERE rma_id = ?", (rma_id,)
    ).fetchone()
    if row is None:
        return None
    return WaitingUnit(str(row[0]), str(row[1]), Bucket(row[2]), str(row[3]), bool(row[4]))


def put(conn: sqlite3.Connection, done: ReturnPutAway, *, shelved: bool, now: datetime) -> None:
    """The unit is in ``done.bin`` now, in ``done.to_bucket``."""
    conn.execute(
        "UPDATE rma_units SET bin = ?, bucket = ?, shelved = ?, put_at = ? WHERE rma_id = ?",
        (done.bin, done.to_bucket.value, int(shelved), to_text(now), done.rma_id),
    )


def shelf_bins_of(conn: sqlite3.Connection, item_id: int) -> set[str]:
    """The planogram's shelf bins of an item here (the ledger's, as the ledger checks)."""
    rows = conn.execute("SELECT bin_code FROM planogram WHERE item_id = ?", (item_id,))
    return {str(code).upper() for (code,) in rows}


def is_shelf_bin(conn: sqlite3.Connection, code: str) -> bool:
    """``code`` is a shelf bin of this location's planogram (of any item)."""
    found = conn.execute("SELECT 1 FROM planogram WHERE upper(bin_code) = ? LIMIT 1", (code,))
    return found.fetchone() is not None
