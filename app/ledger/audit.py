"""The hash-chained audit log: each entry's hash is sha256(previous hash + its body)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.ledger.models import AuditEntry, table_of

GENESIS = "0" * 64
audit_table = table_of(AuditEntry)


def canonical(body: dict[str, Any]) -> str:
    """The one JSON text of an entry that its hash covers."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def last_hash(conn: Connection) -> str:
    """Hash of the newest entry (call under the ledger head lock)."""
    row = conn.execute(
        select(audit_table.c.hash).order_by(audit_table.c.id.desc()).limit(1)
    ).first()
    return str(row[0]) if row else GENESIS


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    broken_at: int | None = None  # id of the first entry that does not verify


def verify_chain(conn: Connection) -> ChainReport:
    """Recompute every hash in id order; report the first entry that does not match."""
    prev = GENESIS
    count = 0
    rows = conn.execute(
        select(
            audit_table.c.id, audit_table.c.body, audit_table.c.prev_hash, audit_table.c.hash
        ).order_by(audit_table.c.id)
    )
    for entry_id, body, prev_hash, digest in rows:
        count += 1
        if prev_hash != prev or chain_hash(prev, body) != digest:
            return ChainReport(entries=count, ok=False, broken_at=entry_id)
        prev = digest
    return ChainReport(entries=count, ok=True)
