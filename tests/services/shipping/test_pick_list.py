"""The batch pick list goes through the station's print service: to the A4 printer the
packing slips print on (a raw TCP printer on loopback here, whose job is read back with
pdfium and zxing-cpp), saved as a PDF with words that say where and how to set a printer
up when none is, recorded as a print job, and refused plainly when the printer is off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.errors import NotFound, PrintFailed, RuleRefused
from app.labels.profiles import BUILT_IN
from app.services.printing import station_printing
from app.services.shipping.pick import BatchPicking
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.labels.listener import PrinterListener, refused_port
from tests.labels.support import decode, pdf_pages
from tests.services.conftest import Clock
from tests.storage.seed import T0
from tests.support.ship_rows import ship_row, store_pulled

M = timedelta(minutes=1)


@pytest.fixture
def staff(station: Station) -> Any:
    return station.auth.session_for("A100")


@pytest.fixture
def printer() -> Iterator[PrinterListener]:
    listener = PrinterListener()
    yield listener
    listener.close()


def _line(fid: int) -> dict[str, Any]:
    return {"sku": f"SKU-{fid:04d}", "item_id": fid, "name": f"Item {fid}", "quantity": fid,
            "price_minor": 10000}  # fmt: skip


def _three_orders(station: Station) -> None:
    rows = [
        ship_row(fid, f"WEB-{fid}", ship_by=T0 + fid * M, created_at=T0 - M, lines=[_line(fid)])
        for fid in (1, 2, 4)
    ]
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _with_printers(station: Station, clock: Clock, setup: dict[str, Any]) -> BatchPicking:
    """The station's batch pick with its print service read from ``setup`` (printers.json)."""
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    printing = station_printing(station.data_dir, station.db)
    return BatchPicking(
        db=station.db, clock=clock, out_dir=station.data_dir / "pick-lists", printing=printing
    )


def _a4_on(target: str) -> dict[str, Any]:
    profile = {"name": "bench-a4", "base": "a4-laser", "transport": "tcp", "target": target}
    return {"profiles": [profile], "by_kind": {"packing-slip": "bench-a4"}}


def test_with_no_a4_printer_set_up_the_list_is_saved_and_the_words_say_where_and_how(
    station: Station, staff: Any
) -> None:
    _three_orders(station)
    with pytest.raises(NotFound, match="No batch pick is open"):
        station.batch_pick.print_pick_list(staff)
    view = station.batch_pick.start(staff, count=3)
    said = station.batch_pick.print_pick_list(staff)
    path = station.data_dir / "printed" / f"pick-list-{view.batch_id}.pdf"
    assert said == (
        f"No A4 printer is set up at this bench, so pick list {view.batch_id} (1 page) was "
        f"saved as a PDF: {path}. Print that file from a computer, or ask a lead to set up "
        "the A4 printer: Printers (F5), the Packing slip row, then where a4-laser sends "
        "(a network printer's address or a print queue)."
    )
    assert path.read_bytes()[:5] == b"%PDF-"
    station.batch_pick.print_pick_list(staff)
    assert station.printing is not None
    jobs = [(j.kind, j.status, j.reprint) for j in station.printing.history(view.batch_id)]
    assert jobs == [("pick-list", "saved", False), ("pick-list", "saved", True)]
    with pytest.raises(RuleRefused, match="open at this bench"):
        station.batch_pick.start(staff)


def test_the_list_prints_on_the_packing_slip_printer_and_its_tote_barcodes_read_back(
    station: Station, staff: Any, clock: Clock, printer: PrinterListener
) -> None:
    _three_orders(station)
    picking = _with_printers(station, clock, _a4_on(printer.target))
    view = picking.start(staff, count=3)
    said = picking.print_pick_list(staff)
    assert said.startswith(
        f"Pick list {view.batch_id} (1 page): Sent to bench-a4 (tcp://{printer.target}), "
        "not confirmed"
    )
    (job,) = printer.wait_for_jobs(1)
    assert job[:5] == b"%PDF-"
    (page,) = pdf_pages(job, BUILT_IN["a4-laser"].dpi)
    read = {text for _, text, _ in decode(page)}
    assert read == {t.code for t in view.totes} and len(read) == 3
    assert not (station.data_dir / "printed").exists()  # nothing saved instead


def test_a_printer_that_is_off_is_said_plainly_and_the_failed_job_recorded(
    station: Station, staff: Any, clock: Clock
) -> None:
    _three_orders(station)
    target = f"127.0.0.1:{refused_port()}"
    picking = _with_printers(station, clock, _a4_on(target))
    view = picking.start(staff, count=3)
    with pytest.raises(PrintFailed, match=f"The printer at {target} refused the connection"):
        picking.print_pick_list(staff)
    printing = station_printing(station.data_dir, station.db)
    assert [(j.kind, j.status) for j in printing.history(view.batch_id)] == [
        ("pick-list", "failed")
    ]


def test_a_label_printer_for_packing_slips_is_no_a4_printer(
    station: Station, staff: Any, clock: Clock, printer: PrinterListener
) -> None:
    _three_orders(station)
    label = {"name": "bench-4x6", "base": "pdf-4x6-203", "transport": "tcp",
             "target": printer.target}  # fmt: skip
    setup = {"profiles": [label], "by_kind": {"packing-slip": "bench-4x6"}}
    picking = _with_printers(station, clock, setup)
    view = picking.start(staff, count=3)
    said = picking.print_pick_list(staff)
    assert said.startswith("No A4 printer is set up at this bench")
    assert (station.data_dir / "printed" / f"pick-list-{view.batch_id}.pdf").exists()
    assert printer.jobs == []


def test_with_printing_off_the_list_is_saved_where_the_words_say(
    station: Station, staff: Any, clock: Clock, tmp_path: Path
) -> None:
    _three_orders(station)
    picking = BatchPicking(db=station.db, clock=clock, out_dir=tmp_path / "lists", printing=None)
    view = picking.start(staff, count=3)
    said = picking.print_pick_list(staff)
    path = tmp_path / "lists" / f"pick-list-{view.batch_id}.pdf"
    assert said.startswith("Printing is off at this station") and f": {path}." in said
    assert path.read_bytes()[:5] == b"%PDF-"
