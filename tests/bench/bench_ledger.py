"""Ledger throughput: push ops/s and snapshot rows/s, beside a bare HTTP round trip.

Runs a real ledger subprocess on SQLite seeded with ``--bench`` (BENCH-01, 200,000 items).
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from tests.bench import Figure, median
from tests.support.ledger import RunningLedger

BACKLOG = 10_000
BATCH = 500
PUSH_TARGET = 2_000.0  # ops/s
SNAPSHOT_PAGE = 50_000
SNAPSHOT_TARGET = 200_000.0  # rows/s served, so the station's 100,000 rows/s end to end holds
STATION_TARGET = 100_000.0  # the station's whole initial sync, of which parsing is a part


def _ops(device_sku: list[str], base: int) -> list[dict[str, Any]]:
    now = datetime.now(UTC).isoformat()
    return [
        {
            "op_id": uuid.uuid4().hex,
            "device_seq": n,
            "type": "stock.count",
            "payload": {
                "location": "BENCH-01",
                "sku": device_sku[n % len(device_sku)],
                "bucket": "sellable",
                "observed": n % 50,
            },
            "actor": "B100",
            "device_time": now,
            "base_ledger_seq": base,
        }
        for n in range(1, BACKLOG + 1)
    ]


def _health_round_trip(http: requests.Session, url: str) -> float:
    samples = []
    for _ in range(300):
        started = time.perf_counter()
        http.get(f"{url}/v1/health", timeout=10).raise_for_status()
        samples.append(time.perf_counter() - started)
    return median(samples)


def measure_push(ledger: RunningLedger) -> tuple[float, float]:
    """(ops/s over a 10,000 op backlog in batches of 500, bare health round trips per s)."""
    enrolled = ledger.enrol("BENCH-01")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {enrolled['token']}"
    skus = [str(r[0]) for r in ledger.sql("SELECT sku FROM items ORDER BY id LIMIT 20000")]
    base = int(http.get(f"{ledger.url}/v1/health", timeout=10).json()["ledger_seq"])
    ops = _ops(skus, base)
    round_trip = _health_round_trip(http, ledger.url)
    started = time.perf_counter()
    for start in range(0, BACKLOG, BATCH):
        body = {"device_id": enrolled["device_id"], "ops": ops[start : start + BATCH]}
        response = http.post(f"{ledger.url}/v1/sync/push", json=body, timeout=120)
        response.raise_for_status()
    took = time.perf_counter() - started
    applied = ledger.sql(
        "SELECT count(*) FROM ops_received WHERE device_id = :d", {"d": enrolled["device_id"]}
    )[0][0]
    assert applied == BACKLOG, applied
    return BACKLOG / took, 1 / round_trip


def measure_snapshot(ledger: RunningLedger, db_file: Path) -> tuple[float, float, float]:
    """Rows/s of every stock and catalog page: served (HTTP body received), with the
    client's JSON parse added, and a raw SQLite fetch of the same tables."""
    enrolled = ledger.enrol("BENCH-01")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {enrolled['token']}"
    rows = 0
    transfer = parse = 0.0
    for scope in ("stock", "catalog"):
        after = 0
        while True:
            started = time.perf_counter()
            body = http.get(
                f"{ledger.url}/v1/sync/snapshot",
                params={"scope": scope, "after": after, "limit": SNAPSHOT_PAGE},
                timeout=120,
            ).content
            received = time.perf_counter()
            page = json.loads(body)
            parse += time.perf_counter() - received
            transfer += received - started
            rows += len(page["rows"])
            if page["next_after"] is None:
                break
            after = page["next_after"]
    raw = sqlite3.connect(db_file)
    started = time.perf_counter()
    raw_rows = len(raw.execute("SELECT * FROM stock_balances").fetchall())
    raw_rows += len(raw.execute("SELECT * FROM items").fetchall())
    raw.close()
    raw_rate = raw_rows / (time.perf_counter() - started)
    return rows / transfer, rows / (transfer + parse), raw_rate


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-ledger-") as tmp:
        db_file = Path(tmp) / "ledger.sqlite3"
        ledger = RunningLedger(f"sqlite:///{db_file}", Path(tmp))
        ledger.seed("bench")
        with ledger:
            served, parsed, raw_rate = measure_snapshot(ledger, db_file)
            push_rate, health_rate = measure_push(ledger)
    return [
        Figure(
            "ledger push, 10k backlog in batches of 500", push_rate, "ops/s",
            f">= {PUSH_TARGET:,.0f} ops/s", push_rate >= PUSH_TARGET,
            "bare HTTP round trip (GET /v1/health)", health_rate, "req/s",
        ),
        Figure(
            "ledger snapshot 200k stock + 200k catalog, served", served, "rows/s",
            f">= {SNAPSHOT_TARGET:,.0f} rows/s", served >= SNAPSHOT_TARGET,
            "raw SQLite fetch of the same tables", raw_rate, "rows/s",
        ),
        Figure(
            "ledger snapshot incl. client json.loads", parsed, "rows/s",
            f">= {STATION_TARGET:,.0f} rows/s", parsed >= STATION_TARGET,
            "raw SQLite fetch of the same tables", raw_rate, "rows/s",
        ),
    ]  # fmt: skip
