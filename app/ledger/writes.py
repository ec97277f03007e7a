"""One write transaction's bookkeeping: ledger_seq allocation, change rows, audit entries.

A :class:`WriteBatch` is made at the start of every write transaction. Given locations,
it is a write for those stores only (usually one; a group of pushes from several stores,
:mod:`app.ledger.push_together`, takes several): on PostgreSQL it then waits only for
other writes of the same stores, takes its ledger_seq values in blocks that readers know
are in flight, and appends to those locations' audit chains. Without one it is network-wide and runs
alone, holding the ledger head, as every write did before. How pulls stay gapless either
way is told in :mod:`app.ledger.sequencer`. On SQLite ``BEGIN IMMEDIATE`` serialises all
writers and the head is read and moved in the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.exc import DBAPIError

from app.domain.clock import utcnow as utcnow  # re-exported: ledger modules import it here
from app.ledger import sequencer
from app.ledger.audit import APPEND_AUDIT, NETWORK_CHAIN, canonical, chain_hash, last_hash
from app.ledger.bulk import bulk_insert
from app.ledger.models import AuditEntry, ChangeLog, LedgerHead, table_of
from app.sync.protocol import Scope

head_table = table_of(LedgerHead)
change_table = table_of(ChangeLog)
audit_table = table_of(AuditEntry)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), default=json_default)


def json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes that were stored as UTC; make them aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime) -> str:
    """UTC ISO text of a stored time."""
    return aware(value).isoformat()


# Operation types that write only their own store's rows (balances, movements, exceptions
# of the station's location), so a batch of them may run beside other stores' writes.
STORE_ONLY_OPS = frozenset({"stock.count"})
MIN_BLOCK = 4  # ledger_seq values a location write takes at a time, at least
COPY_FROM = 200  # change rows from which COPY beats a pipelined insert


def store_only(op_types: list[str]) -> bool:
    """Every op type writes only its station's store."""
    return bool(op_types) and set(op_types) <= STORE_ONLY_OPS


