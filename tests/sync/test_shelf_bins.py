"""The ledger's shelf bins reach a bench: by the snapshot a new station takes (the seeded
planogram, sellable units in each home bin), by change rows when the planogram changes
(an item moved, a bin removed), never resetting the units the bench believes a bin holds;
and the ledger's checksum of the scope agrees with the station's copy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.services.station import Station
from app.storage import shelf_bins
from app.storage.engine import raw_connection
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, sku


@pytest.fixture
def bench(ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    station = enrolled_station(ledger, tmp_path / "bench", name="Bench 1")
    yield station
    station.close()


def _held(station: Station, item_id: int) -> list[tuple[str, int, int]]:
    """(bin, units, sort_order) of an item's bins at the bench, home first."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT bin_code, units, sort_order FROM shelf_bins WHERE item_id = ? "
            "ORDER BY sort_order",
            (item_id,),
        )
        return [(str(b), int(u), int(o)) for b, u, o in rows]


def _planned(station: Station) -> int:
    with station.db.reading() as session:
        return int(raw_connection(session).execute("SELECT count(*) FROM planogram").fetchone()[0])


def _put(ledger: RunningLedger, item_id: int, bins: list[str]) -> None:
    response = requests.put(
        f"{ledger.url}/v1/admin/bins/BLR-01/{sku(ledger, item_id)}",
        json=bins,
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text


def _bench_picks(station: Station, item_id: int, bin_code: str, units: int) -> None:
    with station.db.writing() as session:
        shelf_bins.move(raw_connection(session), item_id, bin_code, -units)


def test_a_new_bench_takes_the_seeded_planogram_with_units_in_home_bins(
    ledger: RunningLedger, bench: Station
) -> None:
    on_ledger = ledger.sql(
        "SELECT count(*) FROM shelf_bins b JOIN locations l ON l.id = b.location_id "
        "WHERE l.code = 'BLR-01'"
    )[0][0]
    assert _planned(bench) == on_ledger > 50  # 50 items, every third with overflow
    (home, units, rank), (overflow, spare, second) = _held(bench, 3)
    assert (units, rank, spare, second) == (10, 1, 0, 2)  # 10 sellable at BLR-01, all home
    assert overflow.startswith("Z-") and not home.startswith("Z-")
    assert [(n, o) for _, n, o in _held(bench, 4)] == [(10, 1)]
    again = bench.sync.sync_once()
    assert again.snapshots == [] and again.pulled == 0  # the copy matches the checksum


def test_a_moved_item_and_a_removed_bin_reach_the_bench_and_keep_its_units(
    ledger: RunningLedger, bench: Station
) -> None:
    (home3, _, _), (over3, _, _) = _held(bench, 3)
    (home4, _, _) = _held(bench, 4)[0]
    (home5, _, _) = _held(bench, 5)[0]
    _bench_picks(bench, 3, home3, 4)  # the bench took 4 off item 3's home bin
    _bench_picks(bench, 4, home4, 1)

    _put(ledger, 3, [over3, home3])  # overflow becomes home: ranks swap
    _put(ledger, 4, ["M-05-2"])  # item 4 moves to another bin
    _put(ledger, 5, [])  # item 5 leaves the planogram
    report = bench.sync.sync_once()

    assert report.snapshots == [] and report.pulled == 5  # 2 ranks, 1 bin added, 2 removed
    assert _held(bench, 3) == [(over3, 0, 1), (home3, 6, 2)]  # units kept per bin
    assert _held(bench, 4) == [("M-05-2", 9, 1)]  # the old bin's units went with it
    assert _held(bench, 5) == [] and home5
    _put(ledger, 5, ["N-01-1"])  # back on the planogram: sellable units at home
    bench.sync.sync_once()
    assert _held(bench, 5) == [("N-01-1", 10, 1)]
