"""Printers (F5) → Hold-shelf bin labels (F8): a lead chooses bins by scan, by typed code
and with Space in the list, sees the first label, prints them (F9) or all of them as one
job; the printed file decodes to the bins chosen. An associate sees why not; a failed
print says so in plain words and Retry prints. Keys only, as a person at the counter."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from sqlalchemy import text

from app.services.printing import PrintService, station_printing
from app.services.station import Station
from app.ui.screens.bin_label_models import BinModel
from app.ui.screens.bin_labels import BinLabelsPanel
from app.ui.screens.printers import PrintersScreen
from tests.services.test_printing_bins import printed_codes
from tests.ui.conftest import Shell, focused, log_in, open_shell, scan, type_keys

WAIT_MS = 10_000
STORE_BINS = [f"H-{n:02d}" for n in range(1, 25)]  # the tiny seed's bins at BLR-01


def bin_printing(station: Station, target: Path) -> PrintService:
    """The station's print service with bin labels written as files into ``target``."""
    profile = {"name": "hold-shelf", "base": "zebra-4x2-203", "target": str(target)}
    setup = {"profiles": [profile], "by_kind": {"bin": "hold-shelf"}}
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)


def open_bin_labels(qtbot: Any, shell: Shell) -> BinLabelsPanel:
    """F5, then F8: the bin labels with the store's bins loaded and the first previewed."""
    qtbot.keyClick(focused(), Qt.Key.Key_F5)
    screen = shell.window.current_screen()
    assert isinstance(screen, PrintersScreen)
    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    panel = screen.bin_labels
    assert screen.tabs.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.bins.rowCount() == len(STORE_BINS), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not panel.preview.pixmap().isNull(), timeout=WAIT_MS)
    assert panel.code_field.hasFocus()
    return panel


def chosen(panel: BinLabelsPanel) -> list[str]:
    return [b.bin_code for b in panel.bins.chosen()]


def tab_to(qtbot: Any, widget: Any) -> None:
    """Press Tab until ``widget`` has the keyboard (a bounded number of times)."""
    for _ in range(12):
        if focused() is widget:
            return
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is widget, f"Tab never reached {widget}"


