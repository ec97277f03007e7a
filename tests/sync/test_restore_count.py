"""Counts whose base the ledger cannot vouch for after a restore are flagged for a person,
never posted as a difference against a book nobody saw (issue #9 §3)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.config import SyncSettings
from app.errors import Offline
from app.services.station import Station
from app.storage import device
from app.sync import protocol
from app.sync.client import LedgerClient
from tests.ledger.conftest import DeviceClient
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.support.restore import backup, restore
from tests.sync.stations import enrolled_station, ledger_on_hand, sku, station_shows


class _SnapshotsCut(LedgerClient):
    """A real client whose snapshots fail while ``cut`` is set: the network drops just
    after the station found the restore, so it stays in the window with cursor 0."""

    cut = False

    def snapshot(
        self, scope: protocol.Scope, after: int = 0, limit: int | None = None
    ) -> protocol.SnapshotPage:
        self._maybe_cut()
        return super().snapshot(scope, after, limit)

    def snapshot_text(self, scope: protocol.Scope, after: int = 0, limit: int | None = None) -> str:
        self._maybe_cut()
        return super().snapshot_text(scope, after, limit)

    def _maybe_cut(self) -> None:
        if self.cut:
            raise Offline("The connection dropped (test).")


@contextmanager
def _station(ledger: RunningLedger, folder: Path) -> Iterator[tuple[Station, list[_SnapshotsCut]]]:
    """An enrolled station whose clients can be cut (the last one made is the one in use),
    closed afterwards."""
    made: list[_SnapshotsCut] = []

    def factory(url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        made.append(_SnapshotsCut(url, token=token, settings=settings))
        return made[-1]

    station = enrolled_station(ledger, folder, client_factory=factory)
    try:
        yield station, made
    finally:
        station.close()


def _flags(ledger: RunningLedger, code: str) -> list[tuple[str, str]]:
    rows = ledger.sql("SELECT kind, status FROM exceptions WHERE sku = :s ORDER BY id", {"s": code})
    return [(str(k), str(s)) for k, s in rows]


def test_a_count_made_in_the_restore_window_is_flagged_not_added_to_everything(
    sqlite_ledger: RunningLedger, tmp_path: Path
) -> None:
    ledger = sqlite_ledger
    with _station(ledger, tmp_path / "station") as (station, clients):
        shelf, other = sku(ledger, 31), sku(ledger, 32)
        backup(ledger, tmp_path / "backup")
        count_settled(station.stock, None, other, 7)
        assert station.sync.sync_once().applied == 1
        restore(ledger, tmp_path / "backup")  # the ledger forgets that count

        clients[-1].cut = True  # the restore is found, then the snapshots fail
        with pytest.raises(Offline):
            station.sync.sync_once()
        with station.db.reading() as session:
            state = device.sync_state(session)
        assert (state.cursor, state.snapshot_done) == (0, False)  # in the window

        assert ledger_on_hand(ledger, shelf) == 10
        recorded = count_settled(station.stock, None, shelf, 8)
        clients[-1].cut = False
        station.sync.sync_once()

        # Posted against base 0 it would be 8 - 0 + 10 = 18; it is set and flagged instead.
        assert ledger_on_hand(ledger, shelf) == 8
        assert _flags(ledger, shelf) == [("count_needs_check", "open")]
        assert ledger_on_hand(ledger, other) == 7 and _flags(ledger, other) == []
        assert ledger.sql(
            "SELECT count(*) FROM ops_received WHERE op_id = :o AND status = 'applied'",
            {"o": recorded.op_id},
        ) == [(1,)]
        station.sync.sync_once()
        assert station_shows(station, shelf) == (8, 0)
        rows = [r for r in station.exceptions.open_exceptions() if r.sku == shelf]
        assert [r.title for r in rows] == ["Count needs checking"]
        assert "Counted 8" in rows[0].detail and "(it said 10)" in rows[0].detail
        assert rows[0].next_step.startswith("Count ")


def test_a_count_resent_after_a_restore_with_a_base_from_the_lost_history_is_flagged(
    sqlite_ledger: RunningLedger, tmp_path: Path
) -> None:
    ledger = sqlite_ledger
    with _station(ledger, tmp_path / "station") as (station, _):
        first, shelf = sku(ledger, 33), sku(ledger, 34)
        backup(ledger, tmp_path / "backup")
        count_settled(station.stock, None, first, 6)
        station.sync.sync_once()  # the station now has seen ledger history ...
        count_settled(station.stock, None, shelf, 5)
        station.sync.sync_once()  # ... and counted on it
        restore(ledger, tmp_path / "backup")
        busy = DeviceClient(ledger, "BLR-01")  # the restored ledger moves on past that base
        busy.push([busy.count_op(sku(ledger, n), 9, base=busy.head()) for n in range(35, 45)])

        report = station.sync.sync_once()

        assert report.resent == 2
        assert ledger_on_hand(ledger, first) == 6 and _flags(ledger, first) == []
        assert ledger_on_hand(ledger, shelf) == 5
        assert _flags(ledger, shelf) == [("count_needs_check", "open")]


def test_a_count_pending_when_the_ledger_went_back_is_flagged(
    sqlite_ledger: RunningLedger, tmp_path: Path
) -> None:
    ledger = sqlite_ledger
    with _station(ledger, tmp_path / "station") as (station, _):
        shelf = sku(ledger, 46)
        backup(ledger, tmp_path / "backup")
        before = DeviceClient(ledger, "BLR-01")  # history the restore will take away
        before.push([before.count_op(sku(ledger, n), 4, base=before.head()) for n in (47, 48)])
        station.sync.sync_once()  # the station sees it ...
        count_settled(station.stock, None, shelf, 8)  # ... and counts on it, not yet sent
        restore(ledger, tmp_path / "backup")

        station.sync.sync_once()  # pushed first: its base lies beyond the restored head

        assert ledger_on_hand(ledger, shelf) == 8
        assert _flags(ledger, shelf) == [("count_needs_check", "open")]
        assert ledger_on_hand(ledger, sku(ledger, 47)) == 10  # the lost history stays lost
