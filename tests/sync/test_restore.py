"""A ledger restored from a backup has lost confirmed ops: the station sends them again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import make_url

from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, ledger_on_hand, sku


def _files(ledger: RunningLedger) -> list[Path]:
    path = Path(str(make_url(ledger.db_url).database))
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _backup(ledger: RunningLedger, folder: Path) -> None:
    ledger.stop()
    folder.mkdir()
    for f in _files(ledger):
        if f.exists():
            shutil.copy2(f, folder / f.name)
    ledger.start()


def _restore(ledger: RunningLedger, folder: Path) -> None:
    ledger.stop()
    ledger.engine.dispose()
    for f in _files(ledger):
        f.unlink(missing_ok=True)
        if (folder / f.name).exists():
            shutil.copy2(folder / f.name, f)
    ledger.start()


@pytest.mark.parametrize("pending_at_restore", [True, False], ids=["push-409", "pull-seq"])
def test_ops_lost_by_a_restore_are_sent_again_once(
    sqlite_ledger: RunningLedger, tmp_path: Path, pending_at_restore: bool
) -> None:
    ledger = sqlite_ledger
    station = enrolled_station(ledger, tmp_path / "station")
    try:
        _backup(ledger, tmp_path / "backup")
        a, b = sku(ledger, 1), sku(ledger, 2)
        ops = [station.stock.count(None, a, 30), station.stock.count(None, b, 40)]
        ops.append(station.stock.count(None, a, 31))
        assert station.sync.sync_once().applied == 3
        assert ledger_on_hand(ledger, a) == 31

        _restore(ledger, tmp_path / "backup")
        assert ledger.sql("SELECT count(*) FROM ops_received") == [(0,)]
        assert ledger_on_hand(ledger, a) == 10  # the backup's book
        if pending_at_restore:
            ops.append(station.stock.count(None, b, 44))
        report = station.sync.sync_once()
        assert report.resent == 3
        assert "stock" in report.snapshots  # the cursor went back with the ledger

        for op in ops:
            assert ledger.sql(
                "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": op.op_id}
            ) == [(1,)]
        assert ledger_on_hand(ledger, a) == 31
        assert ledger_on_hand(ledger, b) == (44 if pending_at_restore else 40)
        shown = station.stock.item_stock(station.stock.lookup(b)[0].item_id).buckets[0]
        assert (shown.on_hand, shown.pending_change) == (ledger_on_hand(ledger, b), 0)
        status = station.status.status()
        assert status.pending_ops == 0 and status.online
        assert station.sync.sync_once().resent == 0
    finally:
        station.close()
