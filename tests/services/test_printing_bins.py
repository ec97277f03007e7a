"""Hold-shelf bin labels: the store's bins from the station cache, printed many in one job
through the file transport, read back by a barcode decoder, and every label recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.domain.labels import LabelKind
from app.errors import BadInput, NotFound, PrintFailed, RuleRefused
from app.services.printing import PrintService, station_printing
from app.services.station import Station, build_station
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import Scope
from tests.labels.support import decode, pdf_pages, zpl_pages
from tests.storage.seed import LOCATIONS

BINS = [f"H-{n:02d}" for n in range(1, 13)]


def give_bins(station: Station, bins: list[str]) -> None:
    """The store's location row as the ledger syncs it, with its hold-shelf bins."""
    i, code, name, city, lat, lon = LOCATIONS[0]
    row: dict[str, Any] = {
        "id": i,
        "code": code,
        "name": name,
        "kind": "store",
        "city": city,
        "latitude": lat,
        "longitude": lon,
        "timezone": "Asia/Kolkata",
        "capabilities": ["bopis", "returns"],
        "pickup_hold_days": 5,
        "bins": bins,
    }
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.LOCATIONS, str(i), row)])


def bin_printer(station: Station, target: Path, **fields: Any) -> PrintService:
    """The station's print service with bin labels written as files into ``target``."""
    profile = {"name": "hold-shelf", "base": "zebra-4x2-203", "target": str(target), **fields}
    setup = {"profiles": [profile], "by_kind": {"bin": "hold-shelf"}}
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)


def printed_codes(folder: Path, printing: PrintService) -> list[list[str]]:
    """Each file in ``folder`` (one per job): the bin codes its pages read as, in order."""
    profile = printing.profile_for(LabelKind.BIN)
    jobs = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".zpl":
            pages = zpl_pages(path.read_bytes(), profile)
        else:
            pages = pdf_pages(path.read_bytes(), profile.dpi)
        jobs.append([text for page in pages for _fmt, text, _ident in decode(page)])
    return jobs


@pytest.fixture
def bins_ready(station: Station) -> Station:
    give_bins(station, BINS)
    return station


def test_bin_labels_are_the_stores_bins_for_the_bin_printer(
    bins_ready: Station, tmp_path: Path
) -> None:
    printing = bin_printer(bins_ready, tmp_path / "out")
    store = printing.bin_labels()
    assert (store.store_code, store.store_name) == ("BLR-01", "Bengaluru Indiranagar")
    assert [b.bin_code for b in store.labels] == BINS
    assert store.labels[0].caption == "Pickup hold shelf · BLR-01"
    assert store.printer.kind is LabelKind.BIN and store.printer.profile.name == "hold-shelf"


def test_a_lead_prints_chosen_bins_in_one_job_that_decodes_to_them(
    bins_ready: Station, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    printing = bin_printer(bins_ready, out)
    lead = bins_ready.auth.login_pin("L200", "2222")
    done = printing.print_bin_labels(lead, ["h-07 ", "H-03"])  # as typed: any case, spaces
    assert done.bins == ("H-03", "H-07")  # in the store's order
    assert (done.profile, done.format, done.reprinted) == ("hold-shelf", "zpl", ())
    assert printed_codes(out, printing) == [["H-03", "H-07"]]  # one job, one label each
    for code in ("H-03", "H-07"):
        (job,) = printing.history(code)
        assert (job.kind, job.status, job.reprint, job.staff_code) == (
            "bin",
            "saved",
            False,
            "L200",
        )
    assert printing.history("H-01") == []

    again = printing.print_bin_labels(lead, ["H-07", "H-08"])
    assert again.reprinted == ("H-07",)
    assert [j.reprint for j in printing.history("H-07")] == [False, True]
    shown = printing.preview(LabelKind.BIN, printing.bin_labels().labels[6])
    assert (shown.printed_before, shown.saved_before) == (0, 2)  # files, never printed


def test_all_bins_print_as_pdf_pages_on_a_pdf_profile(bins_ready: Station, tmp_path: Path) -> None:
    out = tmp_path / "pdf"
    printing = bin_printer(bins_ready, out, base="zebra-4x2-300", language="pdf")
    manager = bins_ready.auth.login_pin("M300", "3333")
    done = printing.print_bin_labels(manager, BINS)
    assert done.format == "pdf" and done.where.endswith(".pdf")
    assert printed_codes(out, printing) == [BINS]


def test_an_associate_may_not_print_bin_labels(bins_ready: Station, tmp_path: Path) -> None:
    out = tmp_path / "out"
    printing = bin_printer(bins_ready, out)
    associate = bins_ready.auth.login_pin("A100", "1111")
    with pytest.raises(RuleRefused, match="Only a lead or a manager") as refused:
        printing.print_bin_labels(associate, ["H-01"])
    assert "Ask a lead" in refused.value.next_step
    assert not out.exists() and printing.history("H-01") == []


def test_unknown_or_no_bins_are_refused_before_printing(
    bins_ready: Station, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    printing = bin_printer(bins_ready, out)
    lead = bins_ready.auth.login_pin("L200", "2222")
    with pytest.raises(NotFound, match="H-99: not a hold-shelf bin of BLR-01"):
        printing.print_bin_labels(lead, ["H-01", "H-99"])
    with pytest.raises(BadInput, match="No bin is chosen"):
        printing.print_bin_labels(lead, [])
    assert not out.exists() and printing.history("H-01") == []


def test_a_failed_job_is_recorded_for_every_label_and_retry_prints(
    bins_ready: Station, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the label folder should be", encoding="utf-8")
    printing = bin_printer(bins_ready, blocked / "bins")
    lead = bins_ready.auth.login_pin("L200", "2222")
    with pytest.raises(PrintFailed, match="could not be written") as failed:
        printing.print_bin_labels(lead, ["H-01", "H-02"])
    assert failed.value.next_step
    for code in ("H-01", "H-02"):
        (job,) = printing.history(code)
        assert job.status == "failed" and job.error

    blocked.unlink()
    done = printing.print_bin_labels(lead, ["H-01", "H-02"])
    assert done.reprinted == ()  # the failed attempt printed nothing
    assert printed_codes(blocked / "bins", printing) == [["H-01", "H-02"]]


def test_a_store_without_bins_has_no_labels(station: Station, tmp_path: Path) -> None:
    printing = bin_printer(station, tmp_path / "out")
    assert printing.bin_labels().labels == ()


def test_without_a_station_cache_there_are_no_bins(tmp_path: Path) -> None:
    printing = station_printing(tmp_path, None)
    with pytest.raises(NotFound, match="no store cache"):
        printing.bin_labels()


def test_a_station_not_enrolled_says_so(tmp_path: Path) -> None:
    fresh = build_station(tmp_path / "fresh")
    try:
        with pytest.raises(NotFound, match="not enrolled at a store") as missing:
            station_printing(fresh.data_dir, fresh.db).bin_labels()
        assert "Enrol the station" in missing.value.next_step
    finally:
        fresh.close()
