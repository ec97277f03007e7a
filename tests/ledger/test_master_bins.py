"""Shelf bins as master data: a planogram file checked row by row, replacing the bins of
each location it names, one item's bins by the admin API, the demo seed's planogram, and
every change (removals too) pulled by that location's stations only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.ledger.master_support import admin, run_import, write_csv
from tests.support.ledger import RunningLedger

HEADER = "location,sku,bin,rank"


def _store(ledger: RunningLedger, code: str) -> None:
    admin(
        ledger,
        "PUT",
        f"/locations/{code}",
        json={"name": f"Store {code}", "kind": "store", "city": "Bengaluru", "pincode": "560102",
              "latitude": 12.9116, "longitude": 77.6474, "capabilities": ["ship_from_store"]},
    ).raise_for_status()  # fmt: skip


def _bins(ledger: RunningLedger, code: str) -> list[tuple[str, str, int]]:
    """(sku, bin, sort_order) of the location's bins on the ledger."""
    rows = ledger.sql(
        "SELECT i.sku, b.bin_code, b.sort_order FROM shelf_bins b JOIN items i ON i.id = "
        "b.item_id JOIN locations l ON l.id = b.location_id WHERE l.code = :c "
        "ORDER BY i.sku, b.sort_order",
        {"c": code},
    )
    return [(str(s), str(b), int(o)) for s, b, o in rows]


def _pulled_bins(changes: list[dict[str, Any]]) -> dict[str, Any]:
    """Pulled shelf_bins changes by key: the row, or None for a removed bin."""
    return {c["key"]: c["data"] for c in changes if c["scope"] == "shelf_bins"}


def _ids(ledger: RunningLedger, code: str) -> dict[tuple[str, str], str]:
    rows = ledger.sql(
        "SELECT i.sku, b.bin_code, b.id FROM shelf_bins b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id WHERE l.code = :c",
        {"c": code},
    )
    return {(str(s), str(b)): str(i) for s, b, i in rows}


