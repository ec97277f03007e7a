"""PrintService: prints through the station's profile, records prints, reprints and failures."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.labels import LabelKind
from app.errors import NotFound, PrintFailed
from app.labels.profiles import Transport, default_setup
from app.labels.samples import SHIPPING
from app.services.printing import PrintService
from app.storage.engine import Database
from tests.labels.listener import PrinterListener, refused_port
from tests.labels.support import decode, pdf_pages


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "station.sqlite3")
    yield database
    database.dispose()


def _service(
    db: Database, tmp_path: Path, target: str, status_timeout_s: float = 3.0
) -> PrintService:
    setup = default_setup()
    profile = dataclasses.replace(
        setup.profiles["zebra-4x6-203"],
        name="bench-zebra",
        transport=Transport.TCP,
        target=target,
        timeout_s=2,
        status_timeout_s=status_timeout_s,
    )
    setup.profiles[profile.name] = profile
    setup.by_kind[LabelKind.SHIPPING] = profile.name
    return PrintService(db=db, setup=setup, spool_dir=tmp_path / "printed")


def test_print_then_reprint_are_recorded(db: Database, tmp_path: Path) -> None:
    printer = PrinterListener()
    try:
        service = _service(db, tmp_path, printer.target)
        first = service.print_label(LabelKind.SHIPPING, SHIPPING, staff_code="A100")
        second = service.print_label(LabelKind.SHIPPING, SHIPPING, staff_code="A100")
        jobs = printer.wait_for_jobs(2)
    finally:
        printer.close()
    assert len(jobs) == 2 and jobs[0] == jobs[1] and b"^XA\n^CI28" in jobs[0]
    assert (first.reprint, second.reprint) == (False, True)
    history = service.history(SHIPPING.sscc)
    assert [(j.status, j.reprint, j.staff_code) for j in history] == [
        ("printed", False, "A100"),
        ("printed", True, "A100"),
    ]
    assert service.preview(LabelKind.SHIPPING, SHIPPING).printed_before == 2


def test_offline_printer_fails_plainly_and_is_recorded(db: Database, tmp_path: Path) -> None:
    service = _service(db, tmp_path, f"127.0.0.1:{refused_port()}")
    with pytest.raises(PrintFailed, match="refused the connection"):
        service.print_label(LabelKind.SHIPPING, SHIPPING)
    (job,) = service.history(SHIPPING.sscc)
    assert job.status == "failed" and "refused" in job.error
    saved = service.save_pdf(LabelKind.SHIPPING, SHIPPING, tmp_path / "label.pdf")
    texts = {t for _, t, _ in decode(pdf_pages(saved.read_bytes(), 203)[0])}
    assert "00106141412345678908" in texts


def test_preview_is_at_the_printer_dpi(db: Database, tmp_path: Path) -> None:
    service = _service(db, tmp_path, "127.0.0.1:9")
    preview = service.preview(LabelKind.SHIPPING, SHIPPING)
    assert (preview.dpi, preview.profile, preview.printed_before) == (203, "bench-zebra", 0)
    assert preview.pages_png[0].startswith(b"\x89PNG")


def test_test_print_is_sent_and_recorded(db: Database, tmp_path: Path) -> None:
    printer = PrinterListener()
    try:
        service = _service(db, tmp_path, printer.target)
        outcome = service.test_print("bench-zebra", staff_code="L200")
        (job,) = printer.wait_for_jobs(1)
    finally:
        printer.close()
    assert outcome.kind is LabelKind.SHIPPING and outcome.where == f"tcp://{printer.target}"
    assert b"^XA\n^CI28" in job
    (record,) = service.history("TEST-bench-zebra")
    assert (record.profile, record.status, record.staff_code) == ("bench-zebra", "printed", "L200")


def test_without_a_station_cache_nothing_is_recorded(tmp_path: Path) -> None:
    service = PrintService(db=None, setup=default_setup(), spool_dir=tmp_path / "printed")
    outcome = service.print_label(LabelKind.SHIPPING, SHIPPING, profile="zebra-4x6-300")
    assert outcome.record_id == 0 and outcome.profile == "zebra-4x6-300"
    (spooled,) = (tmp_path / "printed").iterdir()
    assert b"^XA\n^CI28" in spooled.read_bytes()
    assert service.history(SHIPPING.sscc) == []
    with pytest.raises(NotFound):
        service.shelf_label(1)


def test_only_confirmed_prints_count_as_printed_before(db: Database, tmp_path: Path) -> None:
    silent = PrinterListener(answer=None)  # reads the label, never answers ~HS
    try:
        service = _service(db, tmp_path, silent.target, status_timeout_s=0.2)
        outcome = service.print_label(LabelKind.SHIPPING, SHIPPING)
    finally:
        silent.close()
    assert not outcome.printed
    preview = service.preview(LabelKind.SHIPPING, SHIPPING)
    assert (preview.printed_before, preview.sent_before) == (0, 1)
    assert preview.history_note == (
        "Sent once before, not confirmed; printing it again counts as a reprint."
    )
    printer = PrinterListener()
    try:
        _service(db, tmp_path, printer.target).print_label(LabelKind.SHIPPING, SHIPPING)
    finally:
        printer.close()
    preview = service.preview(LabelKind.SHIPPING, SHIPPING)
    assert (preview.printed_before, preview.sent_before) == (1, 1)
    assert preview.history_note.startswith("Printed once before; sent once before, not confirmed")
