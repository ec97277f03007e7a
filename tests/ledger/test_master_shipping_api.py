"""The admin API for carriers, their pincodes, who collects where and a location's boxes
(SQLite and PostgreSQL): each body checked as a CSV row, lists replaced, tight bodies."""

from __future__ import annotations

from typing import Any

from tests.ledger.conftest import DeviceClient
from tests.ledger.master_support import admin
from tests.support.ledger import RunningLedger

DASH = {
    "name": "Dash Couriers",
    "kind": "partner",
    "cutoff": "16:30",
    "rate_local_minor": 5500,
    "rate_national_minor": 12050,
    "days_national": 3,
}
BOX_S = {"code": "t-s", "name": "Box small", "length_mm": 300, "width_mm": 200,
         "height_mm": 120, "tare_g": 150, "max_weight_g": 3000}  # fmt: skip


def put(ledger: RunningLedger, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = admin(ledger, "PUT", path, json=body)
    return response.status_code, response.json()


def test_a_carrier_is_added_then_unchanged_then_changed_with_rates_in_paise(
    shared_ledger: RunningLedger,
) -> None:
    added = put(shared_ledger, "/carriers/dash", DASH)
    same = put(shared_ledger, "/carriers/DASH", DASH)
    changed = put(shared_ledger, "/carriers/DASH", {**DASH, "rate_local_minor": None,
                                                     "rate_regional_minor": 8000})  # fmt: skip

    assert added == (200, {"kind": "carriers", "key": "DASH", "outcome": "added"})
    assert same[1]["outcome"] == "unchanged" and changed[1]["outcome"] == "changed"
    assert shared_ledger.sql(
        "SELECT service, cutoff, rate_local, rate_regional, rate_national, days_local, "
        "days_national FROM carriers WHERE code = 'DASH'"
    ) == [("Standard", "16:30", None, 8000, 12050, 1, 3)]


def test_a_carrier_body_is_refused_field_by_field(shared_ledger: RunningLedger) -> None:
    no_rate = put(shared_ledger, "/carriers/NORATE", {**DASH, "rate_local_minor": None,
                                                      "rate_national_minor": None})  # fmt: skip
    late = put(shared_ledger, "/carriers/LATE", {**DASH, "cutoff": "24:00"})
    odd = put(shared_ledger, "/carriers/ODD", {**DASH, "kind": "courier"})
    extra = put(shared_ledger, "/carriers/EXTRA", {**DASH, "zone": "local"})
    long_code = put(shared_ledger, "/carriers/" + "C" * 21, DASH)

    assert no_rate[0] == 422 and "NORATE has no rate for any zone" in no_rate[1]["message"]
    assert late[0] == odd[0] == extra[0] == 422
    assert long_code[0] == 422  # a carrier code has up to 20 characters
    assert shared_ledger.sql(
        "SELECT count(*) FROM carriers WHERE code IN ('NORATE', 'LATE', 'ODD', 'EXTRA')"
    ) == [(0,)]


def test_a_carriers_pincodes_are_replaced_by_the_list_put(shared_ledger: RunningLedger) -> None:
    put(shared_ledger, "/carriers/ZIP", DASH)
    first = put(shared_ledger, "/carriers/zip/pincodes", {"pincodes": ["560", "5601", "411001"]})
    second = put(shared_ledger, "/carriers/ZIP/pincodes", {"pincodes": ["560", "562", "562"]})
    unknown = put(shared_ledger, "/carriers/NOPE/pincodes", {"pincodes": ["560"]})
    bad = put(shared_ledger, "/carriers/ZIP/pincodes", {"pincodes": ["0560"]})
    empty = put(shared_ledger, "/carriers/ZIP/pincodes", {"pincodes": []})

    assert first[1] == {"kind": "carrier_pincodes", "key": "ZIP", "added": 3, "changed": 0,
                        "removed": 0, "unchanged": 0}  # fmt: skip
    assert (second[1]["added"], second[1]["removed"], second[1]["unchanged"]) == (1, 2, 1)
    assert shared_ledger.sql(
        "SELECT p.prefix FROM carrier_pincodes p JOIN carriers c ON c.id = p.carrier_id "
        "WHERE c.code = 'ZIP' ORDER BY p.prefix"
    ) == [("560",), ("562",)]
    assert unknown[0] == 422 and unknown[1]["message"] == "There is no carrier NOPE."
    assert bad[0] == empty[0] == 422


def test_a_carrier_collects_at_a_location_with_its_cutoff_and_stops(
    shared_ledger: RunningLedger,
) -> None:
    put(shared_ledger, "/carriers/PICK", DASH)
    added = put(shared_ledger, "/locations/blr-01/carriers/pick", {"cutoff": "17:45"})
    own = put(shared_ledger, "/locations/BLR-01/carriers/PICK", {"cutoff": None})
    cutoffs = shared_ledger.sql(
        "SELECT lc.cutoff FROM location_carriers lc JOIN carriers c ON c.id = lc.carrier_id "
        "WHERE c.code = 'PICK'"
    )
    stopped = put(shared_ledger, "/locations/BLR-01/carriers/PICK", {"collects": False})
    nowhere = put(shared_ledger, "/locations/NOWHERE/carriers/PICK", {})
    bad_time = put(shared_ledger, "/locations/BLR-01/carriers/PICK", {"cutoff": "5:45pm"})

    assert added == (200, {"kind": "location_carriers", "key": "BLR-01 PICK",
                           "outcome": "added"})  # fmt: skip
    assert own[1]["outcome"] == "changed" and cutoffs == [(None,)]
    assert stopped[1]["outcome"] == "changed"
    assert shared_ledger.sql(
        "SELECT count(*) FROM location_carriers lc JOIN carriers c ON c.id = lc.carrier_id "
        "WHERE c.code = 'PICK'"
    ) == [(0,)]
    assert nowhere[0] == 422 and nowhere[1]["message"] == "There is no location NOWHERE."
    assert bad_time[0] == 422


def test_a_locations_boxes_are_replaced_and_its_stations_pull_them(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "MUM-01")
    cursor = station.head()
    big = {**BOX_S, "code": "T-L", "name": "Test large", "length_mm": 500}
    first = put(shared_ledger, "/locations/MUM-01/boxes", {"boxes": [BOX_S, big]})
    second = put(shared_ledger, "/locations/mum-01/boxes", {"boxes": [{**BOX_S, "tare_g": 140}]})
    changes, _ = station.pull_all(cursor)
    twice = put(shared_ledger, "/locations/MUM-01/boxes", {"boxes": [BOX_S, BOX_S]})
    heavy = put(shared_ledger, "/locations/MUM-01/boxes",
                {"boxes": [{**BOX_S, "tare_g": 3000}]})  # fmt: skip
    negative = put(shared_ledger, "/locations/MUM-01/boxes",
                   {"boxes": [{**BOX_S, "width_mm": -1}]})  # fmt: skip

    assert first[1]["added"] == 2  # and the seeded boxes retired
    assert (second[1]["changed"], second[1]["removed"]) == (1, 1)
    rows = [
        c["data"] for c in changes if c["scope"] == "locations" and c["data"]["code"] == "MUM-01"
    ]
    assert [[(b["code"], b["tare_g"]) for b in r["boxes"]] for r in rows] == [
        [("T-S", 150), ("T-L", 150)],
        [("T-S", 140)],
    ]
    assert twice[0] == 422 and twice[1]["message"] == "Box T-S is listed twice."
    assert heavy[0] == 422 and "boxes[0]: max_weight_g: T-S may carry" in heavy[1]["message"]
    assert negative[0] == 422
