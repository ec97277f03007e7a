"""Every code a counter scans, sent as the keys of a USB keyboard-wedge scanner (Shift
around capitals and ``:``, GS as Ctrl+] or the store's stand-in) through the real main
window on a real station synced from a real ledger: a badge logs in, a SKU and a GS1
DataMatrix (GTIN, expiry, batch, serial) find the item, a pickup QR opens the handover,
the bin and a GS1 item scan check it. Text typed by hand with Shift reaches the field."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.config import SessionSettings
from app.domain.fulfilment import FulfilmentState
from app.services.scan_settings import ScanSettings, save_scan_settings
from app.services.station import build_station
from app.ui.app import Terminal
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.support.ledger import RunningLedger
from tests.ui.conftest import KeyClock, Shell, focused, log_in, open_shell, scan
from tests.ui.pickup_support import catalog_items, place, state, to_pickup_screen
from tests.ui.wedge import GS, send_code

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from app.services.station import Station


def gs1_datamatrix(gtin: str, *, gs: str = GS) -> str:
    """What a scanner sends for a GS1 DataMatrix of ``gtin``: expiry, batch, serial."""
    return f"01{gtin.zfill(14)}17270331" + f"10AB-12{gs}21XYZ9"


def test_a_badge_scan_logs_in(qtbot: QtBot, shell: Shell) -> None:
    scan(qtbot, shell, "BADGE-L200")
    qtbot.waitUntil(lambda: shell.window.staff() is not None)
    staff = shell.window.staff()
    assert staff is not None and staff.code == "L200"


def test_stock_lookup_reads_a_sku_and_a_gs1_scan(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    (sku, _, _), (other_sku, other_gtin, other_name) = catalog_items(ui_ledger, 5, 6)
    log_in(qtbot, shell)  # Stock lookup is the first screen
    screen = shell.window.current_screen()
    assert isinstance(screen, StockLookupScreen)
    qtbot.waitUntil(screen.search.hasFocus)

    scan(qtbot, shell, sku)
    qtbot.waitUntil(lambda: _shown(screen) == sku)
    assert screen.search.text() == sku

    scan(qtbot, shell, gs1_datamatrix(other_gtin))  # GS as Ctrl+]
    qtbot.waitUntil(lambda: _shown(screen) == other_sku)
    assert screen.search.text() == other_gtin.zfill(14), "the GTIN read out of the GS1 data"
    assert screen.item_title.text() == other_name


def _shown(screen: StockLookupScreen) -> str:
    shown = screen.shown_item()
    return "" if shown is None else shown.item.sku


def test_pickup_qr_bin_and_gs1_item_scans_hand_over(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    ((sku, gtin, _),) = catalog_items(ui_ledger, 10)
    placed = place(ui_ledger, "WEB-UI-381", [(sku, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, gtin)
    station.pickup.stage(staff, fid, "H-04")
    station.pickup.ready(staff, fid)
    with open_shell(qtbot, station, scan_settings=ScanSettings(gs_stand_in="~")) as shell:
        screen = to_pickup_screen(qtbot, shell)
        scan(qtbot, shell, placed["pickup_qr"])  # CBPU1:WEB-UI-381:…, Shift for : and capitals
        qtbot.waitUntil(lambda: screen.right.currentWidget() is screen.handover)
        assert screen.handover.code_verified()
        scan(qtbot, shell, "H-04")
        qtbot.waitUntil(screen.handover.bin_checked)
        shell.clock.step = KeyClock.SCANNER
        send_code(gs1_datamatrix(gtin, gs="~"), gs_stand_in="~")  # the store's FNC1 stand-in
        shell.clock.step = KeyClock.HAND
        qtbot.waitUntil(screen.handover.confirm_button.isEnabled)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: state(screen) is FulfilmentState.COLLECTED)


def test_text_typed_by_hand_with_shift_reaches_the_field(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    ((sku, _gtin, _),) = catalog_items(ui_ledger, 11)
    place(ui_ledger, "WEB-UI-382", [(sku, 1)])
    shell.station.sync.sync_once()
    screen = to_pickup_screen(qtbot, shell)
    assert isinstance(screen, PickupScreen)
    typed: list[str] = []
    screen.search.returnPressed.connect(lambda: typed.append(screen.search.text()))
    send_code("WEB-UI-382")  # the KeyClock's hand pace: Shift, capitals, Enter all reach it
    assert typed == ["WEB-UI-382"]
    qtbot.waitUntil(lambda: state(screen) is FulfilmentState.ROUTED)


def test_the_terminal_scans_with_the_stations_scanner_settings(tmp_path: Path) -> None:
    chosen = ScanSettings(max_gap_ms=60, min_length=6, prefix="F13", suffix="Tab")
    save_scan_settings(tmp_path, chosen)
    station = build_station(tmp_path)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    terminal = Terminal(app, station, printing=None, session=SessionSettings(), data_dir=tmp_path)
    try:
        assert terminal.scans.settings == chosen
    finally:
        terminal.shut_down()
        assert terminal.wait_stopped()
