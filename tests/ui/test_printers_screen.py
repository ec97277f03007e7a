"""Printers (F5): the profile per label kind from printers.json, a lead's choice kept in
the file, a refused unfit choice, associates who may only look, and a test print."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.labels import LabelKind
from app.errors import RuleRefused
from app.labels.profiles import Transport
from app.services.printing import PrintService, station_printing
from app.services.station import Station
from app.ui.models import PrinterModel
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.printer_destination import TRANSPORTS
from app.ui.screens.printers import PrintersScreen
from tests.labels.listener import PrinterListener, host_status
from tests.ui.conftest import Shell, focused, log_in, open_shell, tcp_printing

WAIT_MS = 10_000
KINDS = [str(kind) for kind in LabelKind]


def _printers_screen(qtbot: QtBot, shell: Shell) -> PrintersScreen:
    qtbot.keyClick(shell.window, Qt.Key.Key_F5)
    screen = shell.window.current_screen()
    assert isinstance(screen, PrintersScreen)
    qtbot.waitUntil(lambda: screen.printers.rowCount() == len(KINDS), timeout=WAIT_MS)
    return screen


def _choose_row(screen: PrintersScreen, kind: LabelKind) -> None:
    screen.printers_view.selectRow(KINDS.index(str(kind)))
    row = screen.chosen_kind()
    assert row is not None and row.kind is kind


def _pick(screen: PrintersScreen, profile: str) -> None:
    index = screen.profile_box.findText(f"{profile}  ·", Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, profile
    screen.profile_box.setCurrentIndex(index)
    picked = screen.picked_profile()
    assert picked is not None
    assert picked.name == profile


def test_f5_lists_profiles_and_a_lead_changes_one(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        labels = [b.text() for b in shell.window.nav.buttons()]
        assert labels == [
            "F1  Stock lookup", "F2  Exceptions", "F3  Pickup", "F4  Ship queue", "F5  Printers",
            "F6  Pack", "F10  Batch pick", "F11  Hand over", "Ctrl+F7  Returns",
        ]  # fmt: skip
        screen = _printers_screen(qtbot, shell)
        shown = {
            screen.printers.index(r, 0).data(): screen.printers.index(r, 1).data()
            for r in range(screen.printers.rowCount())
        }
        assert shown["Shelf"] == "counter-shelf"  # from printers.json
        assert shown["Shipping"] == "zebra-4x6-203"  # the built-in default
        assert screen.leads_only.isHidden()

        _choose_row(screen, LabelKind.SHELF)
        picked = screen.picked_profile()
        assert picked is not None
        assert picked.name == "counter-shelf"
        assert not screen.use_button.isEnabled()  # nothing to change yet
        _pick(screen, "shelf-50x30-300")
        assert screen.use_button.isEnabled()
        screen.use_button.click()
        qtbot.waitUntil(lambda: screen.message.tone() == "ok", timeout=WAIT_MS)
        assert "Shelf labels now print on shelf-50x30-300" in screen.message.text()
        qtbot.waitUntil(
            lambda: screen.printers.index(KINDS.index("shelf"), 1).data() == "shelf-50x30-300"
        )
        saved = json.loads((station.data_dir / "printers.json").read_text(encoding="utf-8"))
        assert saved["by_kind"]["shelf"] == "shelf-50x30-300"
        assert saved["profiles"][0]["name"] == "counter-shelf"  # the rest is kept
        assert printing.preview(LabelKind.SHELF, printing.shelf_label(1)).dpi == 300

        _choose_row(screen, LabelKind.BIN)
        _pick(screen, "shelf-50x30-203")
        screen.use_button.click()
        qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=WAIT_MS)
        assert "cannot print a bin label" in screen.message.text()
        assert printing.profile_for(LabelKind.BIN).name == "zebra-4x2-203"


def test_test_print_goes_to_the_picked_profile(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)  # an associate may test, not change
        screen = _printers_screen(qtbot, shell)
        assert not screen.leads_only.isHidden()
        _choose_row(screen, LabelKind.SHELF)
        _pick(screen, "shelf-50x30-300")
        assert not screen.use_button.isEnabled()
        _pick(screen, "counter-shelf")
        screen.test_button.click()
        qtbot.waitUntil(lambda: screen.message.tone() == "ok", timeout=WAIT_MS)
        said = f"Test shelf label: Printed on counter-shelf (tcp://{printer.target})."
        assert said in screen.message.text()
        (job,) = printer.wait_for_jobs(1)
        assert b"^XA\n^CI28" in job and b"^BE" in job
    (record,) = printing.history("TEST-counter-shelf")
    assert (record.status, record.staff_code) == ("printed", "A100")


def test_only_leads_may_choose(station: Station, printer: PrinterListener) -> None:
    printing: PrintService = tcp_printing(station, printer.target)
    associate = station.auth.login_pin("A100", "1111")
    with pytest.raises(RuleRefused, match="Only a lead"):
        printing.choose_profile(associate, LabelKind.SHELF, "shelf-50x30-300")
    assert printing.profile_for(LabelKind.SHELF).name == "counter-shelf"


def test_exceptions_refresh_moved_off_f5(qtbot: QtBot, shell: Shell) -> None:
    log_in(qtbot, shell)
    qtbot.keyClick(shell.window, Qt.Key.Key_F2)
    screen = shell.window.current_screen()
    assert isinstance(screen, ExceptionsScreen)
    assert "Ctrl+R" in screen.refresh_button.text()
    labels = [b.text() for b in shell.window.nav.buttons()]
    # no Printers without printing set up
    assert labels == [
        "F1  Stock lookup", "F2  Exceptions", "F3  Pickup", "F4  Ship queue", "F6  Pack",
        "F10  Batch pick", "F11  Hand over", "Ctrl+F7  Returns",
    ]  # fmt: skip


def test_printer_model(
    qtmodeltester: ModelTester, station: Station, printer: PrinterListener
) -> None:
    model = PrinterModel()
    model.set_rows(tcp_printing(station, printer.target).printers())
    qtmodeltester.check(model, force_py=True)
    assert model.index(KINDS.index("shelf"), 5).data() == f"Network: {printer.target}"


def test_space_on_test_print_keeps_focus_on_the_printers_screen(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)
        screen = _printers_screen(qtbot, shell)
        _choose_row(screen, LabelKind.SHELF)
        screen.test_button.setFocus()
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
        qtbot.waitUntil(lambda: screen.message.tone() == "ok", timeout=WAIT_MS)
        assert screen.test_button.hasFocus()  # not "Log out"
        qtbot.keyClick(focused(), Qt.Key.Key_Space)  # the next Space prints again
        qtbot.waitUntil(lambda: len(printer.wait_for_jobs(2, timeout_s=0)) == 2, timeout=WAIT_MS)
        assert shell.window.staff() is not None and shell.window.current_screen() is screen


def _set_destination(screen: PrintersScreen, transport: Transport, target: str) -> None:
    panel = screen.destination
    panel.transport_box.setCurrentIndex([t for t, _ in TRANSPORTS].index(transport))
    panel.target_box.setEditText(target)


def test_a_lead_points_a_profile_at_a_network_printer_and_checks_it(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    empty = PrinterListener(answer=host_status(paper_out=True, head_open=True))
    try:
        with open_shell(qtbot, station, printing=printing) as shell:
            log_in(qtbot, shell, "L200", "2222")
            screen = _printers_screen(qtbot, shell)
            _choose_row(screen, LabelKind.RETURN)
            panel = screen.destination
            assert panel.title.text() == "zebra-4x2-203 sends to"
            assert panel.transport() is Transport.FILE and panel.save_button.isEnabled()

            _set_destination(screen, Transport.TCP, "10.0.0.41:abc")
            panel.save_button.click()
            qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=WAIT_MS)
            assert "not a number" in screen.message.text()

            _set_destination(screen, Transport.TCP, empty.target)
            panel.save_button.setFocus()
            qtbot.keyClick(focused(), Qt.Key.Key_Space)
            qtbot.waitUntil(lambda: screen.message.tone() == "ok", timeout=WAIT_MS)
            assert f"zebra-4x2-203 now sends to {empty.target}" in screen.message.text()
            row = KINDS.index("return")
            qtbot.waitUntil(
                lambda: screen.printers.index(row, 5).data() == f"Network: {empty.target}"
            )
            assert panel.save_button.hasFocus()

            panel.status_button.click()
            qtbot.waitUntil(lambda: screen.message.tone() == "warn", timeout=WAIT_MS)
            assert "Reports: paper out, head open." in screen.message.text()
            assert empty.status_asked == 1  # asked, nothing printed:
            assert empty.wait_for_jobs(1) == [b""]
    finally:
        empty.close()
    saved = json.loads((station.data_dir / "printers.json").read_text(encoding="utf-8"))
    assert {"name": "zebra-4x2-203", "base": "zebra-4x2-203", "transport": "tcp"}.items() <= (
        saved["profiles"][-1].items()
    )
    assert printing.profile_for(LabelKind.RETURN).target == empty.target
    reopened = station_printing(station.data_dir, station.db)  # kept across a restart
    assert reopened.profile_for(LabelKind.RETURN).transport is Transport.TCP


def test_a_ready_printer_says_ready(
    qtbot: QtBot, station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)  # an associate may check, not change
        screen = _printers_screen(qtbot, shell)
        _choose_row(screen, LabelKind.SHELF)
        panel = screen.destination
        assert not panel.save_button.isEnabled() and not panel.transport_box.isEnabled()
        assert panel.status_button.isEnabled()
        panel.status_button.click()
        qtbot.waitUntil(lambda: screen.message.tone() == "ok", timeout=WAIT_MS)
        assert screen.message.text() == f"counter-shelf (tcp://{printer.target}): Ready."


def test_cups_queues_come_from_the_system(qtbot: QtBot, station: Station) -> None:
    printing = station_printing(station.data_dir, station.db)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        screen = _printers_screen(qtbot, shell)
        _choose_row(screen, LabelKind.SHIPPING)
        _set_destination(screen, Transport.CUPS, "")
        if shutil.which("lpstat") is None:  # this machine: no CUPS, said plainly
            qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=WAIT_MS)
            assert "CUPS is not installed on this station" in screen.message.text()
            assert "network printer (host:port) or the system printer" in screen.message.text()
            screen.message.clear_message()
            screen.destination.save_button.click()  # nothing to send to: refused, not kept
            qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=WAIT_MS)
            assert "CUPS is not installed" in screen.message.text()
            assert not (station.data_dir / "printers.json").exists()
        else:
            # The system's own list, asked apart from the code under test.
            listed = subprocess.run(["lpstat", "-e"], capture_output=True, text=True)
            queues = listed.stdout.split()
            panel = screen.destination
            qtbot.waitUntil(
                lambda: (
                    [panel.target_box.itemText(i) for i in range(panel.target_box.count())]
                    == queues
                ),
                timeout=WAIT_MS,
            )


def test_only_leads_may_change_where_a_printer_sends(
    station: Station, printer: PrinterListener
) -> None:
    printing = tcp_printing(station, printer.target)
    associate = station.auth.login_pin("A100", "1111")
    with pytest.raises(RuleRefused, match="Only a lead"):
        printing.send_to(associate, "counter-shelf", Transport.FILE, "")
    assert printing.profile_for(LabelKind.SHELF).transport is Transport.TCP


def test_a_misshapen_printers_json_is_said_plainly(qtbot: QtBot, station: Station) -> None:
    (station.data_dir / "printers.json").write_text('[{"name": "x"}]', encoding="utf-8")
    printing = station_printing(station.data_dir, station.db)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)
        screen = _printers_screen(qtbot, shell)
        qtbot.waitUntil(lambda: screen.message.tone() == "error", timeout=WAIT_MS)
        said = screen.message.text()
        assert "This station's printer settings are not used" in said
        assert "holds a list, not an object" in said and "saved as files" in said
        assert "Traceback" not in said