def test_a_planogram_file_is_checked_by_line_then_added_once_and_pulled_there_only(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _store(shared_ledger, "BLR-07")
    here, elsewhere = DeviceClient(shared_ledger, "BLR-07"), DeviceClient(shared_ledger, "MUM-01")
    cursor = here.head()
    a, b, c = tiny_skus(shared_ledger)[20:23]
    path = write_csv(
        tmp_path / "bins.csv",
        HEADER,
        [f"BLR-07,{a},A-01-1,1", f"BLR-07,{a},Z-11-1,2", f"BLR-07,{b},A-01-2,1",
         f"blr-07,{c.lower()},a-01-3,", "BLR-07,NO-SUCH-SKU,A-01-4,1", f"BLR-99,{a},A-01-1,1",
         f"BLR-07,{b},B_02,2", f"BLR-07,{c},Z-11-3,1"],
    )  # fmt: skip

    status, _, err = run_import(shared_ledger, capsys, "bins", path)
    assert status == 1 and _bins(shared_ledger, "BLR-07") == []
    assert "line 6: There is no item NO-SUCH-SKU. Import the items first." in err
    assert "line 7: There is no location BLR-99. Import the locations first." in err
    assert "line 8: bin: 'B_02' is not a bin code." in err
    assert f"line 9: {c} at BLR-07 has rank 1 in bin A-01-3 too, on line 5." in err
    status, out, _ = run_import(shared_ledger, capsys, "bins", path, "--skip-bad-rows")
    again = run_import(shared_ledger, capsys, "bins", path, "--skip-bad-rows")[1]

    assert status == 0 and "4 added, 0 changed, 0 unchanged, 4 bad row(s) skipped" in out
    assert "0 added, 0 changed, 4 unchanged" in again and "removed" not in again
    assert _bins(shared_ledger, "BLR-07") == sorted(
        [(a, "A-01-1", 1), (a, "Z-11-1", 2), (b, "A-01-2", 1), (c, "A-01-3", 1)]
    )
    changes, page = here.pull_all(cursor)
    pulled = _pulled_bins(changes)
    ids = _ids(shared_ledger, "BLR-07")
    assert sorted(pulled) == sorted(ids.values())
    assert pulled[ids[(a, "Z-11-1")]] == {
        "id": int(ids[(a, "Z-11-1")]), "item_id": _item_id(shared_ledger, a),
        "bin_code": "Z-11-1", "sort_order": 2,
    }  # fmt: skip
    assert "shelf_bins" in page["checksums"]
    assert _pulled_bins(elsewhere.pull_all(cursor)[0]) == {}
    snapshot = here.snapshot("shelf_bins")
    assert snapshot["columns"] == ["id", "item_id", "bin_code", "sort_order"]
    assert sorted(str(r[0]) for r in snapshot["rows"]) == sorted(ids.values())


def _item_id(ledger: RunningLedger, sku: str) -> int:
    return int(ledger.sql("SELECT id FROM items WHERE sku = :s", {"s": sku})[0][0])


def test_a_file_replaces_the_bins_of_each_location_it_names_and_removals_are_pulled(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _store(shared_ledger, "BLR-08")
    here = DeviceClient(shared_ledger, "BLR-08")
    a, b, c = tiny_skus(shared_ledger)[30:33]
    first = [f"BLR-08,{a},A-01-1,1", f"BLR-08,{a},Z-11-1,2", f"BLR-08,{b},A-01-2,1",
             f"BLR-08,{c},A-01-3,1"]  # fmt: skip
    run_import(shared_ledger, capsys, "bins", write_csv(tmp_path / "one.csv", HEADER, first))
    before = _ids(shared_ledger, "BLR-08")
    elsewhere = _bins(shared_ledger, "BLR-01")
    cursor = here.head()
    second = [f"BLR-08,{a},A-01-1,1", f"BLR-08,{b},B-02-1,1", f"BLR-08,{c},C-01-1,1",
              f"BLR-08,{c},A-01-3,2"]  # fmt: skip

    status, out, _ = run_import(
        shared_ledger, capsys, "bins", write_csv(tmp_path / "two.csv", HEADER, second)
    )

    assert status == 0 and "2 added, 1 changed, 1 unchanged" in out
    assert "2 bin(s) the file leaves out removed" in out
    assert sorted(_bins(shared_ledger, "BLR-08")) == sorted(
        [(a, "A-01-1", 1), (b, "B-02-1", 1), (c, "C-01-1", 1), (c, "A-01-3", 2)]
    )
    assert _bins(shared_ledger, "BLR-01") == elsewhere and elsewhere  # not in the file: kept
    after = _ids(shared_ledger, "BLR-08")
    pulled = _pulled_bins(here.pull_all(cursor)[0])
    assert pulled[before[(a, "Z-11-1")]] is None and pulled[before[(b, "A-01-2")]] is None
    assert pulled[after[(c, "A-01-3")]]["sort_order"] == 2
    assert pulled[after[(b, "B-02-1")]]["bin_code"] == "B-02-1"
    assert pulled[after[(c, "C-01-1")]]["item_id"] == _item_id(shared_ledger, c)
    assert before[(a, "A-01-1")] not in pulled  # unchanged: nothing sent


def test_one_items_bins_by_the_admin_api_in_rank_order(shared_ledger: RunningLedger) -> None:
    _store(shared_ledger, "BLR-06")
    sku = tiny_skus(shared_ledger)[40]
    here = DeviceClient(shared_ledger, "BLR-06")
    cursor = here.head()

    two = admin(shared_ledger, "PUT", f"/bins/blr-06/{sku}", json=["a-01-1", "Z-11-1"])
    swapped = admin(shared_ledger, "PUT", f"/bins/BLR-06/{sku}", json=["Z-11-1"])
    assert two.status_code == 200, two.text
    assert two.json() == {"location": "BLR-06", "sku": sku, "bins": ["A-01-1", "Z-11-1"],
                          "added": 2, "changed": 0, "removed": 0}  # fmt: skip
    assert (swapped.json()["changed"], swapped.json()["removed"]) == (1, 1)
    assert _bins(shared_ledger, "BLR-06") == [(sku, "Z-11-1", 1)]
    gone = admin(shared_ledger, "PUT", f"/bins/BLR-06/{sku}", json=[])
    assert gone.json()["removed"] == 1 and _bins(shared_ledger, "BLR-06") == []
    changes = [c for c in here.pull_all(cursor)[0] if c["scope"] == "shelf_bins"]
    z = [c["data"] and (c["data"]["bin_code"], c["data"]["sort_order"]) for c in changes]
    assert z == [("A-01-1", 1), ("Z-11-1", 2), None, ("Z-11-1", 1), None]

    unknown = admin(shared_ledger, "PUT", "/bins/BLR-06/NO-SUCH-SKU", json=["A-01-1"])
    bad = admin(shared_ledger, "PUT", f"/bins/BLR-06/{sku}", json=["A_1"])
    twice = admin(shared_ledger, "PUT", f"/bins/BLR-06/{sku}", json=["A-01-1", "a-01-1"])
    nowhere = admin(shared_ledger, "PUT", f"/bins/BLR-99/{sku}", json=[])
    not_a_list = admin(shared_ledger, "PUT", f"/bins/BLR-06/{sku}", json={"bins": ["A-01-1"]})
    assert unknown.status_code == 422
    assert unknown.json()["message"] == "There is no item NO-SUCH-SKU."
    assert bad.status_code == 422 and bad.json()["message"] == "bin: 'A_1' is not a bin code."
    assert twice.status_code == 422 and "A-01-1 is in the list twice" in twice.json()["message"]
    assert nowhere.status_code == 422 and "There is no location BLR-99" in nowhere.json()["message"]
    assert not_a_list.status_code == 422 and _bins(shared_ledger, "BLR-06") == []


def test_the_seed_gives_each_location_that_ships_a_planogram_once(
    shared_ledger: RunningLedger,
) -> None:
    stocked = {
        str(s)
        for (s,) in shared_ledger.sql(
            "SELECT DISTINCT i.sku FROM stock_balances b JOIN items i ON i.id = b.item_id "
            "JOIN locations l ON l.id = b.location_id WHERE l.code = 'MUM-01'"
        )
    }
    bins = _bins(shared_ledger, "MUM-01")
    homes = {sku for sku, _, order in bins if order == 1}
    overflow = [code for _, code, order in bins if order == 2]

    assert homes == stocked and len(stocked) == 50
    assert overflow and all(code.startswith("Z-") for code in overflow)
    before = len(shared_ledger.sql("SELECT id FROM shelf_bins"))
    shared_ledger.seed("tiny")
    assert len(shared_ledger.sql("SELECT id FROM shelf_bins")) == before