class WriteBatch:
    """Allocates ledger_seq and buffers change_log and audit rows until :meth:`flush`.

    ``locations``: this transaction writes only those locations' stock, exceptions and
    audit (a station's counts); none: network-wide. Audit entries go to the first one's
    chain until :meth:`write_for` names another. ``seqs_hint``: how many ledger_seq
    values it probably needs (a location write takes them in blocks of at least that).
    """

    def __init__(
        self, conn: Connection, *, locations: Sequence[int] = (), seqs_hint: int = 0
    ) -> None:
        self.conn = conn
        self._pg = sequencer.is_postgres(conn)
        self.now = utcnow()
        self.chain = NETWORK_CHAIN
        self._changes: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []
        self._prev_hash: dict[int, str] = {}  # chain -> last hash (SQLite)
        self._locations = sorted(set(locations))
        self._blocks: list[int] = []  # seq_blocks rows of a location write (PostgreSQL)
        self._later: list[tuple[str, list[dict[str, Any]]]] = []  # see :meth:`insert_later`
        self._block_size = max(MIN_BLOCK, seqs_hint)
        self._xid: int | None = None
        self._first_block_lo = 0
        self._block_end: int | None = None  # None: no blocks, the head is ours to commit
        if locations:
            self.chain = locations[0]
        if locations and sequencer.is_postgres(conn):
            self._xid = sequencer.lock_locations(conn, self._locations)
            self._start = self.last_seq = self._block_end = 0
        elif sequencer.is_postgres(conn):
            self._start = self.last_seq = sequencer.lock_network(conn)
        else:
            row = conn.execute(select(head_table.c.last_seq).where(head_table.c.id == 1)).one()
            self._start = self.last_seq = int(row[0])

    def write_for(self, location_id: int) -> None:
        """The audit entries that follow go to ``location_id``'s chain (one of the
        locations this batch was made for, and so holds the lock of)."""
        if location_id not in self._locations:
            raise ValueError(f"location {location_id} is not one this write batch locked")
        self.chain = location_id

    def next_seq(self) -> int:
        if self._block_end is not None and self.last_seq >= self._block_end:
            self._new_block()
        self.last_seq += 1
        return self.last_seq

    def head(self) -> int:
        """The last ledger_seq handed out before this write's own (read under its lock):
        a location write's first block starts right after it, so it costs no read."""
        if self._block_end is None:
            return self._start
        if not self._first_block_lo:
            self._new_block()
        return self._first_block_lo - 1

    def _new_block(self) -> None:
        assert self._xid is not None
        allocator = sequencer.allocator_for(self.conn)
        block_id, first = allocator.allocate(self._block_size, self._xid)
        if not self._first_block_lo:
            self._first_block_lo = first
        self._blocks.append(block_id)
        self.last_seq = first - 1
        self._block_end = first - 1 + self._block_size
        self._block_size *= 2  # a big batch needs few round trips

    def change(
        self,
        scope: Scope,
        location_id: int | None,
        key: int | str,
        data: dict[str, Any] | None,
        *,
        seq: int | None = None,
    ) -> int:
        """Record that a row of ``scope`` changed; returns the change's ledger_seq."""
        seq = seq if seq is not None else self.next_seq()
        self._changes.append(
            {
                "ledger_seq": seq,
                "scope": scope.value,
                "location_id": location_id,
                "key": str(key),
                "data": None if data is None else to_json(data),
            }
        )
        return seq

    def audit(
        self, *, actor: str, approver: str | None, action: str, subject: dict[str, Any]
    ) -> None:
        """Append a hash-chained audit entry to this write's chain (on PostgreSQL the
        database links it at :meth:`flush`, in the same round trip as the other rows)."""
        body = canonical(
            {
                "at": iso(self.now),
                "actor": actor,
                "approver": approver,
                "action": action,
                "subject": subject,
            }
        )
        entry = {
            "at": self.now,
            "actor": actor,
            "approver": approver,
            "action": action,
            "body": body,
            "chain": self.chain,
        }
        if not sequencer.is_postgres(self.conn):
            previous = self._prev_hash.get(self.chain)
            if previous is None:
                previous = last_hash(self.conn, self.chain)
            digest = chain_hash(previous, body)
            entry.update(prev_hash=previous, hash=digest)
            self._prev_hash[self.chain] = digest
        self._audit.append(entry)

    @property
    def pipelined(self) -> bool:
        """Rows may be handed to :meth:`insert_later` and :meth:`update_later`
        (PostgreSQL); elsewhere a caller writes them itself."""
        return self._pg

    def insert_later(self, table: Table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows`` (keys: column names) in :meth:`flush`'s one round trip, before
        the change and audit rows. Only where :attr:`pipelined`."""
        for keys, group in _by_keys(rows):
            columns = ", ".join(keys)
            values = ", ".join(f"%({k})s" for k in keys)
            self._later.append((f"INSERT INTO {table.name} ({columns}) VALUES ({values})", group))

    def update_later(self, table: Table, key: str, rows: list[dict[str, Any]]) -> None:
        """Set the other columns of ``rows`` where ``key`` matches, in :meth:`flush`'s
        round trip, like :meth:`insert_later`."""
        for keys, group in _by_keys(rows):
            sets = ", ".join(f"{k} = %({k})s" for k in keys if k != key)
            self._later.append((f"UPDATE {table.name} SET {sets} WHERE {key} = %({key})s", group))

    def flush(self) -> None:
        """Write buffered rows and move the ledger head (or let go of the seq blocks
        taken, which makes the changes pullable when the transaction commits). Call once,
        before commit."""
        if self._pg:
            self._flush_pg()
            return
        if self._changes:
            bulk_insert(self.conn, change_table, self._changes)
            self._changes = []
        if self._audit:
            self.conn.execute(insert(audit_table), self._audit)
            self._audit = []
        if self.last_seq != self._start:
            self.conn.execute(
                update(head_table).where(head_table.c.id == 1).values(last_seq=self.last_seq)
            )
            self._start = self.last_seq

    def _flush_pg(self) -> None:
        """The same on PostgreSQL in one pipelined round trip (a big change set by COPY)."""
        if len(self._changes) > COPY_FROM:
            bulk_insert(self.conn, change_table, self._changes)
            self._changes = []
        driver: Any = self.conn.connection.driver_connection
        dbapi_error = self.conn.dialect.loaded_dbapi.Error
        try:
            with driver.pipeline(), driver.cursor() as cursor:
                for statement, rows in self._later:
                    cursor.executemany(statement, rows)
                if self._changes:
                    cursor.executemany(sequencer.INSERT_CHANGE, self._changes)
                if self._audit:
                    cursor.executemany(APPEND_AUDIT, self._audit)
                if self._xid is not None:
                    cursor.execute(sequencer.RELEASE_BLOCKS, {"ids": self._blocks})
                elif self.last_seq != self._start:
                    cursor.execute(sequencer.MOVE_HEAD, {"seq": self.last_seq})
        except dbapi_error as exc:  # as SQLAlchemy would raise it (e.g. a DataError for
            raise DBAPIError.instance("flush", None, exc, dbapi_error) from exc  # a NUL)
        self._changes, self._audit, self._blocks, self._later = [], [], [], []
        self._start = self.last_seq


def _by_keys(rows: list[dict[str, Any]]) -> list[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """``rows`` grouped by their keys, in first-seen order (one statement per group)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.items())
