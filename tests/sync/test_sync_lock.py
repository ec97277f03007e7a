"""Only one process syncs a station at a time; the other skips its round and says so."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import SyncSettings
from app.services.station import Station, build_station
from app.storage.sync_lock import BUSY_TEXT, SyncLock
from app.sync import protocol
from app.sync.client import LedgerClient
from app.sync.engine import SyncBusy, SyncReport
from tests.support.counting import count_settled
from tests.support.ledger import ROOT, RunningLedger
from tests.sync.stations import FAST, enrolled_station, ledger_on_hand, sku

_HOLDER = (
    "import sys; from pathlib import Path; from app.storage.sync_lock import SyncLock; "
    "lock = SyncLock(Path(sys.argv[1])); assert lock.acquire(); print('held', flush=True); "
    "sys.stdin.read()"
)


@pytest.fixture
def other_process_syncing(station: Station) -> Iterator[subprocess.Popen[str]]:
    """Another process holding this station's sync lock until the test lets it go."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(station.data_dir)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    yield holder
    if holder.poll() is None:
        holder.kill()
    holder.wait(timeout=10)
    for stream in (holder.stdin, holder.stdout):
        if stream is not None:
            stream.close()


def test_a_round_is_skipped_while_another_process_syncs(
    station: Station, shared_ledger: RunningLedger, other_process_syncing: subprocess.Popen[str]
) -> None:
    item = sku(shared_ledger, 30)
    recorded = count_settled(station.stock, None, item, 12)
    report = station.sync.sync_once()
    assert report.skipped == BUSY_TEXT and report.pushed == 0
    status = station.status.status()
    assert status.sync_note == BUSY_TEXT and status.pending_ops == 1
    assert shared_ledger.sql(
        "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
    ) == [(0,)]
    busy = pytest.raises(SyncBusy, match=r"(?i)another Counterbench process")
    with busy, station.sync.exclusive(wait_s=0.1):
        pass

    assert other_process_syncing.stdin is not None
    other_process_syncing.stdin.close()  # the other process ends: its lock goes with it
    other_process_syncing.wait(timeout=10)
    report = station.sync.sync_once()
    assert (report.skipped, report.applied) == ("", 1)
    assert station.status.status().sync_note == ""
    assert ledger_on_hand(shared_ledger, item) == 12


class _HookedClient(LedgerClient):
    """A real client that runs ``during_pull`` while a sync round is under way."""

    during_pull: Callable[[], None] = staticmethod(lambda: None)

    def pull(self, cursor: int, limit: int | None = None) -> protocol.PullResponse:
        type(self).during_pull()
        return super().pull(cursor, limit)


def test_two_processes_on_one_data_dir_never_sync_at_once(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    data = tmp_path / "station"
    enrolled_station(shared_ledger, data).close()

    def hooked(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        return _HookedClient(url, token=token, settings=settings)

    gui = build_station(data, sync_settings=FAST, client_factory=hooked)
    watcher = build_station(data, sync_settings=FAST)  # as `station sync --watch` would
    seen: list[SyncReport] = []
    try:
        _HookedClient.during_pull = staticmethod(lambda: seen.append(watcher.sync.sync_once()))
        recorded = count_settled(watcher.stock, None, sku(shared_ledger, 31), 5)
        report = gui.sync.sync_once()
        assert report.applied == 1 and report.resent == 0
        assert seen and all(r.skipped == BUSY_TEXT and r.pushed == 0 for r in seen)
        assert watcher.status.status().sync_note == BUSY_TEXT
        _HookedClient.during_pull = staticmethod(lambda: None)
        assert watcher.sync.sync_once().skipped == ""  # the GUI's round is over
        assert shared_ledger.sql(
            "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
        ) == [(1,)]
    finally:
        _HookedClient.during_pull = staticmethod(lambda: None)
        gui.close()
        watcher.close()


def test_the_lock_file_is_in_the_data_dir(station: Station) -> None:
    with station.sync.exclusive(wait_s=1):
        assert not SyncLock(station.data_dir).acquire()
    assert station.sync.sync_once().skipped == ""
