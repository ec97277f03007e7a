"""500 counts queued while the ledger is down each reach it exactly once on reconnect."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import Offline
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, ledger_on_hand

COUNTS = 500


def test_offline_backlog_is_applied_exactly_once(ledger: RunningLedger, tmp_path: Path) -> None:
    station = enrolled_station(ledger, tmp_path / "station")
    try:
        with station.db.reading() as session:
            device_id = session.execute(text("SELECT device_id FROM device")).scalar_one()
        skus = [r[0] for r in ledger.sql("SELECT sku FROM items ORDER BY id")]
        ledger.stop()
        with pytest.raises(Offline):
            station.sync.sync_once()

        expected: dict[str, int] = {}
        op_ids = []
        for i in range(COUNTS):
            sku = skus[(i * 7) % len(skus)]
            observed = (i * 13) % 41
            op_ids.append(count_settled(station.stock, None, sku, observed).op_id)
            expected[sku] = observed
        status = station.status.status()
        assert status.pending_ops == COUNTS and not status.online

        station.sync.start()  # backs off against the dead port …
        ledger.start()  # … and gets through once the ledger is back
        deadline = time.monotonic() + 60
        while station.status.status().pending_ops:
            assert time.monotonic() < deadline, station.status.status()
            time.sleep(0.05)
        station.sync.stop()

        received = ledger.sql(
            "SELECT op_id, device_seq, status FROM ops_received WHERE device_id = :d "
            "ORDER BY device_seq",
            {"d": device_id},
        )
        assert [r[0] for r in received] == op_ids
        assert [r[1] for r in received] == list(range(1, COUNTS + 1))
        assert {r[2] for r in received} == {"applied"}
        twice = ledger.sql(
            "SELECT op_id FROM stock_movements WHERE device_id = :d GROUP BY op_id "
            "HAVING count(*) > 1",
            {"d": device_id},
        )
        assert twice == []
        moves = ledger.sql(
            "SELECT count(*) FROM stock_movements WHERE device_id = :d", {"d": device_id}
        )
        assert moves == [(COUNTS,)]
        for sku, observed in expected.items():
            assert ledger_on_hand(ledger, sku) == observed, sku
        station.sync.sync_once()
        for sku, observed in list(expected.items())[:10]:
            (item,) = station.stock.lookup(sku)
            shown = station.stock.item_stock(item.item_id).buckets[0]
            assert (shown.on_hand, shown.pending_change) == (observed, 0)
    finally:
        station.close()
