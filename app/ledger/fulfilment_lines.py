"""Fulfilment order lines as rows: read them as the line dicts stations know, write them.

Each line is a ``fulfilment_lines`` row with one column per counter. Readers get the
same dicts ``PickupLine.to_row`` makes (``quantity`` = ordered), in line order, so the
fulfilment scope's ``lines`` look as they did when they were a JSON column (one
difference: a line no step has touched yet now carries its zero counters, where the
intake JSON had none; ``PickupLine.from_row`` reads both alike). A ship line's units in
parcels (``packed``) come last, only once some are packed, so a pickup line's dict is
what it always was. Writers hold the
fulfilment order's row lock (``pickup_rows.load``) or have just inserted the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from app.domain.pickup_view import PickupLine
from app.ledger.models import FulfilmentLine, table_of

fulfilment_lines = table_of(FulfilmentLine)

IN_CHUNK = 5000  # ids per IN list
# A line on the wire, in the order of ``PickupLine.to_row``: the transfer counters (from
# ``inbound`` on) only on a line with units inbound.
WIRE_KEYS = (
    "sku", "item_id", "gtin", "name", "quantity", "price_minor", "picked", "short", "ready",
    "collected", "cancelled", "restocked", "cancel_reason", "inbound", "shipped", "received",
)  # fmt: skip
INBOUND_AT = WIRE_KEYS.index("inbound")
COUNTERS = (
    "picked", "short", "ready", "collected", "cancelled", "restocked",
    "inbound", "shipped", "received",
)  # fmt: skip


def lines_of(conn: Connection, fo_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The lines of each fulfilment order in ``fo_ids`` (an empty list for one without)."""
    ids = sorted(set(fo_ids))
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    c = fulfilment_lines.c
    for start in range(0, len(ids), IN_CHUNK):
        stmt = (
            select(c.fulfilment_order_id, *(c[k] for k in WIRE_KEYS), c.packed)
            .where(c.fulfilment_order_id.in_(ids[start : start + IN_CHUNK]))
            .order_by(c.fulfilment_order_id, c.line_no)
        )
        for fo_id, *values, packed in conn.execute(stmt).all():
            keys = WIRE_KEYS if values[INBOUND_AT] else WIRE_KEYS[:INBOUND_AT]
            line = dict(zip(keys, values, strict=False))
            if packed:
                line["packed"] = packed
            found[fo_id].append(line)
    return found


def insert_lines(conn: Connection, fo_id: int, lines: Sequence[Mapping[str, Any]]) -> None:
    """Rows for the lines of a new fulfilment order (intake dicts or ``to_row`` dicts)."""
    if lines:
        conn.execute(
            insert(fulfilment_lines),
            [_row_values(fo_id, n, line) for n, line in enumerate(lines, start=1)],
        )


def save_lines(
    conn: Connection, fo_id: int, before: Sequence[PickupLine], after: Sequence[PickupLine]
) -> None:
    """Write the counters of the lines that changed from ``before`` to ``after`` (the same
    lines in the same order: a step never adds or removes one)."""
    changed = [
        {"fo": fo_id, "no": n, **_counters(line)}
        for n, (old, line) in enumerate(zip(before, after, strict=True), start=1)
        if old != line
    ]
    if not changed:
        return
    c = fulfilment_lines.c
    conn.execute(
        update(fulfilment_lines)
        .where(c.fulfilment_order_id == bindparam("fo"), c.line_no == bindparam("no"))
        .values({k: bindparam(k) for k in _counters(after[0])}),
        changed,
    )


def save_counters(
    conn: Connection, fo_id: int, changed: Sequence[tuple[int, Mapping[str, int]]]
) -> None:
    """Write counters of lines by line number (1, 2 …): ``(line_no, {column: value})``,
    the same columns on every entry (a ship step's picked, restocked, short, packed)."""
    if not changed:
        return
    c = fulfilment_lines.c
    conn.execute(
        update(fulfilment_lines)
        .where(c.fulfilment_order_id == bindparam("fo"), c.line_no == bindparam("no"))
        .values({k: bindparam(k) for k in changed[0][1]}),
        [{"fo": fo_id, "no": no, **counters} for no, counters in changed],
    )


def with_lines(conn: Connection, rows: Sequence[Sequence[Any]], at: int) -> list[tuple[Any, ...]]:
    """Fulfilment scope rows (id first) with their ``lines`` put in at position ``at``."""
    found = lines_of(conn, (int(r[0]) for r in rows))
    return [(*r[:at], found[int(r[0])], *r[at + 1 :]) for r in rows]


def _counters(line: PickupLine) -> dict[str, Any]:
    """What a step may change on a line: its counters and its cancel reason."""
    return {
        "quantity": line.ordered,
        "cancel_reason": line.cancel_reason,
        **{k: getattr(line, k) for k in COUNTERS},
    }


def _row_values(fo_id: int, line_no: int, line: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "fulfilment_order_id": fo_id,
        "line_no": line_no,
        "item_id": int(line["item_id"]),
        "sku": str(line["sku"]),
        "gtin": str(line.get("gtin") or ""),
        "name": str(line.get("name") or ""),
        "price_minor": int(line.get("price_minor") or 0),
        "quantity": int(line["quantity"]),
        "cancel_reason": str(line.get("cancel_reason") or ""),
        **{k: int(line.get(k) or 0) for k in COUNTERS},
    }
