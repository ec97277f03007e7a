"""One write transaction's bookkeeping: ledger_seq allocation, change rows, audit entries.

Every write transaction locks the one-row ledger head first (``FOR UPDATE`` on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already serialises writers) and hands out
ledger_seq values from it in memory, so changes commit in ledger_seq order and a pull
cursor never skips a change that committed late.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from app.domain.clock import utcnow as utcnow  # re-exported: ledger modules import it here
from app.ledger.audit import canonical, chain_hash, last_hash
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
    raise TypeError(f"cannot serialise {type(value).__name__}")


def aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes that were stored as UTC; make them aware."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def iso(value: datetime) -> str:
    """UTC ISO text of a stored time."""
    return aware(value).isoformat()


class WriteBatch:
    """Allocates ledger_seq and buffers change_log and audit rows until :meth:`flush`."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.now = utcnow()
        row = conn.execute(
            select(head_table.c.last_seq).where(head_table.c.id == 1).with_for_update()
        ).one()
        self._start = int(row[0])
        self.last_seq = self._start
        self._changes: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []
        self._prev_hash: str | None = None

    def next_seq(self) -> int:
        self.last_seq += 1
        return self.last_seq

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
        """Append a hash-chained audit entry."""
        if self._prev_hash is None:
            self._prev_hash = last_hash(self.conn)
        body = canonical(
            {
                "at": iso(self.now),
                "actor": actor,
                "approver": approver,
                "action": action,
                "subject": subject,
            }
        )
        digest = chain_hash(self._prev_hash, body)
        self._audit.append(
            {
                "at": self.now,
                "actor": actor,
                "approver": approver,
                "action": action,
                "body": body,
                "prev_hash": self._prev_hash,
                "hash": digest,
            }
        )
        self._prev_hash = digest

    def flush(self) -> None:
        """Write buffered rows and move the ledger head. Call once, before commit."""
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
