"""The load client of ``bench_ledger_pg``, run as a process of its own.

``python -m tests.bench.pg_load`` reads one job as JSON on stdin and prints its figures
as JSON: ``stations`` threads, each with its own keep-alive ``http.client`` connection
(lighter than requests, so the client is not what limits), for ``seconds`` doing one of

* ``health``: ``GET /v1/health`` again and again (the bare round trip);
* ``push``: ``POST /v1/sync/push`` of ``batch`` stock counts at a time, as its station
  (its own token and device_seq).
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any


def _count_ops(station: dict[str, Any], batch: int, skus: list[str], rng: random.Random) -> bytes:
    now = datetime.now(UTC).isoformat()
    ops = []
    for _ in range(batch):
        seq = station["next_seq"]
        station["next_seq"] = seq + 1
        ops.append(
            {
                "op_id": uuid.uuid4().hex,
                "device_seq": seq,
                "type": "stock.count",
                "payload": {
                    "location": station["location"],
                    "sku": rng.choice(skus),
                    "bucket": "sellable",
                    "observed": rng.randint(0, 40),
                },
                "actor": None,
                "device_time": now,
                "base_ledger_seq": station.get("base", 0),
            }
        )
    return json.dumps({"device_id": station["device_id"], "ops": ops}).encode()


def _worker(
    job: dict[str, Any],
    station: dict[str, Any],
    stop_at: float,
    out: list[tuple[float, int]],
    errors: list[str],
) -> None:
    try:
        _requests(job, station, stop_at, out)
    except Exception as exc:  # reported, not lost with the thread
        errors.append(f"{station['device_id']}: {exc}")


def _requests(
    job: dict[str, Any], station: dict[str, Any], stop_at: float, out: list[tuple[float, int]]
) -> None:
    conn = http.client.HTTPConnection(job["host"], job["port"], timeout=60)
    rng = random.Random(station["device_id"])
    headers = {"Authorization": f"Bearer {station['token']}", "Content-Type": "application/json"}
    while time.perf_counter() < stop_at:
        started = time.perf_counter()
        if job["kind"] == "health":
            conn.request("GET", "/v1/health")
            done = 1
        else:
            body = _count_ops(station, job["batch"], job["skus"], rng)
            conn.request("POST", "/v1/sync/push", body=body, headers=headers)
            done = job["batch"]
        response = conn.getresponse()
        answer = response.read()
        if response.status != 200:
            raise RuntimeError(f"{job['kind']} answered {response.status}: {answer[:300]!r}")
        out.append((time.perf_counter() - started, done))
        if job["kind"] == "push":  # the next counts are made on what this one saw, as a
            seqs = [r["ledger_seq"] for r in json.loads(answer)["results"]]  # station's
            station["base"] = max([station.get("base", 0), *filter(None, seqs)])  # cursor
    conn.close()


def run(job: dict[str, Any]) -> dict[str, Any]:
    stations = job["stations"]
    results: list[list[tuple[float, int]]] = [[] for _ in stations]
    errors: list[str] = []
    stop_at = time.perf_counter() + job["seconds"]
    threads = [
        threading.Thread(target=_worker, args=(job, s, stop_at, results[i], errors), daemon=True)
        for i, s in enumerate(stations)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    samples = sorted(t for per in results for t, _ in per)
    done = sum(n for per in results for _, n in per)
    p99 = samples[max(0, round(0.99 * len(samples)) - 1)] if samples else float("nan")
    return {
        "requests": len(samples),
        "ops": done,
        "per_s": done / elapsed,
        "requests_per_s": len(samples) / elapsed,
        "p50_ms": 1000 * samples[len(samples) // 2] if samples else float("nan"),
        "p99_ms": 1000 * p99,
        "next_seqs": {s["device_id"]: s["next_seq"] for s in stations},
        "bases": {s["device_id"]: s.get("base", 0) for s in stations},
        "errors": errors,
    }


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin))))
