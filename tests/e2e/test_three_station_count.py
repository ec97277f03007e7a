"""Three stations of one store count the same shelf while the ledger is down: the book
said 1, each counts 0, and after sync the ledger says 0 (issue #9 §3), not −2."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import Offline
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, ledger_on_hand, sku, station_shows


def test_three_offline_counts_of_the_last_unit_end_at_zero(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    stations = [
        enrolled_station(ledger, tmp_path / f"s{n}", name=f"Counter {n}") for n in (1, 2, 3)
    ]
    try:
        code = sku(ledger, 30)
        count_settled(stations[0].stock, None, code, 1)  # the book says 1
        for station in stations:
            station.sync.sync_once()
        assert ledger_on_hand(ledger, code) == 1
        assert [station_shows(s, code) for s in stations] == [(1, 0)] * 3

        ledger.stop()
        for station in stations:  # each finds the shelf empty, offline
            count_settled(station.stock, None, code, 0)
            with pytest.raises(Offline):
                station.sync.sync_once()
            assert station_shows(station, code) == (0, -1)
        ledger.start()
        for station in stations + stations[:2]:  # push all three, then pull everywhere
            station.sync.sync_once()

        assert ledger_on_hand(ledger, code) == 0
        assert ledger.sql(
            "SELECT coalesce(sum(m.quantity), 0) FROM stock_movements m JOIN items i "
            "ON i.id = m.item_id JOIN locations l ON l.id = m.location_id "
            "WHERE i.sku = :s AND l.code = 'BLR-01' AND m.bucket = 'sellable'",
            {"s": code},
        ) == [(0,)]
        assert ledger.sql("SELECT kind FROM exceptions WHERE sku = :s", {"s": code}) == []
        for station in stations:
            assert station_shows(station, code) == (0, 0)
            assert station.exceptions.open_exceptions() == []
            assert station.status.status().pending_ops == 0
    finally:
        for station in stations:
            station.close()
