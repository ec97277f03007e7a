"""``counterbench station enrol | count | status | sync`` against a real ledger."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

import pytest

from app.commands import station as station_commands
from app.errors import BadInput
from app.storage.sync_lock import SyncLock
from tests.support.ledger import ROOT, RunningLedger
from tests.sync.stations import enrolled_station, ledger_on_hand


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    parser = argparse.ArgumentParser(prog="counterbench")
    station_commands.register(parser.add_subparsers(dest="group", required=True))
    args = parser.parse_args(["station", *argv])
    assert args.run(args) == 0
    return capsys.readouterr().out


def test_enrol_count_status_sync(
    sqlite_ledger: RunningLedger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "station")
    code = sqlite_ledger.enrol_code("BLR-01", "bench")
    out = _run(capsys, "enrol", "--data-dir", data, "--ledger", sqlite_ledger.url,
               "--code", code, "--name", "Bench 2", "--kind", "bench")  # fmt: skip
    assert "Bench 2 (bench) at BLR-01" in out and "online" in out

    sku = sqlite_ledger.sql("SELECT sku FROM items WHERE id = 3")[0][0]
    # 17 is far from the book: the station asks for a second count, then a reason.
    with pytest.raises(BadInput, match="counted twice") as asked:
        _run(capsys, "count", "--data-dir", data, sku, "17", "--staff", "A100")
    assert "--first-count 17" in asked.value.next_step
    with pytest.raises(BadInput, match="needs a reason") as asked:
        _run(capsys, "count", "--data-dir", data, sku, "17", "--first-count", "17")
    assert "theft_or_loss (Theft or loss)" in asked.value.next_step
    out = _run(capsys, "count", "--data-dir", data, sku, "17", "--staff", "A100",
               "--first-count", "17", "--reason", "theft_or_loss")  # fmt: skip
    op_id = out.strip().splitlines()[-1]
    assert len(op_id) == 36 and f"counted 17 of {sku}" in out

    status = json.loads(_run(capsys, "status", "--data-dir", data, "--json"))
    assert status["pending_ops"] == 1 and status["location_code"] == "BLR-01"
    assert status["oldest_pending_age_s"] >= 0

    out = _run(capsys, "sync", "--data-dir", data)
    assert "pushed 1 (applied 1, rejected 0)" in out
    assert ledger_on_hand(sqlite_ledger, sku) == 17
    actor = sqlite_ledger.sql("SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": op_id})
    assert actor == [(1,)]
    text = _run(capsys, "status", "--data-dir", data)
    assert "Pending   0 operation(s)" in text and "Exceptions 0 open" in text


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _cli(*argv: str, stdout: IO[str] | int = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "station", *argv],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )


def _watch_until_signal(data: Path, log: Path, signum: int, meanwhile: Callable[[], None]) -> str:
    """Run `station sync --watch`, do ``meanwhile``, stop the watcher with ``signum``;
    return the watcher's output."""
    with log.open("w") as out:
        watcher = _cli("sync", "--watch", "--data-dir", str(data), stdout=out)
    try:
        _wait_for(lambda: "until stopped" in log.read_text(), "the watcher to start")
        meanwhile()
        watcher.send_signal(signum)
        assert watcher.wait(timeout=30) == 0, log.read_text()
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(timeout=10)
    return log.read_text()


@contextlib.contextmanager
def _held(data_dir: Path) -> Iterator[SyncLock]:
    lock = SyncLock(data_dir)
    _wait_for(lock.acquire, "the sync lock")
    try:
        yield lock
    finally:
        lock.release()


def test_sync_watch_sends_counts_made_elsewhere_and_stops_cleanly(
    sqlite_ledger: RunningLedger, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "station"
    enrolled_station(sqlite_ledger, data).close()
    sku = sqlite_ledger.sql("SELECT sku FROM items WHERE id = 4")[0][0]
    log_path = tmp_path / "watch.log"

    def count_elsewhere_then_sync_elsewhere() -> None:
        count = _cli("count", "--data-dir", str(data), sku, "17",
                     "--first-count", "17", "--reason", "miscounted_before")  # fmt: skip
        output, _ = count.communicate(timeout=60)
        assert count.returncode == 0, output
        _wait_for(lambda: ledger_on_hand(sqlite_ledger, sku) == 17, "the count at the ledger")
        with _held(data):  # another process syncs this station for a while
            _wait_for(lambda: "Waiting: another Counterbench" in log_path.read_text(), "a skip")
            out = _run(capsys, "sync", "--data-dir", str(data))
            assert "another Counterbench process is syncing this station" in out
        _wait_for(lambda: "Syncing here again" in log_path.read_text(), "syncing again")

    out = _watch_until_signal(data, log_path, signal.SIGINT, count_elsewhere_then_sync_elsewhere)
    assert out.rstrip().endswith("Stopped.") and "Traceback" not in out
    out = _watch_until_signal(data, tmp_path / "watch2.log", signal.SIGTERM, lambda: None)
    assert out.rstrip().endswith("Stopped.") and "Traceback" not in out
    text = _run(capsys, "status", "--data-dir", str(data))
    assert "Pending   0 operation(s)" in text and "Note" not in text
