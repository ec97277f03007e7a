"""The batch pick in progress at this bench: its orders with their totes, the bin stock
the walk was planned on, and each step the picker took, in order. Reopening the cache
replays the steps on the same plan, so a walk survives a restart."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BatchRow:
    batch_id: str
    started_at: str
    started_by: str
    stock: list[list[Any]]  # [bin_code, sku, units] the walk was planned on


@dataclass(frozen=True)
class BatchOrderRow:
    tote: str
    fulfilment_id: int
    order_number: str
    lines: list[dict[str, Any]]  # [{sku, name, quantity, item_id}]
    promised_by: str | None


@dataclass(frozen=True)
class StepRow:
    action: str  # scan | short | skip | back | reject
    scanned: str
    quantity: int


def next_number(conn: sqlite3.Connection) -> int:
    """How many batches this cache has started, plus one."""
    return int(conn.execute("SELECT count(*) FROM batches").fetchone()[0]) + 1


def start(conn: sqlite3.Connection, batch: BatchRow, orders: list[BatchOrderRow]) -> None:
    conn.execute(
        "INSERT INTO batches (batch_id, started_at, started_by, stock) VALUES (?, ?, ?, ?)",
        (batch.batch_id, batch.started_at, batch.started_by, json.dumps(batch.stock)),
    )
    conn.executemany(
        "INSERT INTO batch_orders (batch_id, tote, fulfilment_id, order_number, lines, "
        "promised_by) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                batch.batch_id,
                o.tote,
                o.fulfilment_id,
                o.order_number,
                json.dumps(o.lines),
                o.promised_by,
            )
            for o in orders
        ],
    )


def open_batch(conn: sqlite3.Connection) -> BatchRow | None:
    """The batch being picked here (not finished), if any."""
    row = conn.execute(
        "SELECT batch_id, started_at, started_by, stock FROM batches "
        "WHERE finished_at IS NULL ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    return None if row is None else BatchRow(row[0], row[1], row[2], json.loads(row[3]))


def orders_of(conn: sqlite3.Connection, batch_id: str) -> list[BatchOrderRow]:
    rows = conn.execute(
        "SELECT tote, fulfilment_id, order_number, lines, promised_by FROM batch_orders "
        "WHERE batch_id = ? ORDER BY tote",
        (batch_id,),
    )
    return [BatchOrderRow(t, int(f), n, json.loads(lines), p) for t, f, n, lines, p in rows]


def steps_of(conn: sqlite3.Connection, batch_id: str) -> list[StepRow]:
    rows = conn.execute(
        "SELECT action, scanned, quantity FROM batch_progress WHERE batch_id = ? ORDER BY step",
        (batch_id,),
    )
    return [StepRow(str(a), str(s), int(q)) for a, s, q in rows]


def step_count(conn: sqlite3.Connection, batch_id: str) -> int:
    row = conn.execute("SELECT count(*) FROM batch_progress WHERE batch_id = ?", (batch_id,))
    return int(row.fetchone()[0])


def add_step(conn: sqlite3.Connection, batch_id: str, step: StepRow) -> None:
    conn.execute(
        "INSERT INTO batch_progress (batch_id, step, action, scanned, quantity) VALUES "
        "(?1, (SELECT coalesce(max(step), 0) + 1 FROM batch_progress WHERE batch_id = ?1), "
        "?2, ?3, ?4)",
        (batch_id, step.action, step.scanned, step.quantity),
    )


def finish(conn: sqlite3.Connection, batch_id: str, at: str) -> None:
    conn.execute("UPDATE batches SET finished_at = ? WHERE batch_id = ?", (at, batch_id))