def test_a_lead_chooses_bins_by_keys_and_prints_them_in_one_job(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    out = tmp_path / "bins"
    printing = bin_printing(station, out)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        panel = open_bin_labels(qtbot, shell)
        assert "24 bins on the hold shelf at BLR-01" in panel.heading.text()
        assert "hold-shelf" in panel.info.text()
        assert panel.preview_title.text() == "Preview: H-01, the first of all 24"
        assert panel.leads_only.isHidden()
        assert panel.print_all_button.text() == "Print all 24"
        assert not panel.print_chosen_button.isEnabled()

        type_keys(qtbot, "h-07")  # typed by hand into the bin code field, then Enter
        assert chosen(panel) == ["H-07"] and panel.code_field.text() == ""
        scan(qtbot, shell, "H-03")  # a scanned bin label
        assert chosen(panel) == ["H-03", "H-07"]
        assert "H-03 chosen. 2 bins chosen: press F9" in panel.message.text()
        tab_to(qtbot, panel.bins_view)
        qtbot.keyClick(focused(), Qt.Key.Key_Right)  # from H-03, the one last chosen
        qtbot.keyClick(focused(), Qt.Key.Key_Space)
        assert chosen(panel) == ["H-03", "H-04", "H-07"]
        assert panel.print_chosen_button.text() == "Print 3 chosen (F9)"
        qtbot.waitUntil(
            lambda: "H-03" in panel.preview_details.text(), timeout=WAIT_MS
        )  # the first chosen label, drawn for its printer
        assert panel.preview_title.text() == "Preview: H-03, the first of 3 chosen"
        assert "not printed here yet" in panel.preview_details.text()

        with qtbot.waitSignal(panel.printed, timeout=WAIT_MS):
            qtbot.keyClick(focused(), Qt.Key.Key_F9)
        assert panel.message.tone() == "warn"  # a file profile: saved, never "printed"
        assert "3 bin labels: Saved to a file, not printed" in panel.message.text()
        assert panel.code_field.hasFocus()  # ready for the next scan
        qtbot.waitUntil(lambda: "saved to a file once" in panel.preview_details.text())
    assert printed_codes(out, printing) == [["H-03", "H-04", "H-07"]]
    assert [(j.status, j.staff_code) for j in printing.history("H-04")] == [("saved", "L200")]


def test_print_all_by_tab_and_space_marks_reprints(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    out = tmp_path / "bins"
    printing = bin_printing(station, out)
    lead = station.auth.login_pin("L200", "2222")
    printing.print_bin_labels(lead, ["H-24"])
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        panel = open_bin_labels(qtbot, shell)
        tab_to(qtbot, panel.print_all_button)
        with qtbot.waitSignal(panel.printed, timeout=WAIT_MS):
            qtbot.keyClick(focused(), Qt.Key.Key_Space)
        assert "24 bin labels: Saved to a file, not printed" in panel.message.text()
        assert "1 bin made before: recorded as reprints" in panel.message.text()
    assert sorted(printed_codes(out, printing), key=len) == [["H-24"], STORE_BINS]  # two jobs
    assert [j.reprint for j in printing.history("H-24")] == [False, True]


def test_an_associate_sees_the_bins_and_why_they_cannot_print(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    out = tmp_path / "bins"
    printing = bin_printing(station, out)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell)  # A100, an associate
        panel = open_bin_labels(qtbot, shell)
        assert not panel.leads_only.isHidden()
        assert "Only a lead or a manager" in panel.leads_only.text()
        type_keys(qtbot, "H-02")
        assert chosen(panel) == ["H-02"]  # may choose and look
        assert panel.message.text() == "H-02 chosen. 1 bin chosen."  # no "press F9"
        assert not panel.print_chosen_button.isEnabled()
        assert not panel.print_all_button.isEnabled()
        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        # refused at once (before any "Printing…"), nothing sent to the printer
        assert panel.message.tone() == "error" and "Printing" not in panel.message.text()
        assert "Only a lead or a manager can print hold-shelf bin labels." in (panel.message.text())
        assert "Ask a lead to log in" in panel.message.text()
        assert panel.retry_button.isHidden()  # retrying cannot help
    assert not out.exists() and printing.history("H-02") == []


def test_a_bin_gone_from_the_store_is_refused_without_retry(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    """Head office took a bin away after the list was shown: printing names the bin, and
    Retry is not offered (no retry brings it back); the list is loaded anew."""
    out = tmp_path / "bins"
    printing = bin_printing(station, out)
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        panel = open_bin_labels(qtbot, shell)
        scan(qtbot, shell, "H-24")
        with station.db.writing() as session:
            session.execute(
                text("UPDATE locations SET bins = :bins WHERE code = 'BLR-01'"),
                {"bins": json.dumps(STORE_BINS[:-1])},
            )
        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: panel.message.tone() == "error", timeout=WAIT_MS)

        assert "H-24: not a hold-shelf bin of BLR-01." in panel.message.text()
        assert panel.retry_button.isHidden()
        assert panel.code_field.hasFocus()
        qtbot.waitUntil(lambda: panel.bins.rowCount() == len(STORE_BINS) - 1, timeout=WAIT_MS)
        assert chosen(panel) == []
    assert not out.exists()


def test_a_failed_print_says_why_and_retry_prints(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the label folder should be", encoding="utf-8")
    printing = bin_printing(station, blocked / "bins")
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        panel = open_bin_labels(qtbot, shell)
        scan(qtbot, shell, "H-11")
        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: panel.message.tone() == "error", timeout=WAIT_MS)
        assert "could not be written" in panel.message.text()
        assert "Check the folder exists" in panel.message.text()
        assert panel.retry_button.isVisible() and panel.retry_button.hasFocus()
        assert panel.retry_button.text() == "Retry (1 bin label)"
        assert [j.status for j in printing.history("H-11")] == ["failed"]

        blocked.unlink()
        with qtbot.waitSignal(panel.printed, timeout=WAIT_MS):
            qtbot.keyClick(focused(), Qt.Key.Key_Space)
        assert panel.message.tone() == "warn" and not panel.retry_button.isVisible()
    assert printed_codes(blocked / "bins", printing) == [["H-11"]]
    assert [j.status for j in printing.history("H-11")] == ["failed", "saved"]


def test_a_scan_on_the_printer_list_opens_the_bins_and_an_unknown_bin_is_named(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    printing = bin_printing(station, tmp_path / "bins")
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        qtbot.keyClick(focused(), Qt.Key.Key_F5)
        screen = shell.window.current_screen()
        assert isinstance(screen, PrintersScreen)
        panel = screen.bin_labels
        assert screen.tabs.currentWidget() is not panel
        qtbot.waitUntil(lambda: screen.printers.rowCount() > 0, timeout=WAIT_MS)
        scan(qtbot, shell, "H-05")
        assert screen.tabs.currentWidget() is panel
        qtbot.waitUntil(lambda: panel.bins.rowCount() > 0, timeout=WAIT_MS)
        scan(qtbot, shell, "H-05")  # the bins loaded: now it is chosen
        assert chosen(panel) == ["H-05"]
        scan(qtbot, shell, "H-99")
        assert panel.message.tone() == "error"
        assert "H-99 is not a hold-shelf bin of BLR-01." in panel.message.text()
        assert "H-01 … H-24" in panel.message.text()
        assert chosen(panel) == ["H-05"]


def test_bin_model(qtmodeltester: Any, station: Station, tmp_path: Path) -> None:
    model = BinModel()
    model.set_bins(bin_printing(station, tmp_path).bin_labels().labels)
    model.choose(model.row_of("h-02"))
    qtmodeltester.check(model, force_py=True)
    assert [b.bin_code for b in model.chosen()] == ["H-02"]
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.choose_all(True)
    assert len(model.chosen()) == len(STORE_BINS)


def test_tabs_by_keys_ctrl_tab_back_and_f5_opens_the_printer_list(
    qtbot: Any, station: Station, tmp_path: Path
) -> None:
    printing = bin_printing(station, tmp_path / "bins")
    with open_shell(qtbot, station, printing=printing) as shell:
        log_in(qtbot, shell, "L200", "2222")
        panel = open_bin_labels(qtbot, shell)
        screen = shell.window.current_screen()
        assert isinstance(screen, PrintersScreen)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert screen.tabs.currentIndex() == 0 and screen.printers_view.hasFocus()
        qtbot.keyClick(focused(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        assert screen.tabs.currentWidget() is panel and panel.code_field.hasFocus()
        qtbot.keyClick(focused(), Qt.Key.Key_F1)
        qtbot.keyClick(focused(), Qt.Key.Key_F5)
        assert shell.window.current_screen() is screen
        assert screen.tabs.currentIndex() == 0 and screen.printers_view.hasFocus()
