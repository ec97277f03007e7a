"""A ledger restored from a backup has lost confirmed ops: the station sends them again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.config import SyncSettings
from app.services.station import build_station
from app.sync import protocol
from app.sync.client import LedgerClient
from app.sync.engine import LedgerKeepsLosingOps
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.support.restore import backup, restore
from tests.sync.stations import FAST, enrolled_station, ledger_on_hand, sku


@pytest.mark.parametrize("pending_at_restore", [True, False], ids=["push-409", "pull-seq"])
def test_ops_lost_by_a_restore_are_sent_again_once(
    sqlite_ledger: RunningLedger, tmp_path: Path, pending_at_restore: bool
) -> None:
    ledger = sqlite_ledger
    station = enrolled_station(ledger, tmp_path / "station")
    try:
        backup(ledger, tmp_path / "backup")
        a, b = sku(ledger, 1), sku(ledger, 2)
        ops = [count_settled(station.stock, None, a, 30), count_settled(station.stock, None, b, 40)]
        ops.append(count_settled(station.stock, None, a, 31))
        assert station.sync.sync_once().applied == 3
        assert ledger_on_hand(ledger, a) == 31

        restore(ledger, tmp_path / "backup")
        assert ledger.sql("SELECT count(*) FROM ops_received") == [(0,)]
        assert ledger_on_hand(ledger, a) == 10  # the backup's book
        if pending_at_restore:
            ops.append(count_settled(station.stock, None, b, 44))
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


class _RestoredAtEveryPull(LedgerClient):
    """A client whose ledger looks restored to before this station's first op at every
    pull (a fault: a ledger that keeps losing history), over a real ledger."""

    def pull(self, cursor: int, limit: int | None = None) -> protocol.PullResponse:
        return super().pull(cursor, limit).model_copy(update={"last_applied_seq": 0})


def _restored_at_every_pull(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
    return _RestoredAtEveryPull(url, token=token, settings=settings)


def test_a_ledger_that_keeps_losing_ops_is_an_error_not_online(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = build_station(
        tmp_path / "station", sync_settings=FAST, client_factory=_restored_at_every_pull
    )
    try:
        station.enrolment.enrol(shared_ledger.url, shared_ledger.enrol_code("BLR-01"), "C")
        recorded = count_settled(station.stock, None, sku(shared_ledger, 20), 7)
        with pytest.raises(LedgerKeepsLosingOps):
            station.sync.sync_once()
        status = station.status.status()
        assert not status.online
        assert "lost this station's operations" in status.last_error
        assert shared_ledger.sql(
            "SELECT count(*) FROM ops_received WHERE op_id = :op", {"op": recorded.op_id}
        ) == [(1,)]  # re-sent again and again, applied once
    finally:
        station.close()


def test_a_gap_in_what_must_be_resent_stops_sending_and_says_why(
    shared_ledger: RunningLedger, tmp_path: Path
) -> None:
    station = build_station(
        tmp_path / "station", sync_settings=FAST, client_factory=_restored_at_every_pull
    )
    try:
        station.enrolment.enrol(shared_ledger.url, shared_ledger.enrol_code("BLR-01"), "C")
        ops = [
            count_settled(station.stock, None, sku(shared_ledger, n), 30 + n) for n in (21, 22, 23)
        ]
        with station.db.writing() as session:  # confirmed, then pruned by an older version
            session.execute(text("UPDATE outbox SET status = 'applied', ledger_seq = 1"))
            session.execute(text("DELETE FROM outbox WHERE op_id = :op"), {"op": ops[1].op_id})

        report = station.sync.sync_once()  # the ledger "lost" ops 1-3; op 2 is gone here
        assert "no longer keeps every operation" in report.push_blocked
        assert report.resent == 0
        status = station.status.status()
        assert "Call IT support" in status.last_error
        assert station.sync.sync_once().resent == 0  # stays stopped, no rewinding
    finally:
        station.close()
