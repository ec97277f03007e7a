"""Locations, opening stock and the reason table as master data: imported by CSV or the
admin API, checked row by row, and pulled by stations."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.master_fields import gstin_check_char
from tests.ledger.conftest import DeviceClient, movement_sum, on_hand, tiny_skus
from tests.ledger.master_support import admin, run_import, write_csv
from tests.support.ledger import RunningLedger

LOC_HEADER = "code,name,kind,city,address,pincode,latitude,longitude,gstin,capabilities,carriers"
GSTIN = "29ABCDE1234F1Z" + gstin_check_char("29ABCDE1234F1Z")


def test_locations_import_adds_a_store_with_bins_and_stations_pull_it(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    cursor = station.head()
    path = write_csv(
        tmp_path / "locations.csv",
        LOC_HEADER,
        [
            f'BLR-09,Bengaluru HSR,store,Bengaluru,"27th Main, HSR",560102,12.9116,77.6474,'
            f"{GSTIN},bopis;returns,delhivery;bluedart",
            "BLR-10,Wrong way round,store,Bengaluru,,560102,77.6474,12.9116,,bopis,",
            "WH-BHW,Bhiwandi,store,Bhiwandi,,421302,19.2813,73.0483,,returns,",  # a warehouse
        ],
    )

    status, _, err = run_import(shared_ledger, capsys, "locations", path)
    assert status == 1 and "line 3: latitude: " in err and "look swapped" in err
    assert "line 4: WH-BHW is a warehouse on the ledger, not a store" in err
    status, out, _ = run_import(shared_ledger, capsys, "locations", path, "--skip-bad-rows")

    assert status == 0 and "1 added" in out
    changes, _ = station.pull_all(cursor)
    (row,) = [c["data"] for c in changes if c["scope"] == "locations"]
    assert (row["code"], row["pincode"], row["gstin"]) == ("BLR-09", "560102", GSTIN)
    assert row["capabilities"] == ["bopis", "returns"]
    assert row["carriers"] == ["delhivery", "bluedart"]
    assert row["bins"][0] == "H-01" and row["daily_capacity"] == 200
    code = shared_ledger.enrol_code("BLR-09")  # a new store can enrol its terminals
    assert code


def test_opening_stock_goes_live_once_and_never_overwrites_stock(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    admin(
        shared_ledger,
        "PUT",
        "/locations/PUN-09",
        json={"name": "Pune Baner", "kind": "store", "city": "Pune", "pincode": "411045",
              "latitude": 18.559, "longitude": 73.7868, "capabilities": ["bopis"]},
    ).raise_for_status()  # fmt: skip
    station = DeviceClient(shared_ledger, "PUN-09")
    sku, other = tiny_skus(shared_ledger)[10:12]
    path = write_csv(
        tmp_path / "stock.csv",
        "location,sku,bucket,quantity",
        [f"PUN-09,{sku},sellable,12", f"PUN-09,{sku},damaged,1", f"BLR-01,{other},,7",
         "PUN-09,NO-SUCH-SKU,,3", f"PUN-99,{sku},,3"],
    )  # fmt: skip

    status, _, err = run_import(shared_ledger, capsys, "stock", path)
    assert status == 1 and on_hand(shared_ledger, "PUN-09", sku) == 0
    assert f"line 4: BLR-01 already holds 10 of {other} (sellable)" in err
    assert "line 5: There is no item NO-SUCH-SKU" in err and "line 6: There is no location" in err
    status, out, _ = run_import(shared_ledger, capsys, "stock", path, "--skip-bad-rows")
    again = run_import(shared_ledger, capsys, "stock", path, "--skip-bad-rows")[1]

    assert status == 0 and "2 added" in out and "2 unchanged" in again
    assert on_hand(shared_ledger, "PUN-09", sku) == 12 == movement_sum(shared_ledger, "PUN-09", sku)
    assert on_hand(shared_ledger, "PUN-09", sku, "damaged") == 1
    changes, _ = station.pull_all(0)
    stock = [c["data"] for c in changes if c["scope"] == "stock"]
    assert sorted((r["bucket"], r["on_hand"]) for r in stock) == [("damaged", 1), ("sellable", 12)]
    refused = admin(
        shared_ledger,
        "POST",
        "/stock/opening",
        json={"location": "PUN-09", "sku": sku, "quantity": 5},
    )
    assert refused.status_code == 422 and "already holds 12" in refused.json()["message"]


def test_the_reason_table_imports_return_reasons_and_disables_by_file(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    station = DeviceClient(shared_ledger, "MUM-01")
    cursor = station.head()
    path = write_csv(
        tmp_path / "reasons.csv",
        "code,label,effect,applies_to,active",
        [
            "defective,Defective on arrival,damaged,return;ship_reject,yes",
            "too_small,Too small,none,return,yes",
            "changed_mind,Customer changed their mind,none,handover;return,yes",
            "theft_or_loss,Theft or loss,none,count,no",
            "torn,Torn,ripped,short_pick,yes",
        ],
    )

    status, _, err = run_import(shared_ledger, capsys, "reasons", path)
    assert status == 1 and "line 6: effect: 'ripped' is not a stock effect" in err
    status, out, _ = run_import(shared_ledger, capsys, "reasons", path, "--skip-bad-rows")

    assert status == 0 and "1 added, 3 changed" in out  # defective is seeded
    changes, _ = station.pull_all(cursor)
    pulled = {c["data"]["code"]: c["data"] for c in changes if c["scope"] == "reasons"}
    assert pulled["defective"]["applies_to"] == "return,ship_reject"
    assert pulled["defective"]["effect"] == "damaged"
    assert pulled["changed_mind"]["applies_to"] == "handover,return"
    assert pulled["theft_or_loss"]["active"] == 0
    saved = admin(
        shared_ledger,
        "PUT",
        "/reasons/wrong_colour",
        json={"label": "Wrong colour", "effect": "none", "applies_to": ["return"]},
    )
    misspelt = admin(
        shared_ledger,
        "PUT",
        "/reasons/x",
        json={"label": "X", "effect": "none", "applies_to": ["return"], "activ": False},
    )
    assert saved.json()["outcome"] == "added" and misspelt.status_code == 422
