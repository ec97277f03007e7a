"""Return lookup by item scan with 100,000 orders cached at the station.

100,000 orders of 1-4 lines over 5,000 items, sold over a year, in a real station cache
file. 2,000 scans of a random item as a scanner sends them (GS1 "]C101" + GTIN-14) go
through ``find_here``: reading the box, the GTIN forms, the index and building the 20
newest orders with their lines. The baseline, measured in the same run, is the raw
indexed lookup: one SELECT of the 20 newest order numbers for the item's stored GTIN.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from app.domain.gtin import complete_gtin
from app.domain.returns.sold import SoldLine, SoldOrder
from app.services.returns.find import find_here
from app.storage import migrations, sold_orders
from tests.bench import Figure, percentile

ORDERS = 100_000
ITEMS = 5_000
SCANS = 2_000
TARGET_MS = 100.0  # a scan answers before the associate looks up


def _fill(conn: sqlite3.Connection, gtins: list[str]) -> None:
    rnd = random.Random(12)
    first = date(2025, 12, 1)
    conn.execute("BEGIN")
    for n in range(ORDERS):
        picked = rnd.sample(range(ITEMS), rnd.randint(1, 4))
        lines = tuple(
            SoldLine(i + 1, f"SKU-{g}", gtins[g], f"Item {g}", rnd.randint(1, 3), 49900)
            for i, g in enumerate(picked)
        )
        sold_on = first + timedelta(days=rnd.randrange(365))
        sold_orders.keep_order(
            conn, SoldOrder(f"WEB-{n:06d}", "web", sold_on, "BLR-01", lines), source="here"
        )
    conn.execute("COMMIT")


def _timed(call: object, scans: list[str]) -> list[float]:
    samples = []
    for scan in scans:
        start = time.perf_counter()
        call(scan)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run() -> list[Figure]:
    gtins = [complete_gtin(f"89012{n:07d}") for n in range(ITEMS)]
    with tempfile.TemporaryDirectory() as folder:
        conn = sqlite3.connect(Path(folder) / "station.sqlite3", isolation_level=None)
        migrations.migrate(conn)
        _fill(conn, gtins)
        rnd = random.Random(7)
        wanted = [rnd.choice(gtins) for _ in range(SCANS)]
        scans = ["]C101" + g.zfill(14) for g in wanted]
        found = _timed(lambda s: find_here(conn, s), scans)
        raw_sql = (
            "SELECT order_number FROM sold_lines WHERE gtin = ? ORDER BY sold_on DESC LIMIT 20"
        )
        raw = _timed(lambda g: conn.execute(raw_sql, (g,)).fetchall(), wanted)
        conn.close()
    p99 = percentile(found, 99)
    return [
        Figure(
            "return lookup by item scan p99 (100,000 orders cached)", p99, "ms",
            f"<= {TARGET_MS:.0f} ms", p99 <= TARGET_MS,
            "raw indexed lookup p99", percentile(raw, 99), "ms",
        )
    ]  # fmt: skip
