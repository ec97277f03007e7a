"""Printers (F5): the profile per label kind from printers.json, a lead's choice kept in
the file, a refused unfit choice, associates who may only look, and a test print."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.domain.labels import LabelKind
from app.errors import RuleRefused
from app.services.printing import PrintService
from app.services.station import Station
from app.ui.models import PrinterModel
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.printers import PrintersScreen
from tests.labels.listener import PrinterListener
from tests.ui.conftest import Shell, log_in, open_shell, tcp_printing

WAIT_MS = 10_000
KINDS = [str(kind) for kind in LabelKind]


@pytest.fixture
def printer() -> Iterator[PrinterListener]:
    listener = PrinterListener()
    yield listener
    listener.close()


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
        assert labels == ["F1  Stock lookup", "F2  Exceptions", "F3  Pickup", "F5  Printers"]
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
        assert job.startswith(b"^XA") and b"^BE" in job
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
    assert labels == ["F1  Stock lookup", "F2  Exceptions", "F3  Pickup"]  # no Printers


def test_printer_model(
    qtmodeltester: ModelTester, station: Station, printer: PrinterListener
) -> None:
    model = PrinterModel()
    model.set_rows(tcp_printing(station, printer.target).printers())
    qtmodeltester.check(model, force_py=True)
    assert model.index(KINDS.index("shelf"), 5).data() == f"Network: {printer.target}"
