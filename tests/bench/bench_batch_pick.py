"""Batch pick at a bench, on a real station cache: starting a batch of 200 orders and the
answer to each scan of the walk (bin, item, tote: the tote scans append a ship.pick).

A station cache seeded with 300 items (50 units each) holds 200 ship orders of 1-3
lines. Starting the batch fills the stand-in planogram, plans the walk and saves it; its
baseline is planning the same walk alone (pure ``plan_walk``). Each scan of the walk is
one service call in one IMMEDIATE transaction; its baseline is that transaction doing
only ``outbox.append`` of a pick op: the floor of any scan that records something.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.domain.pick_walk import BatchOrder, PickLine, plan_walk
from app.services.station import Station, build_station
from app.storage import outbox, shelf_bins
from app.storage.engine import raw_connection
from tests.bench import Figure, percentile
from tests.storage.seed import seed
from tests.support.ship_rows import ship_row, store_pulled

ORDERS = 200
ITEMS = 300


def _rows(now: datetime) -> list[dict[str, Any]]:
    rnd = random.Random(7)
    rows = []
    for n in range(ORDERS):
        lines = [
            {
                "sku": f"SKU-{i:04d}",
                "item_id": i,
                "name": f"Item {i}",
                "quantity": rnd.randint(1, 2),
            }
            for i in rnd.sample(range(1, ITEMS + 1), rnd.randint(1, 3))
        ]
        rows.append(ship_row(n + 1, f"WEB-{n + 1:06d}", ship_by=now + timedelta(minutes=n),
                             created_at=now, lines=lines))  # fmt: skip
    return rows


def _lines(row: dict[str, Any]) -> list[PickLine]:
    """The order's lines to pick."""
    return [PickLine(x["sku"], x["name"], x["quantity"]) for x in row["lines"]]


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory() as folder:
        station = build_station(Path(folder) / "station")
        try:
            return _measure(station)
        finally:
            station.close()


def _measure(station: Station) -> list[Figure]:
    seed(station.db, items=ITEMS, on_hand=50)
    now = datetime.now(UTC)
    rows = _rows(now)
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
    staff = station.auth.session_for("A100")
    started = time.perf_counter()
    view = station.batch_pick.start(staff, count=ORDERS)
    start_ms = (time.perf_counter() - started) * 1000
    with station.db.reading() as session:
        stock = shelf_bins.stock_of(
            raw_connection(session), {f"SKU-{i:04d}" for i in range(1, ITEMS + 1)}
        )
    orders = [BatchOrder(str(r["order_number"]), tuple(_lines(r))) for r in rows]
    started = time.perf_counter()
    plan_walk("PB-X", orders, stock)
    plan_ms = (time.perf_counter() - started) * 1000
    scans: list[float] = []
    while not view.done:
        stop = view.current
        assert stop is not None
        codes = [stop.bin_code] if not stop.bin_verified else []
        codes += [stop.sku] * (stop.quantity - stop.counted) + [f"{view.batch_id}-{stop.tote}"]
        for code in codes:
            began = time.perf_counter()
            view = station.batch_pick.scan(staff, code)
            scans.append((time.perf_counter() - began) * 1000)
            assert not view.refused, view.said
    floor: list[float] = []
    line = {"sku": "SKU-0001", "quantity": 1, "bin": "A-01-1"}
    payload = {"location": "BLR-01", "fulfilment_id": 1, "lines": [line], "tote": "PB-X-T01"}
    effects = (outbox.Effect(1, "sellable", -1),)
    for _ in range(len(scans)):
        began = time.perf_counter()
        with station.db.writing() as session:
            outbox.append(
                session, op_type="ship.pick", payload=payload, actor="A100",
                base_ledger_seq=0, now=now, effects=effects,
            )  # fmt: skip
        floor.append((time.perf_counter() - began) * 1000)
    p99 = percentile(scans, 99)
    return [
        Figure(f"batch pick start, {ORDERS} orders (planogram, plan, save)", start_ms, "ms",
               "<= 1000 ms", start_ms <= 1000, "plan_walk alone, same orders", plan_ms, "ms"),
        Figure(f"batch pick scan-to-answer p99 ({len(scans)} scans)", p99, "ms", "<= 16 ms",
               p99 <= 16, "bare IMMEDIATE txn + outbox.append p99", percentile(floor, 99), "ms"),
    ]  # fmt: skip
