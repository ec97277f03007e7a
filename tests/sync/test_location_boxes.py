"""Each location's box catalogue reaches its stations inside the locations row: by the
snapshot a new station takes, by the change row the ledger writes when the boxes change,
and the pack step suggests a box from it (the built-in catalogue only when none came)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from app.ledger.master_data.locations import feed_locations
from app.ledger.models import BoxType, ChangeLog, Location, table_of
from app.ledger.seed_carriers import DEMO_BOXES
from app.ledger.writes import WriteBatch
from app.services.shipping import pack_view
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.ledger.ship_support import demo_ledger
from tests.support.ledger import RunningLedger, backend_params
from tests.sync.stations import enrolled_station

LEDGER_CODES = [box[0] for box in DEMO_BOXES]


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("boxes"))


def cached_codes(station: Station) -> list[str]:
    with station.db.reading() as session:
        return [b.code for b in pack_view.location_boxes(raw_connection(session))]


def suggest(station: Station, mm: tuple[int, int, int], grams: int) -> tuple[str, int, int]:
    """The pack step's box for one unit of a cached item given size ``mm`` and ``grams``."""
    with station.db.writing() as session:
        conn = raw_connection(session)
        sku = conn.execute("SELECT sku FROM items ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE items SET length_mm = ?, width_mm = ?, height_mm = ?, weight_g = ? "
            "WHERE sku = ?",
            (*mm, grams, sku),
        )
        return pack_view.box_for(conn, {sku: 1})


def test_the_seed_writes_each_shipping_locations_boxes_into_its_change_row(
    demo: RunningLedger,
) -> None:
    loc, log = table_of(Location).c, table_of(ChangeLog).c
    with demo.engine.connect() as conn:
        blr = conn.execute(select(loc.id).where(loc.code == "BLR-01")).scalar_one()
        stmt = (
            select(log.data)
            .where(log.scope == "locations", log.key == str(blr))
            .order_by(log.ledger_seq.desc())
        )
        latest = json.loads(conn.execute(stmt).scalars().first() or "{}")
    assert [b["code"] for b in latest["boxes"]] == LEDGER_CODES


def test_a_new_station_takes_its_locations_boxes_and_the_pack_step_suggests_from_them(
    demo: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(demo, tmp_path / "a")
    try:
        codes = cached_codes(station)
        # 280 mm long: too long for the built-in small box (250 mm), fits the ledger's.
        box = suggest(station, (280, 180, 110), 500)
    finally:
        station.close()
    assert codes == LEDGER_CODES
    assert box == ("BOX-S", 500 + 150, 1)


def test_a_box_added_at_the_ledger_reaches_a_station_by_its_next_sync(
    demo: RunningLedger, tmp_path: Path
) -> None:
    station = enrolled_station(demo, tmp_path / "b", name="Bench 2")
    try:
        # 70 mm high: too high for the padded mailer (50 mm), so the small box until the
        # extra small one comes.
        before = suggest(station, (140, 110, 70), 200)
        loc = table_of(Location).c
        with demo.engine.begin() as conn:
            blr = conn.execute(select(loc.id).where(loc.code == "BLR-01")).scalar_one()
            conn.execute(
                insert(table_of(BoxType)).values(
                    location_id=blr, code="BOX-XS", name="Box extra small", length_mm=150,
                    width_mm=120, height_mm=80, tare_g=60, max_weight_g=1000,
                )
            )  # fmt: skip
            batch = WriteBatch(conn)
            feed_locations(conn, batch, [blr])
            batch.flush()
        station.sync.sync_once()
        codes = cached_codes(station)
        after = suggest(station, (140, 110, 70), 200)
    finally:
        station.close()
    assert before == ("BOX-S", 200 + 150, 1)
    assert codes == ["BOX-XS", *LEDGER_CODES]
    assert after == ("BOX-XS", 200 + 60, 1)
