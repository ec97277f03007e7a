"""Keyed counts and the printed pick list on the batch pick screen, by keys and wedge scans
only: ``*`` opens the count field, the count keyed goes with the next item scan (a scan
with the cursor in the field leaves none of its characters there), more than the tote
still needs double-beeps with the reason and what to key instead; a ``*`` inside a
scanned code counts nothing; Ctrl+P prints the pick list on the station's A4 printer (a
raw TCP printer on loopback) or says where it was saved and how to set a printer up."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSize, Qt

from app.services.station import Station, build_station
from app.ui.screens.bench.batch_pick import BatchPickScreen
from tests.labels.listener import PrinterListener
from tests.ui.conftest import Shell, focused, open_shell, scan, type_keys
from tests.ui.test_bench_pick import _orders, _outbox, _scan, _to_batch
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier


def _reach_for_the_scanner(shell: Shell) -> None:
    """A pause after keys typed by hand: the next scan is a burst of its own."""
    shell.clock.now += 1.0


def _at_item(qtbot: QtBot, shell: Shell, units: int) -> tuple[BatchPickScreen, str, str]:
    """One order of ``units`` of one item, its bin scanned: the screen, the SKU, the name."""
    ((_, sku, name), _) = _orders(shell.station, (0, units))
    screen = _to_batch(qtbot, shell, marked=1)
    view = screen.shown()
    assert view is not None and view.current is not None
    _scan(qtbot, shell, screen, view.current.bin_code)
    assert screen.next_line.text() == f"Scan {name}: 0 of {units} for tote T01."
    return screen, sku, name


def test_a_count_keyed_after_star_goes_with_one_scan_of_the_item(
    qtbot: QtBot, shell: Shell
) -> None:
    screen, sku, name = _at_item(qtbot, shell, 5)
    assert not screen.keyed.isVisible()
    qtbot.keyClick(focused(), "*")
    assert screen.keyed.isVisible() and screen.keyed.hasFocus()
    assert screen.keyed.caption.isVisible()
    assert screen.next_line.text() == (
        "Key how many you hold (5 or fewer), then scan one of them. Esc: scan one by one."
    )
    type_keys(qtbot, "9", enter=False)  # the count keyed by hand, then a scan ...
    _reach_for_the_scanner(shell)
    view = _scan(qtbot, shell, screen, sku)  # ... which types into the count field
    assert view.refused and view.current is not None and view.current.counted == 0
    assert shell.window.feedback.last == "failed"
    assert screen.message.text().startswith(f"Only 5 more {name} go in tote T01.")
    assert screen.next_line.text() == (
        f"Press * and key 5 or fewer, then scan {name}; or scan them one by one."
    )
    assert screen.keyed.text() == "" and not screen.keyed.isVisible()
    assert screen.card.hasFocus()

    qtbot.keyClick(focused(), "*")
    type_keys(qtbot, "4")  # Enter: the count stands
    _reach_for_the_scanner(shell)
    assert screen.next_line.text() == f"Scan {name}: 4 in one go (Esc: one by one)."
    assert screen.keyed.text() == "4" and screen.keyed.hasFocus()
    view = _scan(qtbot, shell, screen, sku)
    assert not view.refused and view.current is not None and view.current.counted == 4
    assert screen.card.count.text() == "4 of 5" and shell.window.feedback.last == "ok"
    assert screen.keyed.text() == "" and screen.card.hasFocus()
    view = _scan(qtbot, shell, screen, sku)  # no count keyed: one unit
    assert screen.next_line.text() == f"Put 5 {name} in tote T01 and scan the tote."
    qtbot.keyClick(focused(), "*")  # nothing left to count
    assert not screen.keyed.isVisible() and shell.window.feedback.last == "failed"
    assert screen.message.text() == "All 5 are counted: put them in tote T01."
    _reach_for_the_scanner(shell)
    _scan(qtbot, shell, screen, f"{view.batch_id}-T01")
    picks = [p["lines"] for t, p in _outbox(shell.station) if t == "ship.pick"]
    assert [[(ln["sku"], ln["quantity"]) for ln in lines] for lines in picks] == [[(sku, 5)]]


def test_a_star_inside_a_scanned_code_counts_nothing_and_esc_drops_a_count(
    qtbot: QtBot, shell: Shell
) -> None:
    screen, sku, name = _at_item(qtbot, shell, 3)
    view = _scan(qtbot, shell, screen, "XY*77")  # a code with a * scanned on the stop
    assert view.refused and shell.window.feedback.last == "failed"
    assert screen.next_line.text() == f"Scan {name}: 0 of 3 for tote T01."  # 77 not keyed
    assert screen.keyed.text() == "" and not screen.keyed.isVisible()
    assert screen.card.hasFocus()
    qtbot.keyClick(focused(), "*")
    type_keys(qtbot, "2", enter=False)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert not screen.keyed.isVisible() and screen.card.hasFocus()
    assert screen.next_line.text() == f"Scan {name}: 0 of 3 for tote T01."
    _reach_for_the_scanner(shell)
    view = _scan(qtbot, shell, screen, sku)
    assert view.current is not None and view.current.counted == 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_count_field_fits_the_window(qtbot: QtBot, shell: Shell, size: QSize) -> None:
    opened(qtbot, shell, size)
    screen, _, _ = _at_item(qtbot, shell, 5)
    qtbot.keyClick(focused(), "*")
    type_keys(qtbot, "12", enter=False)
    assert screen.keyed.isVisible() and screen.keyed.caption.isVisible()
    fullest(shell.window)
    assert misfits(shell.window, size) == []


def test_star_before_the_bin_says_to_scan_the_bin_first(qtbot: QtBot, shell: Shell) -> None:
    _orders(shell.station, (0, 2))
    screen = _to_batch(qtbot, shell, marked=1)
    view = screen.shown()
    assert view is not None and view.current is not None
    qtbot.keyClick(focused(), "*")
    assert not screen.keyed.isVisible() and shell.window.feedback.last == "failed"
    assert screen.message.text() == (
        f"Scan bin {view.current.bin_code} first, then press * to key a count."
    )


def test_ctrl_p_without_an_a4_printer_says_where_the_pick_list_went(
    qtbot: QtBot, shell: Shell
) -> None:
    _orders(shell.station, (0, 1), (1, 1))
    screen = _to_batch(qtbot, shell, marked=2)
    view = screen.shown()
    assert view is not None
    qtbot.keyClick(focused(), Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "pick list" in screen.message.text())
    path = shell.station.data_dir / "printed" / f"pick-list-{view.batch_id}.pdf"
    assert screen.message.text().startswith(
        f"No A4 printer is set up at this bench, so pick list {view.batch_id} (1 page) was "
        f"saved as a PDF: {path}. Print that file from a computer, or ask a lead"
    )
    assert path.read_bytes()[:5] == b"%PDF-"


@pytest.fixture
def a4_shell(
    qtbot: QtBot, enrolled_template: Path, tmp_path: Path, printer: PrinterListener
) -> Iterator[Shell]:
    """The main window on a station whose packing slips (and so A4 sheets) go to ``printer``."""
    path = tmp_path / "station"
    shutil.copytree(enrolled_template, path)
    profile = {"name": "bench-a4", "base": "a4-laser", "transport": "tcp", "target": printer.target}
    setup = {"profiles": [profile], "by_kind": {"packing-slip": "bench-a4"}}
    (path / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    station: Station = build_station(path)
    try:
        with open_shell(qtbot, station, printing=station.printing) as shell:
            yield shell
    finally:
        station.close()


def test_ctrl_p_prints_the_pick_list_on_the_a4_printer(
    qtbot: QtBot, a4_shell: Shell, printer: PrinterListener
) -> None:
    _orders(a4_shell.station, (0, 1), (1, 1))
    screen = _to_batch(qtbot, a4_shell, marked=2)
    view = screen.shown()
    assert view is not None
    qtbot.keyClick(focused(), Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: "Pick list" in screen.message.text())
    assert screen.message.text().startswith(
        f"Pick list {view.batch_id} (1 page): Sent to bench-a4 (tcp://{printer.target})"
    )
    (job,) = printer.wait_for_jobs(1)
    assert job[:5] == b"%PDF-"
    printing = a4_shell.station.printing
    assert printing is not None
    assert [(j.kind, j.status) for j in printing.history(view.batch_id)] == [("pick-list", "sent")]
    assert screen.card.hasFocus()  # the walk goes on: scans still reach it
    scan(qtbot, a4_shell, "NOT-A-BIN")
    qtbot.waitUntil(lambda: a4_shell.window.feedback.last == "failed")
