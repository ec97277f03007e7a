"""Items master data: the CSV import (every bad row by line, nothing imported unless told
to skip), the admin API, and the catalog changes stations pull."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ledger.conftest import DeviceClient
from tests.ledger.master_support import (
    ITEM_HEADER,
    admin,
    catalog_changes,
    gtin,
    item_line,
    run_import,
    write_csv,
)
from tests.support.ledger import RunningLedger


def _count(ledger: RunningLedger, prefix: str) -> int:
    return int(
        ledger.sql("SELECT count(*) FROM items WHERE sku LIKE :p", {"p": prefix + "%"})[0][0]
    )


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seeded_gtin = shared_ledger.sql("SELECT gtin FROM items ORDER BY id LIMIT 1")[0][0]
    path = write_csv(
        tmp_path / "items.csv",
        ITEM_HEADER,
        [
            item_line("BAD-1", 1),
            item_line("BAD-2", 2, price="abc"),
            item_line("BAD-3", 3, gtin=seeded_gtin),  # another item's GTIN on the ledger
            item_line("BAD-4", 1),  # the same GTIN as line 2
            item_line("BAD-5", 5, gst_rate="17"),
        ],
    )

    status, _, err = run_import(shared_ledger, capsys, "items", path)

    assert status == 1 and _count(shared_ledger, "BAD-") == 0
    lines = [line for line in err.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in lines] == ["line 3", "line 4", "line 5", "line 6"]
    assert "price: 'abc' is not a price" in lines[0]
    assert (
        f"belongs to {shared_ledger.sql('SELECT sku FROM items ORDER BY id LIMIT 1')[0][0]}"
        in lines[1]
    )
    assert "also BAD-1's, on line 2" in lines[2] and "not a GST rate" in lines[3]
    assert "Nothing imported: 4 bad row(s)" in err and "--skip-bad-rows" in err

    status, out, err = run_import(shared_ledger, capsys, "items", path, "--skip-bad-rows")

    assert status == 0 and "1 added" in out and "4 bad row(s) skipped" in out
    assert _count(shared_ledger, "BAD-") == 1


def test_imported_items_and_a_price_change_reach_a_station(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    cursor = station.head()
    lines = [item_line(f"IMP-{n}", 100 + n) for n in range(3)]
    path = write_csv(tmp_path / "items.csv", ITEM_HEADER, lines)

    assert run_import(shared_ledger, capsys, "items", path)[1].startswith("Imported items: 3 added")
    changes, _ = station.pull_all(cursor)
    (row,) = catalog_changes(changes, "IMP-1")
    assert row["gtin"] == gtin(101) and row["price_minor"] == 49900
    assert (row["hsn_code"], row["gst_rate_bp"], row["return_category"]) == (
        "61091000",
        500,
        "apparel",
    )
    assert (row["length_mm"], row["width_mm"], row["height_mm"]) == (300, 200, 30)
    assert row["returnable"] == 1
    page = station.snapshot("catalog", after=row["id"] - 1, limit=1)
    assert dict(zip(page["columns"], page["rows"][0], strict=True)) == row  # as a snapshot

    again = run_import(shared_ledger, capsys, "items", path)[1]
    assert "0 added, 0 changed, 3 unchanged" in again
    cursor = station.head()
    lines[1] = item_line("IMP-1", 101, price="549.00", final_sale="yes")
    write_csv(path, ITEM_HEADER, lines)
    out = run_import(shared_ledger, capsys, "items", path)[1]
    assert "1 changed, 2 unchanged" in out and "1 price change(s)" in out
    changes, _ = station.pull_all(cursor)
    assert [c["key"] for c in changes if c["scope"] == "catalog"] == [str(row["id"])]
    (changed,) = catalog_changes(changes, "IMP-1")
    assert changed["price_minor"] == 54900 and changed["returnable"] == 0


def test_the_admin_api_adds_an_item_and_refuses_misspelt_fields(
    shared_ledger: RunningLedger,
) -> None:
    body = {
        "gtin": gtin(300), "name": "Linen Shirt", "price_minor": 129900, "category": "Apparel",
        "hsn_code": "6205", "gst_rate": 12, "weight_g": 300, "final_sale": True,
    }  # fmt: skip

    misspelt = admin(shared_ledger, "PUT", "/items/API-1", json={**body, "prise_minor": 1})
    no_token = admin(shared_ledger, "PUT", "/items/API-1", json=body, headers={"Authorization": ""})
    wrong_check = gtin(300)[:-1] + str((int(gtin(300)[-1]) + 1) % 10)
    bad_gtin = admin(shared_ledger, "PUT", "/items/API-1", json={**body, "gtin": wrong_check})
    saved = admin(shared_ledger, "PUT", "/items/api-1", json=body)

    assert misspelt.status_code == 422 and "prise_minor" in misspelt.text
    assert no_token.status_code == 401
    assert bad_gtin.status_code == 422 and "wrong check digit" in bad_gtin.json()["message"]
    assert saved.status_code == 200, saved.text
    got = admin(shared_ledger, "GET", "/items/API-1").json()
    assert got["sku"] == "API-1" and got["gst_rate_bp"] == 1200 and got["final_sale"] is True
    assert admin(shared_ledger, "GET", "/items/NOPE-1").status_code == 404


def test_the_api_import_reports_bad_rows_by_line(shared_ledger: RunningLedger) -> None:
    text = "\n".join([ITEM_HEADER, item_line("WEB-1", 400), item_line("WEB-2", 401, hsn_code="12")])
    csv_headers = {"Content-Type": "text/csv"}

    refused = admin(shared_ledger, "POST", "/import/items", data=text, headers=csv_headers)
    skipped = admin(
        shared_ledger, "POST", "/import/items?skip_bad_rows=true", data=text, headers=csv_headers
    )

    assert refused.status_code == 422
    (problem,) = refused.json()["problems"]
    assert problem["line"] == 3 and "hsn_code" in problem["message"]
    assert skipped.status_code == 200 and skipped.json()["added"] == 1
    assert skipped.json()["skipped"] == 1


def test_odd_text_in_admin_bodies_and_paths_is_refused_never_a_500(
    shared_ledger: RunningLedger,
) -> None:
    body = {"gtin": gtin(500), "name": "Kurta", "price_minor": 100, "category": "Apparel",
            "hsn_code": "6109", "gst_rate": 5}  # fmt: skip
    surrogate = '{"gtin": "' + gtin(500) + '", "name": "Kurta \\udcff", "price_minor": 1, '
    surrogate += '"category": "A", "hsn_code": "6109", "gst_rate": 5}'
    as_json = {"Content-Type": "application/json"}
    as_csv = {"Content-Type": "text/csv"}
    arabic_digits = "\u0661\u0662\u0663\u0664"
    answers = [
        admin(shared_ledger, "PUT", "/items/ODD-1", json={**body, "name": "Kur\u0000ta"}),
        admin(shared_ledger, "PUT", "/items/ODD-1", json={**body, "hsn_code": arabic_digits}),
        admin(shared_ledger, "PUT", "/items/ODD-1", data=surrogate, headers=as_json),
        admin(shared_ledger, "GET", "/items/NO%20SUCH"),
        admin(shared_ledger, "POST", "/staff/A100/pin", json={"pin": "5829", "by": "M\u0000300"}),
        admin(shared_ledger, "POST", "/import/items?by=%00", data="sku\n", headers=as_csv),
    ]
    assert [a.status_code for a in answers] == [422] * len(answers), [a.text for a in answers]
