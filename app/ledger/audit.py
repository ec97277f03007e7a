"""The hash-chained audit log: each entry's hash is sha256(previous hash + its body).

There is one chain per location (``chain`` = the location id) for the writes of one
store, which may run beside other stores' writes, and chain 0 for network-wide writes
(and every entry made before chains were split). Writes to one chain never run at the
same time (see :mod:`app.ledger.sequencer`), so within a chain the entry ids grow in the
order the entries were made and the newest id holds the hash the next entry links to.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from app.ledger.models import AuditEntry, table_of

GENESIS = "0" * 64
NETWORK_CHAIN = 0
audit_table = table_of(AuditEntry)

# PostgreSQL links an entry itself, after the newest of its chain, with the same hash as
# chain_hash() (bodies are ASCII JSON): no round trip to read the last hash first.
APPEND_AUDIT = (
    "INSERT INTO audit_log (chain, at, actor, approver, action, body, prev_hash, hash)"
    " SELECT %(chain)s, %(at)s, %(actor)s, %(approver)s, %(action)s, %(body)s, p.h,"
    " encode(sha256(convert_to(p.h || %(body)s::text, 'UTF8')), 'hex')"
    " FROM (SELECT coalesce((SELECT hash FROM audit_log WHERE chain = %(chain)s"
    f" ORDER BY id DESC LIMIT 1), '{GENESIS}') AS h) AS p"
)


def canonical(body: dict[str, Any]) -> str:
    """The one JSON text of an entry that its hash covers."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)


def chain_hash(prev_hash: str, body: str) -> str:
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def last_hash(conn: Connection, chain: int = NETWORK_CHAIN) -> str:
    """Hash of the newest entry of ``chain`` (call holding that chain's write lock)."""
    row = conn.execute(
        select(audit_table.c.hash)
        .where(audit_table.c.chain == chain)
        .order_by(audit_table.c.id.desc())
        .limit(1)
    ).first()
    return str(row[0]) if row else GENESIS


@dataclass(frozen=True)
class ChainReport:
    entries: int
    ok: bool
    broken_at: int | None = None  # id of the first entry that does not verify
    chains: int = 0


def verify_chain(conn: Connection) -> ChainReport:
    """Recompute every hash of every chain in id order; report the first entry (lowest
    id) that does not match."""
    prev: dict[int, str] = {}
    count = 0
    broken: int | None = None
    rows = conn.execute(
        select(
            audit_table.c.id,
            audit_table.c.chain,
            audit_table.c.body,
            audit_table.c.prev_hash,
            audit_table.c.hash,
        ).order_by(audit_table.c.id)
    )
    for entry_id, chain, body, prev_hash, digest in rows:
        count += 1
        before = prev.get(chain, GENESIS)
        if broken is None and (prev_hash != before or chain_hash(before, body) != digest):
            broken = entry_id
        prev[chain] = digest
    return ChainReport(entries=count, ok=broken is None, broken_at=broken, chains=len(prev))
