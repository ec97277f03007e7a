"""Who may write at once, and ledger_seq handed out so that a pull never skips a change.

Design (PostgreSQL). A write transaction is either *for one location* (a station's
stock counts: only that store's balances, movements, exceptions and audit chain) or
*network-wide* (order intake, pickups, transfers, seeding, imports, anything else).

- Locks, held to commit (``pg_advisory_xact_lock``): a location write takes the shared
  network lock and its location's own lock; a network-wide write takes the network lock
  exclusively. So writes of one store still queue one behind the other (their
  read-modify-write of balances needs that), different stores write side by side, and a
  network-wide write runs alone, as every write did before.
- Sequence: a location write takes its ledger_seq values in blocks from ``ledger_head``
  in a tiny transaction of its own on a separate connection, which also records the block
  in ``seq_blocks`` with the writer's transaction id. The head row is locked only for
  that statement, not for the writer's transaction. The writer deletes its blocks in its
  own transaction, so they disappear exactly when its changes become visible. A
  network-wide write takes the head row for its whole transaction, as before.
- Gapless pulls: readers do not serve up to the head but up to :func:`safe_seq`, one
  below the lowest block whose writer is not visible in the reader's snapshot (still
  running, or committed after the snapshot was taken). A change that commits late
  therefore always has a seq above every cursor handed out before it committed. Blocks
  of writers that rolled back or died are ignored (``pg_xact_status`` says aborted) and
  swept up now and then. Unused seqs at the end of a block are simply never used: the
  sequence may have gaps, never a change that a cursor has already passed.

On SQLite every write transaction begins ``BEGIN IMMEDIATE``, which serialises writers
anyway: the head row is read and moved in the writer's transaction and readers serve up
to the head.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text

NETWORK_LOCK = (17218, 0)  # ("CB", 0): held shared by location writes, alone by the rest
LOCATION_LOCK_CLASS = 17219  # (17219, location id): one store's writes one at a time
SWEEP_EVERY = 200  # allocations between sweeps of blocks left by aborted writers

_ALLOCATE = text(
    "WITH h AS (UPDATE ledger_head SET last_seq = last_seq + :n WHERE id = 1"
    " RETURNING last_seq)"
    " INSERT INTO seq_blocks (lo, hi, xid) SELECT last_seq - :n + 1, last_seq, :xid FROM h"
    " RETURNING id, lo"
)
_SWEEP = text(
    "DELETE FROM seq_blocks WHERE pg_xact_status(xid::text::xid8) IS DISTINCT FROM 'in progress'"
)
_SAFE = text(
    "SELECT coalesce("
    " (SELECT min(lo) - 1 FROM seq_blocks"
    "  WHERE NOT pg_visible_in_snapshot(xid::text::xid8, pg_current_snapshot())"
    "  AND pg_xact_status(xid::text::xid8) IS DISTINCT FROM 'aborted'),"
    " (SELECT last_seq FROM ledger_head WHERE id = 1))"
)
_HEAD = text("SELECT last_seq FROM ledger_head WHERE id = 1")
_LOCK_LOCATIONS = text(
    "SELECT pg_advisory_xact_lock_shared(:c0, :k0),"
    " (SELECT count(pg_advisory_xact_lock(:c1, l)) FROM unnest(CAST(:locs AS integer[])) AS l),"
    " pg_current_xact_id()::text"
)
# Driver-level statements for a write's pipelined flush (app.ledger.writes).
INSERT_CHANGE = (
    "INSERT INTO change_log (ledger_seq, scope, location_id, key, data)"
    " VALUES (%(ledger_seq)s, %(scope)s, %(location_id)s, %(key)s, %(data)s)"
)
RELEASE_BLOCKS = "DELETE FROM seq_blocks WHERE id = ANY(%(ids)s)"
MOVE_HEAD = "UPDATE ledger_head SET last_seq = %(seq)s WHERE id = 1"


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def lock_locations(conn: Connection, location_ids: list[int]) -> int:
    """Take the shared network lock and the lock of each of ``location_ids`` (in the
    order given: callers give them sorted, so two writers never wait on each other);
    return the transaction id."""
    row = conn.execute(
        _LOCK_LOCATIONS,
        {"c0": NETWORK_LOCK[0], "k0": NETWORK_LOCK[1], "c1": LOCATION_LOCK_CLASS,
         "locs": location_ids},
    ).one()  # fmt: skip
    return int(row[2])


def lock_network(conn: Connection) -> int:
    """Take the network lock alone and the head row; return the last seq handed out."""
    conn.execute(
        text("SELECT pg_advisory_xact_lock(:c0, :k0)"),
        {"c0": NETWORK_LOCK[0], "k0": NETWORK_LOCK[1]},
    )
    return int(conn.execute(text(_HEAD.text + " FOR UPDATE")).scalar_one())


class BlockAllocator:
    """Hands out blocks of ledger_seq from autocommit connections of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = create_engine(
            engine.url,
            pool_size=4,  # a connection closed after each use costs more than the
            max_overflow=4,  # block: keep enough for a process's writers at once
            isolation_level="AUTOCOMMIT",
            # a lost block only leaves a gap: it need not wait for the disk
            connect_args={"options": "-c synchronous_commit=off"},
        )
        self._calls = 0

    def allocate(self, size: int, xid: int) -> tuple[int, int]:
        """A new block of ``size`` seqs for transaction ``xid``: (block id, first seq)."""
        with self.engine.connect() as conn:
            block_id, lo = conn.execute(_ALLOCATE, {"n": size, "xid": xid}).one()
            self._calls += 1
            if self._calls % SWEEP_EVERY == 0:
                conn.execute(_SWEEP)
        return int(block_id), int(lo)


_allocators: dict[str, BlockAllocator] = {}
_allocators_lock = threading.Lock()


def allocator_for(conn: Connection) -> BlockAllocator:
    """The process's allocator for the database ``conn`` is on."""
    key = conn.engine.url.render_as_string(hide_password=False)
    with _allocators_lock:
        found = _allocators.get(key)
        if found is None:
            found = _allocators[key] = BlockAllocator(conn.engine)
        return found


def safe_seq(conn: Connection) -> int:
    """The cursor a reader may hand out: every change at or below it is visible in
    ``conn``'s snapshot, and none can commit there later."""
    query: Any = _SAFE if is_postgres(conn) else _HEAD
    return int(conn.execute(query).scalar_one())
