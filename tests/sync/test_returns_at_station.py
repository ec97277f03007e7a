"""Returns taken in at a store reach every station of it (the returns scope): by the
change rows a pull brings, refund state and all, and by the snapshot a station enrolled
later takes; the station's copy agrees with the ledger's checksum."""

from __future__ import annotations

from pathlib import Path

from app.services.station import Station
from app.storage.engine import raw_connection
from tests.ledger.return_support import ReturnCounter, return_line
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, sku


def _returns(station: Station) -> list[tuple[object, ...]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT sku, quantity, disposition, refund_state FROM ledger_returns ORDER BY id"
        )
        return [tuple(r) for r in rows]


def test_a_return_at_the_store_reaches_its_stations(
    shared_ledger: RunningLedger, station: Station, tmp_path: Path
) -> None:
    item = sku(shared_ledger, 41)
    counter = ReturnCounter(shared_ledger, "BLR-01")
    line = return_line(None, item, 2, grade="C", disposition="damaged", refund_minor=30_000)
    [result] = counter.send(counter.return_op(None, [line]))  # no lookup, no approval: held
    assert result["status"] == "applied"

    report = station.sync.sync_once()

    assert (item, 2, "damaged", "held") in _returns(station)
    again = station.sync.sync_once()
    assert again.snapshots == [] and again.pulled == 0  # the copy matches the checksum
    later = enrolled_station(shared_ledger, tmp_path / "later", name="Counter 2")
    try:
        assert (item, 2, "damaged", "held") in _returns(later)  # from its snapshot
    finally:
        later.close()
    assert report.pulled >= 1
