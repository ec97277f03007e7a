"""Carriers, their pincodes, who collects where and each location's boxes as master data
(SQLite and PostgreSQL): imported by CSV, checked row by row against the ledger, lists
replaced for what a file names, used by routing for the next order, and boxes pulled by
stations and suggested at the pack step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from app.services.shipping import pack_view
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.ledger.master_support import run_import, write_csv
from tests.ledger.ship_support import demo_ledger, fulfilments_of, ship_order, stock_item
from tests.support.ledger import RunningLedger, backend_params
from tests.sync.stations import enrolled_station

CARRIER_HEADER = (
    "code,name,kind,cutoff,service,rate_local,rate_regional,rate_national,days_local,"
    "days_regional,days_national,active"
)
BOX_HEADER = "location,code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g"


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("carriers"))


def carrier(demo: RunningLedger, code: str) -> tuple[Any, ...]:
    (row,) = demo.sql(
        "SELECT name, kind, cutoff, rate_local, rate_regional, rate_national, days_local, "
        "days_regional, days_national, active FROM carriers WHERE code = :c",
        {"c": code},
    )
    return (*row[:-1], bool(row[-1]))


def prefixes(demo: RunningLedger, code: str) -> list[str]:
    rows = demo.sql(
        "SELECT p.prefix FROM carrier_pincodes p JOIN carriers c ON c.id = p.carrier_id "
        "WHERE c.code = :c ORDER BY p.prefix",
        {"c": code},
    )
    return [r[0] for r in rows]


def collecting(demo: RunningLedger, carrier_code: str) -> list[tuple[str, str | None]]:
    rows = demo.sql(
        "SELECT l.code, lc.cutoff FROM location_carriers lc "
        "JOIN locations l ON l.id = lc.location_id JOIN carriers c ON c.id = lc.carrier_id "
        "WHERE c.code = :c ORDER BY l.code",
        {"c": carrier_code},
    )
    return [(r[0], r[1]) for r in rows]


def import_csv(
    demo: RunningLedger,
    capsys: pytest.CaptureFixture[str],
    path: Path,
    kind: str,
    header: str,
    lines: list[str],
    *extra: str,
) -> tuple[int, str, str]:
    return run_import(demo, capsys, kind, write_csv(path / f"{kind}.csv", header, lines), *extra)


def test_carriers_import_adds_and_changes_by_code_and_a_second_run_changes_nothing(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = [
        "dash,Dash Couriers,partner,16:30,Express,55,80.50,120,1,2,3,yes",
        "BIKE,City Bikes,own_fleet,19:00,,25,,,0,,,",
    ]
    status, out, _ = import_csv(demo, capsys, tmp_path, "carriers", CARRIER_HEADER, good)
    again = import_csv(demo, capsys, tmp_path, "carriers", CARRIER_HEADER, good)[1]
    changed = import_csv(
        demo, capsys, tmp_path, "carriers", CARRIER_HEADER,
        [good[0].replace("16:30", "17:00"), good[1].replace(",,,0,,,", ",,,0,,,no")],
    )[1]  # fmt: skip

    assert status == 0 and "2 added, 0 changed, 0 unchanged" in out
    assert "0 added, 0 changed, 2 unchanged" in again
    assert "0 added, 2 changed, 0 unchanged" in changed
    assert carrier(demo, "DASH") == (
        "Dash Couriers", "partner", "17:00", 5500, 8050, 12000, 1, 2, 3, True,
    )  # fmt: skip
    assert carrier(demo, "BIKE") == ("City Bikes", "own_fleet", "19:00", 2500, None, None,
                                     0, 2, 4, False)  # fmt: skip


def test_bad_carrier_rows_are_listed_by_line_and_nothing_is_imported(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = import_csv(
        demo, capsys, tmp_path, "carriers", CARRIER_HEADER,
        ["GOOD1,Good,partner,16:00,,50,,,,,,",
         "BAD1,Bad,partner,25:00,,50,,,,,,",
         "BAD2,Bad,courier,16:00,,50,,,,,,",
         "BAD3,Bad,partner,16:00,,,,,,,,"],
    )  # fmt: skip

    assert status == 1 and "Nothing imported: 3 bad row(s) in the carriers file" in err
    assert "line 3: cutoff: '25:00' is not a time of day. Write it as HH:MM" in err
    assert "line 4: kind: 'courier' is not a carrier kind" in err
    assert "line 5: rate_local: BAD3 has no rate for any zone" in err
    assert demo.sql("SELECT count(*) FROM carriers WHERE code = 'GOOD1'") == [(0,)]


def test_a_pincodes_file_replaces_the_list_of_each_carrier_it_names_and_no_other(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    two = ["PIN1,Pin One,partner,16:00,,50,,,,,,", "PIN2,Pin Two,partner,16:00,,50,,,,,,"]
    import_csv(demo, capsys, tmp_path, "carriers", CARRIER_HEADER, two)
    first = ["PIN1,560", "PIN1,5601", "PIN1,411001", "pin2,110"]
    status, out, _ = import_csv(
        demo, capsys, tmp_path, "carrier_pincodes", "carrier,pincode", first
    )
    status2, out2, _ = import_csv(
        demo, capsys, tmp_path, "carrier_pincodes", "carrier,pincode", ["PIN1,560", "PIN1,562"]
    )
    refused = import_csv(
        demo, capsys, tmp_path, "carrier_pincodes", "carrier,pincode",
        ["PIN1,560", "NOPE,560", "PIN1,0560", "PIN1,5600951"],
    )  # fmt: skip

    assert status == 0 and "4 added, 0 changed, 0 unchanged" in out
    assert status2 == 0 and "1 added, 0 changed, 1 unchanged" in out2
    assert "PIN1: 2 pincode(s) removed (not in the file)" in out2
    assert prefixes(demo, "PIN1") == ["560", "562"] and prefixes(demo, "PIN2") == ["110"]
    assert refused[0] == 1
    assert "line 3: There is no carrier NOPE. Import the carriers first" in refused[2]
    assert "line 4: pincode: '0560' is not a pincode or the start of one" in refused[2]
    assert "line 5: pincode: '5600951' is not a pincode" in refused[2]
    assert prefixes(demo, "PIN1") == ["560", "562"]


def test_location_carriers_set_the_cutoff_there_and_collects_no_removes_the_pair(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import_csv(demo, capsys, tmp_path, "carriers", CARRIER_HEADER,
               ["COL1,Collector,partner,16:00,,50,,,,,,"])  # fmt: skip
    header = "location,carrier,cutoff,collects"
    rows = ["BLR-01,COL1,17:30,", "blr-02,col1,,yes"]
    status, out, _ = import_csv(demo, capsys, tmp_path, "location_carriers", header, rows)
    again = import_csv(demo, capsys, tmp_path, "location_carriers", header, rows)[1]
    added = collecting(demo, "COL1")
    status3, out3, _ = import_csv(
        demo, capsys, tmp_path, "location_carriers", header,
        ["BLR-01,COL1,9:15,", "BLR-02,COL1,,no", "BLR-99,COL1,,", "BLR-01,NOPE,,",
         "BLR-03,COL1,17.30,"], "--skip-bad-rows",
    )  # fmt: skip

    assert status == 0 and "2 added" in out and "2 unchanged" in again
    assert added == [("BLR-01", "17:30"), ("BLR-02", None)]
    assert status3 == 0 and "0 added, 2 changed, 0 unchanged, 3 bad row(s) skipped" in out3
    assert collecting(demo, "COL1") == [("BLR-01", "09:15")]
    _, _, err = import_csv(
        demo, capsys, tmp_path, "location_carriers", header, ["BLR-99,COL1,,", "BLR-01,NOPE,,"]
    )
    assert "line 2: There is no location BLR-99. Import the locations first" in err
    assert "line 3: There is no carrier NOPE." in err


def test_an_order_to_a_pincode_only_an_imported_carrier_serves_routes_through_it(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sku = stock_item(demo, "SHIP-CAR1", {"BLR-01": 5})
    order = ship_order("WEB-CAR1", [(sku, 1)])
    order["ship_to"]["pincode"] = "990001"  # an Army Post Office: no demo carrier serves 9…
    with pytest.raises(requests.HTTPError) as refused:
        demo.place_order(order)

    import_csv(demo, capsys, tmp_path, "carriers", CARRIER_HEADER,
               ["FIELD,Field Post Couriers,partner,15:00,APO,70,,,2,,,"])  # fmt: skip
    import_csv(demo, capsys, tmp_path, "carrier_pincodes", "carrier,pincode", ["FIELD,99"])
    import_csv(demo, capsys, tmp_path, "location_carriers", "location,carrier,cutoff",
               ["BLR-01,FIELD,14:00"])  # fmt: skip
    accepted = demo.place_order({**order, "order_number": "WEB-CAR2"})

    assert refused.value.response.status_code == 409
    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["BLR-01"]
    assert "Field Post Couriers" in accepted["explanation"][0]
    (fo,) = fulfilments_of(demo, "WEB-CAR2")
    assert (fo["carrier"], fo["carrier_service"]) == ("FIELD", "APO")
    # 14:00 IST, 08:30 UTC: the location's cut-off, not the carrier's own 15:00
    assert fo["ship_by"].strftime("%H:%M") == "08:30"


def cached_boxes(station: Station) -> list[tuple[str, int]]:
    with station.db.reading() as session:
        return [(b.code, b.tare_g) for b in pack_view.location_boxes(raw_connection(session))]


def suggested_box(station: Station, mm: tuple[int, int, int], grams: int) -> tuple[str, int, int]:
    with station.db.writing() as session:
        conn = raw_connection(session)
        sku = conn.execute("SELECT sku FROM items ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute(
            "UPDATE items SET length_mm = ?, width_mm = ?, height_mm = ?, weight_g = ? "
            "WHERE sku = ?",
            (*mm, grams, sku),
        )
        return pack_view.box_for(conn, {sku: 1})


def test_a_boxes_file_replaces_a_locations_catalogue_and_its_stations_pack_from_it(
    demo: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    station = enrolled_station(demo, tmp_path / "station", location="BLR-02")
    try:
        before = cached_boxes(station)
        boxes = [
            "BLR-02,box-xs,Box extra small,150,120,80,60,1000",
            "BLR-02,BOX-S,Box small,300,200,120,140,3000",  # the seed's weighs 150 g
            "BLR-02,BOX-M,Box medium,400,300,200,300,8000",  # as seeded
        ]
        status, out, _ = import_csv(demo, capsys, tmp_path, "boxes", BOX_HEADER, boxes)
        station.sync.sync_once()
        after = cached_boxes(station)
        box = suggested_box(station, (140, 110, 70), 200)
        head = demo.sql("SELECT last_seq FROM ledger_head")
        again = import_csv(demo, capsys, tmp_path, "boxes", BOX_HEADER, boxes)[1]
        bad = import_csv(
            demo, capsys, tmp_path, "boxes", BOX_HEADER,
            ["BLR-99,BOX-S,Box small,300,200,120,140,3000",
             "BLR-02,BOX-Z,Flat,300,200,-1,140,3000"],
        )  # fmt: skip
    finally:
        station.close()

    assert [code for code, _ in before][:2] == ["MAILER", "BOX-S"]
    assert status == 0 and "1 added, 1 changed, 1 unchanged" in out
    assert "BLR-02: 3 box(es) retired (not in the file)" in out
    assert after == [("BOX-XS", 60), ("BOX-S", 140), ("BOX-M", 300)]
    assert box == ("BOX-XS", 200 + 60, 1)
    assert "0 added, 0 changed, 3 unchanged" in again
    assert demo.sql(
        "SELECT count(*) FROM change_log c JOIN locations l ON c.key = CAST(l.id AS VARCHAR(20)) "
        "WHERE l.code = 'BLR-02' AND c.scope = 'locations' AND c.ledger_seq > :s",
        {"s": head[0][0]},
    ) == [(0,)]
    assert bad[0] == 1 and "line 2: There is no location BLR-99." in bad[2]
    assert "line 3: height_mm: The inner height in mm is -1; it must be 1 to 5,000." in bad[2]
