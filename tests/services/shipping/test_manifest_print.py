"""The carrier's manifest goes through the station's print service: to the A4 printer
the packing slips print on (a raw TCP printer on loopback here, whose job is read back
with pdfium and zxing-cpp), saved as a PDF in its spool with words that say where when
none is set up, recorded as a print job either way, and saved where the words say when
printing is off at the station."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import PrintFailed
from app.labels.profiles import BUILT_IN
from app.services.printing import station_printing
from app.services.results import StaffSession
from app.services.shipping.scan_out import ScanOutBench
from app.services.station import Station
from tests.labels.listener import PrinterListener, refused_port
from tests.labels.support import decode, pdf_pages, pdf_texts
from tests.services.conftest import Clock
from tests.storage.seed import T0
from tests.support.scan_out_rows import SSCC, packed_orders

STAFF = StaffSession(1, "A100", "Asha Rao", "associate", T0)
# its live parcels: our SSCC and the carrier's tracking number of each
SWIFT = {c for s in (SSCC[0], SSCC[1], SSCC[3], SSCC[5]) for c in (f"00{s}", f"T{s[-6:]}")}


@pytest.fixture
def printer() -> Iterator[PrinterListener]:
    listener = PrinterListener()
    yield listener
    listener.close()


def _bench(station: Station, clock: Clock, target: str) -> ScanOutBench:
    """Scan-out with the print service read from a printers.json whose packing-slip
    printer is an A4 printer at ``target``."""
    profile = {"name": "bench-a4", "base": "a4-laser", "transport": "tcp", "target": target}
    setup = {"profiles": [profile], "by_kind": {"packing-slip": "bench-a4"}}
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    printing = station_printing(station.data_dir, station.db)
    return ScanOutBench(
        db=station.db, clock=clock, out_dir=station.data_dir / "m", printing=printing
    )


def _read(pdf: bytes) -> set[str]:
    return {
        text for page in pdf_pages(pdf, BUILT_IN["a4-laser"].dpi) for _, text, _ in decode(page)
    }


def test_the_manifest_prints_on_the_a4_printer_and_its_barcodes_read_back(
    station: Station, clock: Clock, printer: PrinterListener
) -> None:
    packed_orders(station)
    said = _bench(station, clock, printer.target).manifest("swift", STAFF)

    assert said.startswith(f"SWIFT manifest (1 page): Sent to bench-a4 (tcp://{printer.target})")
    assert said.endswith("Hand it to the driver: the driver signs it.")
    (job,) = printer.wait_for_jobs(1)
    assert _read(job) == SWIFT
    assert not (station.data_dir / "printed").exists()  # nothing saved instead


def test_with_no_a4_printer_set_up_it_is_saved_and_recorded_as_a_job(station: Station) -> None:
    packed_orders(station)

    said = station.scan_out.manifest("SWIFT", STAFF)
    again = station.scan_out.manifest("SWIFT", STAFF)  # the same minute: a reprint

    (path,) = (station.data_dir / "printed").glob("manifest-SWIFT-*.pdf")
    assert (
        said
        == again
        == (
            f"No A4 printer is set up at this bench, so the SWIFT manifest (1 page) was saved "
            f"as a PDF: {path}. Print that file from a computer (the driver signs it), or ask a "
            "lead to set up the A4 printer: Printers (F5), the Packing slip row, then where "
            "a4-laser sends (a network printer's address or a print queue)."
        )
    )
    assert _read(path.read_bytes()) == SWIFT
    assert station.printing is not None
    reference = path.stem.removeprefix("manifest-")
    jobs = [(j.kind, j.status, j.reprint) for j in station.printing.history(reference)]
    assert jobs == [("manifest", "saved", False), ("manifest", "saved", True)]


def test_a_printer_that_is_off_is_said_plainly_and_the_failed_job_recorded(
    station: Station, clock: Clock
) -> None:
    packed_orders(station)
    target = f"127.0.0.1:{refused_port()}"
    with pytest.raises(PrintFailed, match=f"The printer at {target} refused the connection"):
        _bench(station, clock, target).manifest("SWIFT", STAFF)
    printing = station_printing(station.data_dir, station.db)
    reference = f"SWIFT-{clock.now.astimezone():%Y%m%d-%H%M}"
    assert [(j.kind, j.status) for j in printing.history(reference)] == [("manifest", "failed")]


def test_with_printing_off_it_is_saved_where_the_words_say(
    station: Station, clock: Clock, tmp_path: Path
) -> None:
    packed_orders(station)
    bench = ScanOutBench(db=station.db, clock=clock, out_dir=tmp_path / "m", printing=None)

    said = bench.manifest("SWIFT", STAFF)

    (path,) = (tmp_path / "m").glob("manifest-SWIFT-*.pdf")
    assert said == (
        "Printing is off at this station (its printer settings cannot be used), so the SWIFT "
        f"manifest was saved as a PDF: {path}. Print that file from a computer (the driver "
        "signs it), and ask IT to fix printers.json in the station's folder."
    )
    assert _read(path.read_bytes()) == SWIFT


def test_the_manifest_names_the_carrier_its_parcels_came_with(station: Station) -> None:
    packed_orders(station, carrier_name="Swift Express")

    station.scan_out.manifest("SWIFT", STAFF)

    (path,) = (station.data_dir / "printed").glob("manifest-SWIFT-*.pdf")
    (page,) = pdf_texts(path.read_bytes())
    assert "Manifest · Swift Express (SWIFT)" in page
    assert "Swift Express (SWIFT) manifest · page 1 of 1" in page
