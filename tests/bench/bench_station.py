"""Station figures: initial sync, scan lookup, count commit and backlog push.

Each figure stands beside the raw limit measured in the same run: a raw sqlite3
executemany of the same rows, a raw indexed lookup, a raw insert+commit, and a bare HTTP
round trip to the same ledger.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import requests
from sqlalchemy import text

from app.config import SyncSettings
from app.services.station import Station, build_station
from app.storage import migrations, outbox
from app.storage.engine import raw_connection
from tests.bench import Figure, percentile
from tests.storage.seed import seed
from tests.support.ledger import RunningLedger

LOOKUPS = 2000
BACKLOG = 10_000
COUNT_SAMPLES = 200


def run() -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-station-") as tmp:
        root = Path(tmp)
        ledger = RunningLedger(f"sqlite:///{root / 'ledger.sqlite3'}", root / "ledger")
        try:
            ledger.seed("bench")
            ledger.start()
            station = build_station(root / "station", sync_settings=SyncSettings())
            try:
                figures = [_initial_sync(ledger, station, root)]
                figures += _scan_lookup(station)
                figures.append(_count_commit(station, root))
                figures.append(_count_with_queue(root))
                figures += _backlog_push(ledger, station)
            finally:
                station.close()
        finally:
            ledger.close()
    return figures


INITIAL_SYNC_RUNS = 3  # fresh stations; the figure is their median, each run is printed


def _enrol_and_sync(ledger: RunningLedger, station: Station) -> float:
    """Enrol ``station`` at BENCH-01 (which takes its first sync); rows per second."""
    code = ledger.enrol_code("BENCH-01")
    started = time.perf_counter()
    station.enrolment.enrol(ledger.url, code, "Bench", "bench")
    elapsed = time.perf_counter() - started
    report = station.sync.last_report
    assert report is not None and report.snapshot_rows >= 400_000, report
    return report.snapshot_rows / elapsed


def _initial_sync(ledger: RunningLedger, station: Station, root: Path) -> Figure:
    rates = [_enrol_and_sync(ledger, station)]
    for run in range(1, INITIAL_SYNC_RUNS):
        extra = build_station(root / f"station-{run}", sync_settings=SyncSettings())
        try:
            rates.append(_enrol_and_sync(ledger, extra))
        finally:
            extra.close()
    rate = statistics.median(rates)
    report = station.sync.last_report
    assert report is not None
    elapsed = report.snapshot_rows / rates[0]

    # the raw limit: the same item and stock rows, executemany into a fresh cache file
    with station.db.reading() as session:
        items = session.execute(text("SELECT * FROM items")).all()
        stock = session.execute(text("SELECT * FROM stock_base")).all()
    path = root / "raw.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    migrations.migrate(conn)
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(_insert("items", items), items)
    conn.executemany(_insert("stock_base", stock), stock)
    conn.execute("COMMIT")
    raw_rate = (len(items) + len(stock)) / (time.perf_counter() - started)
    conn.close()
    print(f"   initial sync runs: {', '.join(f'{r:,.0f}' for r in rates)} rows/s (median taken)")
    print(
        f"   initial sync: {report.snapshot_rows:,} rows in {elapsed:.2f} s (snapshots "
        f"{report.snapshot_s:.2f} s, pull and checksums {report.pull_s:.2f} s; raw insert "
        f"{len(items) + len(stock):,} rows at {raw_rate:,.0f} rows/s)"
    )
    return Figure(
        name=f"initial sync (200k items + 200k stock, HTTP included, median of {len(rates)})",
        value=rate,
        unit="rows/s",
        target=">= 100,000 rows/s",
        met=rate >= 100_000,
        baseline_name="raw sqlite3 executemany of the same rows",
        baseline_value=raw_rate,
        baseline_unit="rows/s",
    )


def _scan_lookup(station: Station) -> list[Figure]:
    with station.db.reading() as session:
        gtins = [r[0] for r in session.execute(text("SELECT gtin FROM items")).all()]
    sample = random.Random(7).sample(gtins, LOOKUPS)
    for gtin in sample[:50]:  # warm the page cache like a terminal that has been running
        station.stock.lookup(gtin)
    times = []
    for gtin in sample:
        started = time.perf_counter()
        found = station.stock.lookup(gtin)
        times.append((time.perf_counter() - started) * 1000)
        assert found and found[0].gtin == gtin
    conn = sqlite3.connect(station.db.path)
    raw = []
    for gtin in sample:
        started = time.perf_counter()
        row = conn.execute(
            "SELECT i.id, i.sku, i.name, i.price_minor, s.on_hand, s.reserved FROM items i "
            "LEFT JOIN stock_base s ON s.item_id = i.id AND s.bucket = 'sellable' "
            "WHERE i.gtin = ?",
            (gtin,),
        ).fetchone()
        raw.append((time.perf_counter() - started) * 1000)
        assert row is not None
    conn.close()
    p50, p99 = percentile(times, 50), percentile(times, 99)
    return [
        Figure(
            name=f"scan lookup p50 ({LOOKUPS:,} random GTINs of 200k)",
            value=p50,
            unit="ms",
            target="",
            met=True,
            baseline_name="raw sqlite3 indexed lookup p50",
            baseline_value=percentile(raw, 50),
            baseline_unit="ms",
        ),
        Figure(
            name=f"scan lookup p99 ({LOOKUPS:,} random GTINs of 200k)",
            value=p99,
            unit="ms",
            target="<= 5 ms",
            met=p99 <= 5.0,
            baseline_name="raw sqlite3 indexed lookup p99",
            baseline_value=percentile(raw, 99),
            baseline_unit="ms",
        ),
    ]


def _count_commit(station: Station, root: Path) -> Figure:
    with station.db.reading() as session:
        skus = [r[0] for r in session.execute(text("SELECT sku FROM items LIMIT 200")).all()]
    times = []
    for i in range(COUNT_SAMPLES):
        started = time.perf_counter()
        n = 40 + i % 7  # counted twice and explained where the book is far: one call
        station.stock.count(None, skus[i % len(skus)], n, first_count=n, reason="theft_or_loss")
        times.append((time.perf_counter() - started) * 1000)
    conn = sqlite3.connect(root / "raw-commit.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    raw = []
    for i in range(COUNT_SAMPLES):
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (body) VALUES (?)", (f"count {i}",))
        conn.execute("COMMIT")
        raw.append((time.perf_counter() - started) * 1000)
    conn.close()
    return Figure(
        name="count committed to the outbox p50",
        value=statistics.median(times),
        unit="ms",
        target="",
        met=True,
        baseline_name="raw sqlite3 insert + fsync'd commit p50",
        baseline_value=statistics.median(raw),
        baseline_unit="ms",
    )


QUEUED = 30_000


def _count_once(station: Station, sku: str, observed: int) -> float:
    started = time.perf_counter()
    station.stock.count(None, sku, observed)
    station.status.status()  # the status bar reads the queue after every count
    return (time.perf_counter() - started) * 1000


def _queue_counts(station: Station) -> None:
    with station.db.writing() as session:
        for _ in range(QUEUED):
            outbox.append(
                session,
                op_type="stock.count",
                payload={"location": "BLR-01", "sku": "SKU-0001", "bucket": "sellable"},
                actor=None,
                base_ledger_seq=0,
                now=station.sync._clock(),
                effects=(outbox.Effect(1, "sellable", -1),),
            )


def _count_with_queue(root: Path) -> Figure:
    """A count and the status bar after it on two stations, one with 30,000 pending
    operations whose effects are all on the counted item (an offline store), one whose
    30,000 were confirmed and dropped (an empty queue, the same files grown alike);
    samples alternate between them so disk noise hits both alike."""
    empty_station = build_station(root / "empty-station", sync_settings=SyncSettings())
    queued_station = build_station(root / "queued-station", sync_settings=SyncSettings())
    try:
        for station in (empty_station, queued_station):
            seed(station.db, items=50)
        for station in (empty_station, queued_station):
            _queue_counts(station)
        with empty_station.db.writing() as session:  # confirmed and gone: an empty queue
            raw_connection(session).execute("DELETE FROM outbox")
        for station in (empty_station, queued_station):  # both start from a quiet WAL
            with station.db.raw_reader() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        empty: list[float] = []
        queued: list[float] = []
        for i in range(COUNT_SAMPLES):
            empty.append(_count_once(empty_station, "SKU-0001", 10 + i % 2))
            queued.append(_count_once(queued_station, "SKU-0001", 10 + i % 2))
    finally:
        empty_station.close()
        queued_station.close()
    at_empty, at_queued = statistics.median(empty), statistics.median(queued)
    print(f"   count + status bar p50: {at_empty:.3f} ms empty, {at_queued:.3f} ms with {QUEUED:,}")
    return Figure(
        name=f"count + status bar with {QUEUED:,} pending on that item, p50",
        value=at_queued,
        unit="ms",
        target="flat (<= 1.5x empty)",
        met=at_queued <= 1.5 * at_empty,
        baseline_name="the same with an empty queue",
        baseline_value=at_empty,
        baseline_unit="ms",
    )


def _backlog_push(ledger: RunningLedger, station: Station) -> list[Figure]:
    station.sync.sync_once()  # send the sample counts first
    with station.db.reading() as session:
        skus = [r[0] for r in session.execute(text(f"SELECT sku FROM items LIMIT {BACKLOG}"))]
        cursor = session.execute(text("SELECT cursor FROM sync_state")).scalar_one()
    now = station.sync._clock()
    with station.db.writing() as session:  # queue the backlog as counts would
        for i, sku in enumerate(skus):
            payload = {"location": "BENCH-01", "sku": sku, "bucket": "sellable", "observed": 45}
            outbox.append(
                session,
                op_type="stock.count",
                payload=payload,
                actor=None,
                base_ledger_seq=cursor,
                now=now,
                effects=(outbox.Effect(i + 1, "sellable", -5),),
            )
        raw_connection(session)
    started = time.perf_counter()
    report = station.sync.sync_once()
    elapsed = time.perf_counter() - started
    assert report.applied == BACKLOG, report
    assert station.status.status().pending_ops == 0
    rate = BACKLOG / report.push_s  # every op applied at the ledger and confirmed here
    round_rate = BACKLOG / elapsed

    http = requests.Session()
    http.get(f"{ledger.url}/v1/health", timeout=10)
    trips = 200
    started = time.perf_counter()
    for _ in range(trips):
        http.get(f"{ledger.url}/v1/health", timeout=10)
    rtt_rate = trips / (time.perf_counter() - started)
    http.close()
    print(
        f"   backlog: {BACKLOG:,} ops pushed and pulled back in {elapsed:.2f} s "
        f"(push {report.push_s:.2f} s, pull {report.pull_s:.2f} s)"
    )
    return [
        Figure(
            name=f"backlog push of {BACKLOG:,} queued counts (applied and confirmed)",
            value=rate,
            unit="ops/s",
            target=">= 2,000 ops/s",
            met=rate >= 2000,
            baseline_name="bare HTTP round trips (GET /v1/health)",
            baseline_value=rtt_rate,
            baseline_unit="trips/s",
        ),
        Figure(
            name=f"backlog of {BACKLOG:,}: push, then pull the changes back",
            value=round_rate,
            unit="ops/s",
            target="(no target)",
            met=True,
            baseline_name="bare HTTP round trips (GET /v1/health)",
            baseline_value=rtt_rate,
            baseline_unit="trips/s",
        ),
    ]


def _insert(table: str, rows: Sequence[Sequence[object]]) -> str:
    """INSERT of whole rows as SELECT * read them (the cache's columns grow by migration)."""
    return f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})"
