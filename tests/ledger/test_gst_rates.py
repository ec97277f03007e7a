"""GST rates as master data: the demo seed holds the apparel band, a file imports rows by
HSN prefix and date (every bad line named, nothing imported unless told to skip), the
admin API takes the same file, and the table read back prices an invoice line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.domain.tax.rates import GstRate, rate_row
from app.ledger.master_data.gst_rates import gst_rate_table
from tests.ledger.master_support import admin, run_import, write_csv
from tests.support.ledger import RunningLedger

HEADER = "hsn_prefix,rate,effective_from,band_limit,rate_above"
GST_2_0 = date(2025, 9, 22)


def _table(ledger: RunningLedger) -> tuple[GstRate, ...]:
    with ledger.engine.connect() as conn:
        return gst_rate_table(conn)


def test_the_demo_ledger_holds_the_apparel_and_footwear_band(
    shared_ledger: RunningLedger,
) -> None:
    table = _table(shared_ledger)
    for chapter in ("61", "62", "64"):
        row = rate_row(table, f"{chapter}091000", on=date(2026, 12, 6))
        assert row == GstRate(chapter, 500, GST_2_0, band_limit_minor=2_500_00, rate_above_bp=1800)


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    before = _table(shared_ledger)
    path = write_csv(
        tmp_path / "rates.csv",
        HEADER,
        [
            "8518,18,2025-09-22,,",
            "33,12,2025-09-22,,",
            "9503,7,2025-09-22,,",
            "9503,5,22-09-2025,,",
            "61,5,2025-09-22,2500,",
        ],
    )

    status, _, err = run_import(shared_ledger, capsys, "gst_rates", path)

    assert status == 1 and _table(shared_ledger) == before
    lines = [line for line in err.splitlines() if line.startswith("line ")]
    assert [line.split(":")[0] for line in lines] == ["line 4", "line 5", "line 6"]
    assert "rate: '7' is not a GST rate" in lines[0]
    assert "effective_from: '22-09-2025' is not a date" in lines[1]
    assert "HSN 61: a price band needs both its limit and the rate above it" in lines[2]

    status, out, _ = run_import(shared_ledger, capsys, "gst_rates", path, "--skip-bad-rows")

    assert status == 0 and "2 added" in out and "3 bad row(s) skipped" in out
    table = _table(shared_ledger)
    assert GstRate("8518", 1800, GST_2_0) in table and GstRate("33", 1200, GST_2_0) in table


def test_a_row_is_changed_by_its_prefix_and_date_and_older_rows_stay(
    shared_ledger: RunningLedger, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "rates.csv",
        HEADER,
        ["6203,5,2025-09-22,2500.00,18", "6203,5,2017-07-01,1000.00,12"],
    )

    status, out, _ = run_import(shared_ledger, capsys, "gst_rates", path)
    again, out_again, _ = run_import(shared_ledger, capsys, "gst_rates", path)

    changed = write_csv(tmp_path / "changed.csv", HEADER, ["6203,5,2025-09-22,3000.00,18"])
    status_changed, out_changed, _ = run_import(shared_ledger, capsys, "gst_rates", changed)

    assert (status, again, status_changed) == (0, 0, 0)
    assert "2 added" in out and "0 added, 0 changed, 2 unchanged" in out_again
    assert "0 added, 1 changed" in out_changed
    table = _table(shared_ledger)
    now = rate_row(table, "62034200", on=date(2026, 12, 6))
    then = rate_row(table, "62034200", on=date(2020, 1, 1))
    assert now is not None and now.band_limit_minor == 3_000_00
    assert then is not None and then.rate_on(1_200_00, 1) == 1200


def test_the_admin_api_imports_a_rates_file_and_lists_bad_rows(
    shared_ledger: RunningLedger,
) -> None:
    body = f"{HEADER}\n7323,5,2025-09-22,,\n85,7,2025-09-22,,\n"
    headers = {"Content-Type": "text/csv"}

    refused = admin(shared_ledger, "POST", "/import/gst_rates", data=body, headers=headers)
    done = admin(
        shared_ledger, "POST", "/import/gst_rates?skip_bad_rows=true", data=body, headers=headers
    )

    assert refused.status_code == 422
    assert [p["line"] for p in refused.json()["problems"]] == [3]
    assert done.status_code == 200 and done.json()["added"] == 1
    assert GstRate("7323", 500, GST_2_0) in _table(shared_ledger)
