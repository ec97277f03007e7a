"""A station's cache holds a ship order's parcels and packed counts as the ledger sends
them, by pulled change and by snapshot, and the bench's ship view reads them back
(:func:`app.domain.shipping.rows.ship_order_from_row`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.shipping.order_view import ParcelRecord, ShipOrder
from app.domain.shipping.rows import ship_order_from_row
from app.services.station import Station
from tests.ledger.bench_support import Bench, bin_lines, parcel, placed
from tests.ledger.ship_support import demo_ledger, stock_item
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    yield from demo_ledger("sqlite", tmp_path_factory.mktemp("demo"))


def cached(station: Station, fo_id: int) -> ShipOrder:
    with station.db.reading() as session:
        row = session.execute(
            text("SELECT * FROM fulfilment_orders WHERE id = :f"), {"f": fo_id}
        ).one()
    return ship_order_from_row(dict(row._mapping))


def test_a_station_caches_parcels_by_change_and_by_snapshot(
    demo: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(demo, tmp_path / "a")
    sku = stock_item(demo, "SY-P01", {"BLR-01": 5})
    fo = placed(demo, "WEB-Y01", [(sku, 2)])
    bench = Bench(demo, "BLR-01")
    bench.one(bench.step("ship.pick", fo["id"], lines=bin_lines((sku, 2)), tote="PB-1-T1"))
    first, second = parcel((sku, 1)), parcel((sku, 1))
    bench.send(
        bench.step("ship.pack", fo["id"], parcel=first),
        bench.step("ship.pack", fo["id"], parcel=second),
        bench.step("ship.label_void", fo["id"], sscc=second["sscc"], reason="misprinted"),
    )
    try:
        station.sync.sync_once()
        pulled = cached(station, fo["id"])
        fresh = enrolled_station(demo, tmp_path / "b", name="Counter 2")
        try:
            snapped = cached(fresh, fo["id"])
        finally:
            fresh.close()
    finally:
        station.close()

    want = (
        ParcelRecord(first["sscc"], ((sku, 1),)),
        ParcelRecord(second["sscc"], ((sku, 1),), void=True),
    )
    assert pulled.parcels == want and snapped.parcels == want
    assert [(ln.picked, ln.packed, ln.loose) for ln in pulled.lines] == [(2, 1, 1)]
    assert pulled == snapped and pulled.state.value == "picked"
