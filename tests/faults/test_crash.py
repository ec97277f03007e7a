"""A station killed with SIGKILL at random points loses no committed count and doubles none,
with the ledger on SQLite and on PostgreSQL (the ``ledger`` fixture; the PostgreSQL variant
is skipped with its reason when ``COUNTERBENCH_TEST_PG`` is not set)."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from app.services.station import build_station
from tests.support.ledger import ROOT, RunningLedger
from tests.sync.stations import FAST, enrolled_station, ledger_on_hand

ROUNDS = {"sqlite": 5, "postgresql": 3}  # the ledger is killed too after round 3
SYNC_WAIT_S = 120  # the first round runs until a push reached the ledger (a busy machine)


def _run_until_killed(
    data_dir: Path, skus: list[str], kill_after: int, synced: Callable[[], bool] = lambda: True
) -> list[list[str]]:
    """Start the count loop, SIGKILL it right after its ``kill_after``-th DONE line, and
    not before ``synced()`` holds (checked per DONE line, for at most SYNC_WAIT_S)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.count_loop", str(data_dir), *skus],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done: list[list[str]] = []
    give_up = time.monotonic() + SYNC_WAIT_S
    try:
        while len(done) < kill_after or (time.monotonic() < give_up and not synced()):
            line = lines.get(timeout=60)
            assert line is not None, "the count loop exited by itself"
            if line.startswith("DONE "):
                done.append(line.split()[1:])
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    # lines printed before the kill landed are committed counts too
    while (line := lines.get(timeout=10)) is not None:
        if line.startswith("DONE "):
            done.append(line.split()[1:])
    reader.join(timeout=10)
    assert proc.stdout is not None
    proc.stdout.close()
    return done


def test_sigkill_at_random_points_loses_nothing_and_doubles_nothing(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    rounds = ROUNDS["postgresql" if ledger.db_url.startswith("postgresql") else "sqlite"]
    data_dir = tmp_path / "station"
    enrolled_station(ledger, data_dir).close()
    skus = [r[0] for r in ledger.sql("SELECT sku FROM items ORDER BY id LIMIT 6")]
    rng = random.Random(20261127)
    reported: list[list[str]] = []
    with_device = "SELECT count(*) FROM ops_received o JOIN devices d ON d.device_id = o.device_id"

    def synced() -> bool:
        return bool(ledger.sql(with_device)[0][0] > 0)

    for round_no in range(rounds):
        first = synced if round_no == 0 else lambda: True
        reported += _run_until_killed(data_dir, skus, rng.randrange(5, 60), first)
        if round_no == 2:
            ledger.kill()  # the ledger dies too, mid-whatever it was doing
            ledger.start()

    assert synced()  # the kills landed while syncs were running

    station = build_station(data_dir, sync_settings=FAST)
    try:
        while station.status.status().pending_ops:
            station.sync.sync_once()
        with station.db.reading() as session:
            device_id = session.execute(text("SELECT device_id FROM device")).scalar_one()
            local = session.execute(
                text("SELECT op_id, device_seq FROM outbox ORDER BY device_seq")
            ).all()
            payloads = session.execute(
                text("SELECT payload FROM outbox ORDER BY device_seq")
            ).scalars()
            last_local: dict[str, int] = {}
            for payload in payloads:
                body = json.loads(payload)
                last_local[body["sku"]] = body["observed"]
    finally:
        station.close()

    received = ledger.sql(
        "SELECT op_id, device_seq FROM ops_received WHERE device_id = :d ORDER BY device_seq",
        {"d": device_id},
    )
    assert [tuple(r) for r in received] == [tuple(r) for r in local]  # same ops, same order
    assert [r[1] for r in received] == list(range(1, len(received) + 1))
    received_ids = {r[0] for r in received}
    assert {op_id for op_id, _, _ in reported} <= received_ids  # every reported count landed
    twice = ledger.sql(
        "SELECT op_id FROM stock_movements WHERE device_id = :d GROUP BY op_id HAVING count(*) > 1",
        {"d": device_id},
    )
    assert twice == []
    moves = ledger.sql(
        "SELECT count(*) FROM stock_movements WHERE device_id = :d", {"d": device_id}
    )
    assert moves == [(len(received),)]
    # the last count of each item is what the ledger holds (counts of others: none here)
    assert last_local
    for sku, observed in last_local.items():
        assert ledger_on_hand(ledger, sku) == observed
    assert len(received) >= len(reported)
