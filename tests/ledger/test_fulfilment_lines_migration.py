"""Migration 0015 (fulfilment lines as rows) upgrades a ledger of the revision before it
holding pickup orders with progressed counters into rows equal to the old JSON, and going
down gives the JSON back."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from app.domain.pickup_view import PickupLine
from app.ledger.migrate import alembic_config, upgrade
from tests.ledger.migration_support import broken_links, counts, migrate, seeded_ledger

COLUMNS = (
    "sku", "item_id", "gtin", "name", "quantity", "price_minor", "picked", "short", "ready",
    "collected", "cancelled", "restocked", "cancel_reason", "inbound", "shipped", "received",
)  # fmt: skip


def json_lines(conn: Connection) -> dict[int, list[dict[str, Any]]]:
    rows = conn.execute(text("SELECT id, lines FROM fulfilment_orders ORDER BY id"))
    return {int(i): json.loads(raw) if isinstance(raw, str) else raw for i, raw in rows}


def progress(lines: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """The lines of order ``n`` some steps on: counters, a cancel reason, a transfer."""
    done = []
    for k, line in enumerate(lines):
        q = int(line["quantity"])
        moved = replace(PickupLine.from_row(line), picked=q, ready=min(q, n % 3), short=k % 2)
        if n % 2:
            moved = replace(moved, cancelled=1, cancel_reason=f"reason {n}-{k}")
        if n % 3 == 0:
            moved = replace(moved, inbound=q, shipped=q, received=1)
        done.append(moved.to_row())
    return done


def line_rows(conn: Connection) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    stmt = text(
        f"SELECT fulfilment_order_id, {', '.join(COLUMNS)} FROM fulfilment_lines "
        "ORDER BY fulfilment_order_id, line_no"
    )
    for row in conn.execute(stmt):
        found.setdefault(int(row[0]), []).append(dict(zip(COLUMNS, row[1:], strict=True)))
    return found


def test_0015_moves_progressed_json_lines_into_rows_and_back(ledger_db_url: str) -> None:
    before_0015 = ScriptDirectory.from_config(alembic_config()).get_revision("0015").down_revision
    assert isinstance(before_0015, str)
    with seeded_ledger(ledger_db_url, down_to=before_0015) as engine:
        with engine.begin() as conn:
            seeded = json_lines(conn)
            progressed = {i: progress(lines, i) for i, lines in seeded.items()}
            for i, lines in progressed.items():
                conn.execute(
                    text("UPDATE fulfilment_orders SET lines = :l WHERE id = :i"),
                    {"l": json.dumps(lines), "i": i},
                )
            before = counts(conn)
        migrate(engine, "0015")
        with engine.begin() as conn:
            rows = line_rows(conn)
            after, broken = counts(conn), broken_links(conn)
            columns = {c["name"] for c in inspect(conn).get_columns("fulfilment_orders")}
        migrate(engine, before_0015, down=True)
        with engine.begin() as conn:
            back = json_lines(conn)
            tables = set(inspect(conn).get_table_names())
        upgrade(engine)

    assert len(seeded) >= 3 and all(seeded.values())
    assert rows == {i: [_full(x) for x in lines] for i, lines in progressed.items()}
    assert "lines" not in columns and after == before and broken == []
    assert back == progressed and "fulfilment_lines" not in tables


def _full(line: dict[str, Any]) -> dict[str, Any]:
    """A JSON line with every column (the transfer counters are 0 when not written)."""
    return {k: line.get(k, 0) for k in COLUMNS}
