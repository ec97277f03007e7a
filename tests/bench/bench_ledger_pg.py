"""The ledger on PostgreSQL under many stations: push ops/s and p99 beside bare health.

A ledger with ``serve --workers`` (``BENCH_PG_WORKERS``, default 2) on a database created
on ``COUNTERBENCH_TEST_PG`` (else the local server as ``postgres``) and dropped after.
For 1, 10 and 50 concurrent stations (enrolled devices, each its own token and
device_seq, spread over stores two by two) a separate client process
(:mod:`tests.bench.pg_load`) runs, for a few seconds each: bare ``GET /v1/health``, pushes
of one count per request, and pushes of 50 counts per request. Each push figure stands
beside the health rate at the same concurrency, measured in the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text

from app.ledger.devices import enrol
from app.ledger.models import Location, table_of
from app.sync.protocol import EnrolRequest
from tests.bench import Figure
from tests.support.ledger import ROOT, RunningLedger, fresh_pg_database, pg_server_url

LOCAL_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
CONCURRENCY = (1, 10, 50)
STATIONS_PER_STORE = 2
SECONDS = float(os.environ.get("BENCH_PG_SECONDS", "6"))
BATCH = 50
RATIO_TARGET = 0.5  # single-op pushes at 50 stations: at least half the bare health rate
P99_TARGET_MS = 250.0


def _stores(ledger: RunningLedger, count: int) -> list[str]:
    """``count`` store codes, made as copies of BLR-01 where the tiny seed has fewer."""
    locations = table_of(Location)
    with ledger.engine.begin() as conn:
        model = conn.execute(select(locations).where(locations.c.code == "BLR-01")).one()
        row = {k: v for k, v in model._mapping.items() if k != "id"}
        codes = [f"BENCH-S{n:02d}" for n in range(1, count + 1)]
        conn.execute(
            insert(locations), [{**row, "code": code, "name": f"Bench {code}"} for code in codes]
        )
    return codes


def _stations(ledger: RunningLedger, count: int) -> list[dict[str, Any]]:
    stores = _stores(ledger, (count + STATIONS_PER_STORE - 1) // STATIONS_PER_STORE)
    stations = []
    for n in range(count):
        store = stores[n // STATIONS_PER_STORE]
        got = enrol(ledger.engine, EnrolRequest(code=ledger.enrol_code(store), station_name="b"))
        stations.append(
            {"device_id": got.device_id, "token": got.token, "location": store, "next_seq": 1}
        )
    return stations


def _load(ledger: RunningLedger, job: dict[str, Any]) -> dict[str, Any]:
    job = {"host": "127.0.0.1", "port": ledger.port, "seconds": SECONDS, **job}
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.pg_load"],
        input=json.dumps(job).encode(),
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    answer: dict[str, Any] = json.loads(done.stdout)
    return answer


def _measure(ledger: RunningLedger, stations: list[dict[str, Any]]) -> list[Figure]:
    skus = [str(r[0]) for r in ledger.sql("SELECT sku FROM items ORDER BY id")]
    figures = []
    for n in CONCURRENCY:
        group = stations[:n]
        health = _load(ledger, {"kind": "health", "stations": group})
        for batch in (1, BATCH):
            job = {"kind": "push", "stations": group, "batch": batch, "skus": skus}
            got = _load(ledger, job)
            if got["errors"]:
                raise RuntimeError(f"the load client failed: {got['errors'][:3]}")
            for station in group:
                station["next_seq"] = got["next_seqs"][station["device_id"]]
                station["base"] = got["bases"][station["device_id"]]
            ratio = got["requests_per_s"] / health["requests_per_s"]
            what = "1 op" if batch == 1 else f"{batch} ops"
            print(
                f"   {n:>2} stations, {what:>6} per push: {got['per_s']:8,.0f} ops/s "
                f"({got['requests_per_s']:,.0f} pushes/s, p50 {got['p50_ms']:.1f} ms, "
                f"p99 {got['p99_ms']:.1f} ms) | health {health['requests_per_s']:,.0f}/s "
                f"p99 {health['p99_ms']:.1f} ms | pushes/health {ratio:.2f}",
                flush=True,
            )
            met = True
            target = "(no target)"
            if n == max(CONCURRENCY) and batch == 1:
                target = f">= {RATIO_TARGET:.0%} of health, p99 <= {P99_TARGET_MS:.0f} ms"
                met = ratio >= RATIO_TARGET and got["p99_ms"] <= P99_TARGET_MS
            figures.append(
                Figure(
                    name=f"PG push, {n} stations, {what} per push (p99 {got['p99_ms']:.0f} ms)",
                    value=got["per_s"],
                    unit="ops/s",
                    target=target,
                    met=met,
                    baseline_name=f"bare GET /v1/health, {n} at once (ratio {ratio:.2f})",
                    baseline_value=health["requests_per_s"],
                    baseline_unit="req/s",
                )
            )
    return figures


def _server() -> str | None:
    url = pg_server_url() or LOCAL_PG
    try:
        import psycopg

        from tests.support.ledger import _admin_conninfo

        psycopg.connect(_admin_conninfo(url), connect_timeout=3).close()
    except Exception as exc:  # no server here: say so and go on with the other benches
        print(f"   no PostgreSQL at {url} ({exc.__class__.__name__}): skipped", flush=True)
        return None
    return url


def run() -> list[Figure]:
    server = _server()
    if server is None:
        return []
    workers = os.environ.get("BENCH_PG_WORKERS", "2")
    with tempfile.TemporaryDirectory(prefix="bench-pg-") as tmp, fresh_pg_database(server) as url:
        ledger = RunningLedger(
            url, Path(tmp), serve_args=("--workers", workers, "--expire-every", "0")
        )
        try:
            ledger.seed("tiny")
            stations = _stations(ledger, max(CONCURRENCY))
            with ledger.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            ledger.start()
            print(f"   ledger: {workers} workers on PostgreSQL, {SECONDS:.0f} s a run", flush=True)
            return _measure(ledger, stations)
        finally:
            ledger.close()
