"""Hand over (F11) driven by keys and wedge scans only: Alt+2 chooses the SWIFT driver;
each label scanned is a ship.handover in the outbox (offline: nothing waits); a parcel
scanned twice, another carrier's parcel, a void label and an order above the e-way bill
threshold without its number are refused with a double beep and the words the packer
sees; the e-way bill scanned into its field sends the parcel with it; the parcels not
scanned are listed and the driver leaves only on a second Ctrl+Enter; Ctrl+P sends the
manifest through the print service (no A4 printer set up here: saved as a PDF in its
spool), whose barcodes decode to every SWIFT parcel's SSCC and tracking number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSize, Qt

from app.services.station import Station
from app.storage.engine import raw_connection
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.scan_out import ScanOutScreen
from tests.labels.support import decode, pdf_pages
from tests.support.scan_out_rows import SSCC, packed_orders
from tests.ui.conftest import Shell, focused, log_in, scan
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
BILL = "123456789012"


def _handovers(station: Station) -> list[dict[str, Any]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT payload FROM outbox WHERE type = 'ship.handover' ORDER BY device_seq"
        )
        return [json.loads(p) for (p,) in rows]


def _scan(qtbot: QtBot, shell: Shell, screen: ScanOutScreen, code: str) -> str:
    """A wedge scan of ``code``; the message the packer sees after it, marked "refused: "
    when the bench double-beeped and showed it as an error."""
    screen.message.clear_message()
    shell.window.feedback.last = ""
    scan(qtbot, shell, code)
    qtbot.waitUntil(lambda: screen.message.text() != "" and shell.window.feedback.last != "")
    refused = shell.window.feedback.last == ScanFeedback.FAILED
    assert refused == (screen.message.tone() == "error")
    return ("refused: " if refused else "") + screen.message.text()


def test_a_swift_driver_collects_parcels_scanned_by_keys_and_wedge(
    qtbot: QtBot, shell: Shell, station: Station
) -> None:
    packed_orders(station)
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F11)
    screen = shell.window.current_screen()
    assert isinstance(screen, ScanOutScreen)
    qtbot.waitUntil(lambda: "Alt+2 SWIFT: 4 waiting, 0 out" in screen.carriers.text())
    assert "Alt+1 LOCAL: 1 waiting" in screen.carriers.text()

    qtbot.keyClick(focused(), Qt.Key.Key_2, ALT)
    qtbot.waitUntil(
        lambda: screen.carrier == "SWIFT" and "4 SWIFT parcels" in screen.warning.text()
    )
    assert (
        screen.next_line.text() == "Scan each SWIFT parcel's shipping label as the driver takes it."
    )

    said = _scan(qtbot, shell, screen, f"00{SSCC[0]}")  # the label's GS1-128 as read
    assert said == f"Parcel {SSCC[0]} (WEB-SO1) handed to SWIFT."
    assert [(h["sscc"], h["carrier"], h["eway_bill"]) for h in _handovers(station)] == [
        (SSCC[0], "SWIFT", "")
    ]

    said = _scan(qtbot, shell, screen, f"00{SSCC[0]}")
    assert said.startswith(f"refused: Parcel {SSCC[0]} was already handed to SWIFT at ")
    said = _scan(qtbot, shell, screen, f"00{SSCC[2]}")
    assert said.startswith(
        "refused: This is a LOCAL parcel, not SWIFT: keep it for the LOCAL rider."
    )
    said = _scan(qtbot, shell, screen, f"00{SSCC[4]}")
    assert said.startswith(f"refused: Parcel {SSCC[4]} has a void label: it does not go out.")
    said = _scan(qtbot, shell, screen, "00123")
    assert said.startswith("refused: '00123' is not a parcel packed at this bench.")
    said = _scan(qtbot, shell, screen, f"00{SSCC[3]}")
    assert said.startswith(
        "refused: Order WEB-SO3 is worth ₹60,000.00: it cannot leave without an e-way bill."
    )
    assert "Scan or type the e-way bill number (12 digits)" in said
    assert len(_handovers(station)) == 1
    qtbot.waitUntil(screen.eway.hasFocus)

    said = _scan(qtbot, shell, screen, BILL)
    assert said == f"Parcel {SSCC[3]} (WEB-SO3) handed to SWIFT with e-way bill {BILL}."
    assert _handovers(station)[-1]["eway_bill"] == BILL
    qtbot.waitUntil(lambda: screen.warning.text().startswith("2 SWIFT parcels not scanned: "))
    assert SSCC[1] in screen.warning.text() and SSCC[5] in screen.warning.text()

    qtbot.keyClick(focused(), Qt.Key.Key_P, CTRL)  # no A4 printer set up: saved as a PDF
    qtbot.waitUntil(lambda: "manifest (1 page) was saved as a PDF: " in screen.message.text())
    said = screen.message.text()
    assert said.startswith("No A4 printer is set up at this bench, so the SWIFT manifest")
    assert "the driver signs it" in said
    path = Path(said.split("saved as a PDF: ")[1].split(".pdf")[0] + ".pdf")
    assert path.parent == station.data_dir / "printed"  # the print service's spool
    read = {text for page in pdf_pages(path.read_bytes(), 200) for _, text, _ in decode(page)}
    swift = (SSCC[0], SSCC[1], SSCC[3], SSCC[5])
    assert read == {c for s in swift for c in (f"00{s}", f"T{s[-6:]}")}  # SSCC, tracking

    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert screen.message.text().startswith("2 SWIFT parcels not scanned: ")
    assert "Press Ctrl+Enter again to let the driver go without them" in screen.message.text()
    assert screen.carrier == "SWIFT"
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert screen.message.text() == "SWIFT driver has left."
    assert screen.carrier == ""
    qtbot.waitUntil(lambda: "Alt+2 SWIFT: 2 waiting, 2 out" in screen.carriers.text())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_hand_over_fits_the_window_with_its_longest_lists(
    qtbot: QtBot, shell: Shell, station: Station, size: QSize
) -> None:
    packed_orders(station)
    opened(qtbot, shell, size)
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F11)
    screen = shell.window.current_screen()
    assert isinstance(screen, ScanOutScreen)
    qtbot.waitUntil(lambda: "Alt+2 SWIFT" in screen.carriers.text())
    qtbot.keyClick(focused(), Qt.Key.Key_2, ALT)
    qtbot.waitUntil(lambda: screen.warning.text().startswith("4 SWIFT parcels not scanned"))
    _scan(qtbot, shell, screen, f"00{SSCC[0]}")
    fullest(shell.window)
    assert misfits(shell.window, size) == []
