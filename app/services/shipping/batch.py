"""A batch pick: choosing its orders, planning the walk, saving it, and opening it again.

A batch takes the marked orders of the queue, or the next ones by cut-off that still have
units to pick and are in no open batch. The walk (:func:`app.domain.pick_walk.plan_walk`)
gives each order a tote (T01 …, barcode ``<batch>-T01``) and the bins to visit. The
batch, its orders and the bin stock it was planned on are saved; each step the picker
takes is saved too, and replaying them on the same plan brings the walk back after a
restart (:func:`load`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.domain.pick_walk import BatchOrder, BinStock, PickLine, PickWalk, plan_walk
from app.domain.shipping.pick_scan import ItemCodes, PickProgress
from app.errors import NotFound, RuleRefused
from app.services.shipping import ship_view
from app.services.shipping.planogram import ensure_planogram
from app.storage import batches, shelf_bins, ship_orders
from app.storage.batches import BatchOrderRow, BatchRow, StepRow
from app.storage.types import from_text

MAX_ORDERS = 200  # totes a bench sorts into on one walk
_PICKABLE = ("routed", "accepted", "picking")


@dataclass
class OpenBatch:
    """A batch opened from the cache, its walk replayed up to the last saved step."""

    row: BatchRow
    orders: list[BatchOrderRow]
    walk: PickWalk
    progress: PickProgress
    steps: int  # saved steps replayed
    rejected: int  # of progress.shorts(), how many have been rejected with a reason
    by_tote: dict[str, BatchOrderRow] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_tote = {o.tote: o for o in self.orders}

    def order_of(self, tote: str) -> BatchOrderRow:
        return self.by_tote[tote]

    def item_id(self, sku: str) -> int:
        for order in self.orders:
            for line in order.lines:
                if line["sku"] == sku and line.get("item_id"):
                    return int(line["item_id"])
        return 0


def batch_id_for(conn: sqlite3.Connection) -> str:
    """PB<station tag>-<n>: unique to this bench, so tote barcodes of two benches differ."""
    (device_id,) = conn.execute("SELECT device_id FROM device WHERE id = 1").fetchone()
    tag = hashlib.sha1(str(device_id).encode()).hexdigest()[:2].upper()
    return f"PB{tag}-{batches.next_number(conn)}"


def _in_open_batches(conn: sqlite3.Connection) -> set[int]:
    rows = conn.execute(
        "SELECT o.fulfilment_id FROM batch_orders AS o JOIN batches AS b "
        "ON b.batch_id = o.batch_id WHERE b.finished_at IS NULL"
    )
    return {int(fid) for (fid,) in rows}


def _to_pick(conn: sqlite3.Connection, fulfilment_id: int) -> tuple[str, list[dict[str, Any]]]:
    """The order's number and its lines with units still to take off the shelf."""
    order = ship_view.current(conn, fulfilment_id)
    lines = [
        {"sku": ln.sku, "name": ln.name or ln.sku, "quantity": order.to_pick(ln),
         "item_id": ln.item_id}
        for ln in order.lines
        if order.to_pick(ln) > 0
    ]  # fmt: skip
    return order.order_number, lines


def choose_orders(
    conn: sqlite3.Connection, marked: Sequence[int], count: int
) -> list[tuple[int, str, list[dict[str, Any]], str | None]]:
    """(id, number, lines to pick, cut-off) of the orders for a new batch."""
    busy = _in_open_batches(conn)
    rows = [ship_orders.by_id(conn, fid) for fid in marked] if marked else None
    if rows is None:
        rows = [
            r for r in ship_orders.open_orders(conn, 10 * MAX_ORDERS) if r["state"] in _PICKABLE
        ]
    chosen = []
    for row in rows:
        if row is None or int(row["id"]) in busy:
            continue
        number, lines = _to_pick(conn, int(row["id"]))
        if lines:
            chosen.append((int(row["id"]), number, lines, row["ship_by"]))
        if len(chosen) >= (len(marked) or count):
            break
    if not chosen:
        raise NotFound(
            "No order here has units left to pick (or they are on a walk already).",
            next_step="Wait for new orders, or finish the open walk.",
        )
    return chosen


def _batch_orders(rows: list[BatchOrderRow]) -> list[BatchOrder]:
    return [
        BatchOrder(
            o.order_number,
            tuple(PickLine(ln["sku"], ln["name"], int(ln["quantity"])) for ln in o.lines),
            from_text(o.promised_by) if o.promised_by else None,
        )
        for o in rows
    ]


def _items(conn: sqlite3.Connection, skus: set[str]) -> list[ItemCodes]:
    marks = ", ".join("?" for _ in skus)
    rows = conn.execute(
        f"SELECT sku, coalesce(gtin, ''), name FROM items WHERE sku IN ({marks})", sorted(skus)
    )
    return [ItemCodes(str(s), str(g), str(n)) for s, g, n in rows]


def start(
    conn: sqlite3.Connection, *, marked: Sequence[int], count: int, staff: str, now: str
) -> str:
    """Plan and save a new batch; its id. Refused while another batch is open here."""
    if batches.open_batch(conn) is not None:
        raise RuleRefused(
            "A batch pick is open at this bench.",
            next_step="Finish it first (Ctrl+Enter on the pick screen).",
        )
    ensure_planogram(conn)
    chosen = choose_orders(conn, marked, min(count, MAX_ORDERS))
    batch_id = batch_id_for(conn)
    skus = {ln["sku"] for _, _, lines, _ in chosen for ln in lines}
    stock = shelf_bins.stock_of(conn, skus)
    walk = plan_walk(batch_id, [BatchOrder(n, ()) for _, n, _, _ in chosen], [])
    orders = [
        BatchOrderRow(tote.label, fid, number, lines, ship_by)
        for tote, (fid, number, lines, ship_by) in zip(walk.totes, chosen, strict=True)
    ]
    stock_rows = [[b.bin_code, b.sku, b.quantity] for b in stock]
    batches.start(conn, BatchRow(batch_id, now, staff, stock_rows), orders)
    return batch_id


def replay(progress: PickProgress, steps: list[StepRow]) -> int:
    """Apply saved steps in turn; how many shorts were rejected with a reason."""
    rejected = 0
    for step in steps:
        if step.action == "scan":
            progress.scan(step.scanned, step.quantity)
        elif step.action == "short":
            progress.short(step.quantity)
        elif step.action == "skip":
            progress.skip()
        elif step.action == "back":
            progress.back()
        elif step.action == "reject":
            rejected = step.quantity
    return rejected


def load(conn: sqlite3.Connection) -> OpenBatch | None:
    """The batch open at this bench, its walk replayed; None when there is none."""
    row = batches.open_batch(conn)
    if row is None:
        return None
    orders = batches.orders_of(conn, row.batch_id)
    stock = [BinStock(str(b), str(s), int(q)) for b, s, q in row.stock]
    walk = plan_walk(row.batch_id, _batch_orders(orders), stock)
    skus = {ln["sku"] for o in orders for ln in o.lines}
    progress = PickProgress(walk, _items(conn, skus), stock)
    steps = batches.steps_of(conn, row.batch_id)
    rejected = replay(progress, steps)
    return OpenBatch(row, orders, walk, progress, len(steps), rejected)
