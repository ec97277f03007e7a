"""The pickup tag on the Pickup screen: F8 previews and prints it; Mark ready prints it
by itself, and a print that fails says so and how to print it again; a station with no
tag printer says the tag went to a file; F8 pressed while the tag prints previews it
once printed (a reprint, never a second first print)."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import LabelKind
from app.services.printing import PrintService, station_printing
from app.services.station import Station
from app.ui.screens.pickup import PickupScreen
from tests.labels.listener import PrinterListener
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, log_in, open_shell, type_keys
from tests.ui.pickup_support import catalog_items, items, place, state

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState


def _tag_printing(station: Station, target: str) -> PrintService:
    """The station's print service with pickup tags going to ``target`` (raw TCP 9100)."""
    setup = {
        "profiles": [
            {"name": "hold-shelf", "base": "zebra-4x3-203", "transport": "tcp", "target": target}
        ],
        "by_kind": {str(LabelKind.PICKUP_TAG): "hold-shelf"},
    }
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)


def test_f8_prints_the_pickup_tag_of_a_staged_order(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger, printer: PrinterListener
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 36)
    fid = place(ui_ledger, "WEB-UI-305", [(a, 1)])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, a_gtin)
    printing = _tag_printing(shell.station, printer.target)
    # The main window builds its Pickup screen without printing (screens/__init__.py),
    # so this screen is built here the same way with the station's print service.
    screen = PickupScreen(
        pickup=shell.station.pickup,
        receiving=shell.station.receiving,
        runner=shell.runner,
        staff=lambda: staff,
        printing=printing,
    )
    qtbot.addWidget(screen)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow)
    screen.activate()
    qtbot.waitUntil(screen.search.hasFocus)
    type_keys(qtbot, "WEB-UI-305")
    qtbot.waitUntil(lambda: state(screen) is S.PICKED)
    assert screen.detail.tag_button.isVisible() and not screen.detail.tag_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_F8)  # not staged yet: no tag
    qtbot.waitUntil(lambda: "Open a staged order first" in screen.message.text())
    assert screen.label_dialog is None

    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    type_keys(qtbot, "H-05")  # the bin typed by hand
    qtbot.waitUntil(lambda: state(screen) is S.STAGED)
    assert screen.detail.tag_button.isEnabled()
    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.label_dialog is not None)
    dialog = screen.label_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.print_button.isEnabled, timeout=10_000)
    assert "WEB-UI-305" in dialog.title.text()
    with qtbot.waitSignal(dialog.printed, timeout=10_000):
        qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    (job,) = printer.wait_for_jobs(1)
    assert job.startswith(b"^XA") and b"WEB-UI-305" in job and b"H-05" in job
    assert b"Asha Kumar" in job


def test_a_tag_that_does_not_print_says_so_and_how_to_print_it_again(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    ((a, a_gtin, _),) = catalog_items(ui_ledger, 38)
    placed = place(ui_ledger, "WEB-UI-312", [(a, 1)])
    station.sync.sync_once()  # pulls the order; nothing to push (a copied station)
    staff = station.auth.login_pin("A100", "1111")
    fid = placed["fulfilment_orders"][0]["id"]
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    station.pickup.stage(staff, fid, "H-12")
    gone = PrinterListener()
    gone.close()  # the tag printer is off: its port refuses the connection
    printing = _tag_printing(station, gone.target)

    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)
        qtbot.keyClick(focused(), Qt.Key.Key_F3)
        screen = shell.window.current_screen()
        assert isinstance(screen, PickupScreen)
        qtbot.waitUntil(screen.search.hasFocus)
        type_keys(qtbot, "WEB-UI-312")
        qtbot.waitUntil(lambda: state(screen) is S.STAGED)
        qtbot.waitUntil(screen.detail.step_field.hasFocus)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
        qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=10_000)

        said = screen.message.text()
        assert said.startswith("WEB-UI-312 is ready for pickup, but its tag did not print:")
        assert "refused the connection" in said
        assert said.endswith("press F8 to print it again.")
        assert state(screen) is S.READY_FOR_PICKUP and screen.label_dialog is None
    jobs = printing.history("WEB-UI-312")
    assert [(j.reprint, j.status) for j in jobs] == [(False, "failed")]


def _staged_at_the_counter(
    station: Station, ledger: RunningLedger, number: str, bin_code: str
) -> None:
    """An order of one unit placed, synced, picked and staged on ``bin_code`` by the
    station's pickup service."""
    ((a, a_gtin, _),) = catalog_items(ledger, 49)
    fid = place(ledger, number, [(a, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()  # pulls the order; nothing to push (a copied station)
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    station.pickup.stage(staff, fid, bin_code)


def _open_order(qtbot: QtBot, shell: Shell, number: str) -> PickupScreen:
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = shell.window.current_screen()
    assert isinstance(screen, PickupScreen)
    qtbot.waitUntil(screen.search.hasFocus)
    type_keys(qtbot, number)
    qtbot.waitUntil(lambda: state(screen) is S.STAGED)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    return screen


def test_without_a_tag_printer_the_tag_is_saved_as_a_file_and_said_so(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    _staged_at_the_counter(station, ui_ledger, "WEB-UI-313", "H-15")
    assert not (station.data_dir / "printers.json").exists()
    printing = station_printing(station.data_dir, station.db)  # tags go to a file profile

    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)
        screen = _open_order(qtbot, shell, "WEB-UI-313")
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready: the tag "prints" by itself
        qtbot.waitUntil(lambda: "No tag printer" in screen.message.text(), timeout=10_000)

        said = screen.message.text()
        assert said.endswith(
            "No tag printer is set up, so the tag was saved as a file: choose a printer on "
            "Printers (F5)."
        )
        assert "Pickup tag printed" not in said and "put it on the order" not in said
        assert screen.message.tone() == "warn"
    assert [(j.reprint, j.status) for j in printing.history("WEB-UI-313")] == [(False, "saved")]


def test_f8_while_the_tag_prints_opens_its_preview_once_printed(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger, printer: PrinterListener
) -> None:
    _staged_at_the_counter(station, ui_ledger, "WEB-UI-314", "H-16")
    printing = _tag_printing(station, printer.target)
    printer_busy = threading.Event()  # set: the printing worker may go on

    with open_shell(qtbot, station, printing=printing) as shell:
        try:
            log_in(qtbot, shell)
            screen = _open_order(qtbot, shell, "WEB-UI-314")
            shell.runner.run_net(printer_busy.wait, 30)  # the printing worker is held ...
            qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
            qtbot.waitUntil(lambda: "Printing the pickup tag" in screen.message.text())
            qtbot.keyClick(focused(), Qt.Key.Key_F8)  # ... while F8 asks for the tag

            def answered() -> bool:
                dialog = screen.label_dialog
                shown = dialog is not None and dialog.print_button.isEnabled()
                return shown or "still printing" in screen.message.text()

            qtbot.waitUntil(answered)
        finally:
            printer_busy.set()
        qtbot.waitUntil(lambda: screen.label_dialog is not None, timeout=10_000)
        dialog = screen.label_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.print_button.isEnabled, timeout=10_000)
        assert "Printed once before; printing it again counts as a reprint." in (
            dialog.message.text()
        )
        assert "Pickup tag printed on hold-shelf: put it on the order on bin H-16." in (
            screen.message.text()
        )
        with qtbot.waitSignal(dialog.printed, timeout=10_000):
            qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
    jobs = printing.history("WEB-UI-314")
    assert [(j.reprint, j.status) for j in jobs] == [(False, "printed"), (True, "printed")]
    assert len(printer.wait_for_jobs(2)) == 2
