"""The station's sync lock: one holder at a time, across processes, dropped on exit."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from app.storage.sync_lock import SyncLock
from tests.support.ledger import ROOT

_HOLDER = (
    "import sys; from pathlib import Path; from app.storage.sync_lock import SyncLock; "
    "lock = SyncLock(Path(sys.argv[1])); assert lock.acquire(); print('held', flush=True); "
    "sys.stdin.read()"
)


def test_one_holder_at_a_time(tmp_path: Path) -> None:
    first, second = SyncLock(tmp_path), SyncLock(tmp_path)
    assert first.acquire() and first.held
    assert first.acquire()  # holding it already is fine
    assert not second.acquire() and not second.held
    assert not second.acquire_within(0.1)
    first.release()
    assert second.acquire()
    assert not first.acquire()
    second.release()
    first.release()  # releasing what is not held does nothing


def test_a_lock_held_by_another_process_is_dropped_when_it_dies(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    mine = SyncLock(tmp_path)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert not mine.acquire()
        holder.kill()  # SIGKILL: no chance to clean up
        holder.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not mine.acquire():
            assert time.monotonic() < deadline, "the dead holder's lock was never dropped"
            time.sleep(0.02)
        assert mine.held
    finally:
        mine.release()
        if holder.poll() is None:
            holder.kill()
            holder.wait(timeout=10)
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()
