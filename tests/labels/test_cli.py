"""``counterbench label``: render, print, profiles, test-print, through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from app.cli import main
from tests.labels.listener import PrinterListener, refused_port
from tests.labels.support import decode, pdf_pages
from tests.labels.test_validation import SHIPPING_JSON


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "station"
    monkeypatch.setenv("COUNTERBENCH_DATA_DIR", str(root))
    return root


def _write_setup(root: Path, target: str) -> None:
    root.mkdir(parents=True, exist_ok=True)
    setup = {
        "profiles": [
            {
                "name": "bench-zebra",
                "base": "zebra-4x6-203",
                "transport": "tcp",
                "target": target,
                "timeout_s": 2,
            }
        ],
        "by_kind": {"shipping": "bench-zebra"},
    }
    (root / "printers.json").write_text(json.dumps(setup), encoding="utf-8")


def test_render_pdf_zpl_png(data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "ship.json"
    data.write_text(json.dumps(SHIPPING_JSON), encoding="utf-8")
    for fmt in ("pdf", "zpl", "png"):
        out = tmp_path / f"label.{fmt}"
        args = [
            "label",
            "render",
            "shipping",
            "--data",
            str(data),
            "--profile",
            "zebra-4x6-300",
            "--format",
            fmt,
            "-o",
            str(out),
        ]
        assert main(args) == 0
        assert out.stat().st_size > 0
    texts = {t for _, t, _ in decode(pdf_pages((tmp_path / "label.pdf").read_bytes(), 300)[0])}
    assert texts == {"DLV123456789", "00106141412345678908"}
    assert (tmp_path / "label.zpl").read_bytes().startswith(b"~DYR:NOTODEVA,B,T,")
    with Image.open(tmp_path / "label.png") as image:
        assert image.size == (1200, 1800)


def test_print_goes_to_the_station_printer(data_dir: Path, tmp_path: Path) -> None:
    printer = PrinterListener()
    try:
        _write_setup(data_dir, printer.target)
        assert main(["label", "print", "shipping", "--sample"]) == 0
        (job,) = printer.wait_for_jobs(1)
        assert b"^XA\n^CI28" in job and b"^BCN" in job
    finally:
        printer.close()


def test_print_to_an_offline_printer_fails_plainly(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_setup(data_dir, f"127.0.0.1:{refused_port()}")
    assert main(["label", "print", "shipping", "--sample"]) == 2
    err = capsys.readouterr().err
    assert "refused the connection" in err and "save the label as PDF" in err


def test_bad_data_is_refused_not_printed(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "ship.json"
    data.write_text(json.dumps({**SHIPPING_JSON, "sscc": "(00)106141412345678908"}), "utf-8")
    assert main(["label", "print", "shipping", "--data", str(data)]) == 2
    assert "parentheses" in capsys.readouterr().err
    assert not (data_dir / "printed").exists()


def test_profiles_and_test_print(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["label", "profiles"]) == 0
    listing = capsys.readouterr().out
    assert "zebra-4x6-203" in listing and "[shipping]" in listing
    assert main(["label", "test-print", "shelf-50x30-300"]) == 0
    (spooled,) = (data_dir / "printed").iterdir()
    assert spooled.suffix == ".zpl" and b"^BEN" in spooled.read_bytes()


def test_print_and_reprint_are_recorded_at_a_station(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.config import StationPaths
    from app.labels.samples import SHELF
    from app.storage import print_jobs
    from app.storage.engine import Database

    root = tmp_path / "counter"
    Database(StationPaths(root).cache_db).dispose()  # a station's cache, as enrolment makes it
    printer = PrinterListener()
    try:
        _write_setup(root, printer.target)
        args = ["label", "print", "shipping", "--sample", "--data-dir", str(root)]
        assert main(args) == 0
        assert main(args) == 0
        assert main(["label", "print", "shelf", "--sample", "--data-dir", str(root)]) == 0
        jobs = printer.wait_for_jobs(2)
    finally:
        printer.close()
    out = capsys.readouterr().out
    assert "shipping label, zpl: Printed on bench-zebra (tcp://" in out
    assert "shipping label (a reprint), zpl: Printed on bench-zebra (tcp://" in out
    db = Database(StationPaths(root).cache_db)
    try:
        shipped = print_jobs.prints_for(db, "106141412345678908")
        shelf = print_jobs.prints_for(db, SHELF.gtin)
    finally:
        db.dispose()
    assert len(jobs) == 2 and jobs[0] == jobs[1]
    assert [(j.profile, j.status, j.reprint) for j in shipped] == [
        ("bench-zebra", "printed", False),
        ("bench-zebra", "printed", True),
    ]
    assert [(j.kind, j.format, j.status) for j in shelf] == [("shelf", "zpl", "saved")]


def test_print_without_a_station_records_nothing(data_dir: Path) -> None:
    assert main(["label", "print", "shelf", "--sample"]) == 0
    (spooled,) = (data_dir / "printed").iterdir()
    assert b"^BEN" in spooled.read_bytes()
    assert not (data_dir / "station.sqlite3").exists()
