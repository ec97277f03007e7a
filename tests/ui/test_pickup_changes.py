"""What changed, said plainly: offline (a banner with what waits, the ready message that
waits for the ledger), a sync that lands (pending steps confirmed, an order cancelled on
the ledger while it was open), and staging onto a bin that holds another order.
Keys and scans only, on real stations synced from a real ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import PickupOp
from app.errors import KnownError
from app.services.results import StaffSession
from app.services.station import Station
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from tests.ledger.pickup_support import admin
from tests.support.ledger import RunningLedger, free_port
from tests.ui.conftest import enrol_station, focused, log_in, open_shell, scan, type_keys
from tests.ui.pickup_support import items, outbox_types, place, state, to_pickup_screen

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
WAIT_MS = 10_000  # the status bar reads the station every 2 s


def _open(qtbot: QtBot, screen: PickupScreen, number: str) -> None:
    type_keys(qtbot, number)
    qtbot.waitUntil(
        lambda: (o := screen.open_order()) is not None and o.summary.order_number == number
    )
    qtbot.waitUntil(screen.detail.step_field.hasFocus)


@pytest.fixture
def own_station(ui_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A station on its own device (it pushes what it does), closed after the test."""
    station = enrol_station(ui_ledger, tmp_path / "own")
    yield station
    station.close()


def _picked_here(
    ledger: RunningLedger, station: Station, number: str, item: int
) -> tuple[dict[str, Any], str, str, StaffSession]:
    """Order ``number`` of one unit of item ``item``, accepted and picked on ``station``:
    the order as placed, the item's SKU and GTIN, and the associate who picked it."""
    ((a, a_gtin),) = items(ledger, item)
    placed = place(ledger, number, [(a, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()  # pulls the order
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    return placed, a, a_gtin, staff


def test_offline_the_banner_says_what_waits_and_ready_says_when_the_message_goes(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 21)
    fid = place(ui_ledger, "WEB-UI-351", [(a, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    station.pickup.stage(staff, fid, "H-17")
    with station.db.writing() as session:  # the ledger cannot be reached from here on
        session.execute(
            text("UPDATE device SET ledger_url = :u"), {"u": f"http://127.0.0.1:{free_port()}"}
        )
    with pytest.raises(KnownError):
        station.sync.sync_once()

    with open_shell(qtbot, station) as shell:
        window = shell.window
        screen = to_pickup_screen(qtbot, shell)
        banner = window.offline_banner
        qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
        assert banner.text().startswith("Offline: this terminal cannot reach the stock ledger.")
        assert "3 changes wait to be sent, the oldest for" in banner.text()
        assert "once it is back online" in banner.text()
        assert window.status.sync.text() == "Offline"

        _open(qtbot, screen, "WEB-UI-351")
        hint = screen.detail.step_hint.text()
        assert "gets the ready message once this terminal is back online" in hint
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
        qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
        assert screen.message.text() == (
            "Ready for pickup: the customer will get the ready message once this terminal "
            "is back online."
        )
        qtbot.waitUntil(lambda: "4 changes wait" in banner.text(), timeout=WAIT_MS)


def test_a_sync_that_lands_clears_what_waited_and_says_what_the_ledger_changed(
    qtbot: QtBot, ui_ledger: RunningLedger, own_station: Station
) -> None:
    station = own_station
    _, a, a_gtin, _ = _picked_here(ui_ledger, station, "WEB-UI-352", 22)
    with open_shell(qtbot, station) as shell:
        window = shell.window
        log_in(qtbot, shell)
        stock = window.current_screen()
        assert isinstance(stock, StockLookupScreen)
        type_keys(qtbot, a)  # the item picked: its stock here shows the pick pending
        qtbot.waitUntil(lambda: stock.buckets.rowCount() > 0)
        assert stock.buckets.index(0, 4).data() == "−1"
        qtbot.keyClick(focused(), Qt.Key.Key_F3)
        screen = window.current_screen()
        assert isinstance(screen, PickupScreen)
        qtbot.waitUntil(screen.search.hasFocus)
        _open(qtbot, screen, "WEB-UI-352")
        assert "2 steps waiting to sync" in screen.detail.meta.text()
        scan(qtbot, shell, "H-18")
        qtbot.waitUntil(lambda: state(screen) is S.STAGED)
        assert "3 steps waiting to sync" in screen.detail.meta.text()
        assert "Press F9 to mark it ready" in screen.detail.step_hint.text()
        qtbot.waitUntil(lambda: "3 to send" in window.status.pending.text(), timeout=WAIT_MS)
        type_keys(qtbot, "2*", enter=False)  # typed while the sync lands: kept

        station.sync.sync_once()  # pushed and pulled back
        qtbot.waitUntil(lambda: "waiting to sync" not in screen.detail.meta.text(), timeout=WAIT_MS)
        assert window.status.pending.text() == "All sent"
        qtbot.waitUntil(lambda: stock.buckets.index(0, 4).data() == "", timeout=WAIT_MS)
        assert screen.detail.step_field.text() == "2*"
        assert state(screen) is S.STAGED

        admin(ui_ledger, "/orders/WEB-UI-352/cancel", {"reason": "customer called"})
        station.sync.sync_once()  # the cancel arrives while the order is open
        qtbot.waitUntil(lambda: state(screen) is S.CANCELLED, timeout=WAIT_MS)
        said = screen.message.text()
        assert said.startswith(
            "Order WEB-UI-352 was cancelled while it was open here: customer called."
        )
        assert "scan bin H-18 first" in said and screen.message.tone() == "warn"
        hint = screen.detail.step_hint.text()
        assert "mark it ready" not in hint and "scan bin H-18 first" in hint

        scan(qtbot, shell, "H-18")  # the put-back names its bin throughout
        qtbot.waitUntil(lambda: "Bin H-18 checked" in screen.message.text())
        assert "scan each item from bin H-18 back" in screen.detail.step_hint.text()
        scan(qtbot, shell, a_gtin)
        qtbot.waitUntil(lambda: "Back on the shelf" in screen.message.text())
        assert outbox_types(shell)[-1] == PickupOp.RESTOCK
        station.sync.sync_once()  # nothing of it left for the other tests' store queue
        tasks = shell.station.pickup.restock_tasks()
        assert "WEB-UI-352" not in [t.order_number for t in tasks]


def test_staging_onto_a_bin_that_holds_another_order_asks_first(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger
) -> None:
    (a, a_gtin), (b, b_gtin) = items(ui_ledger, 23, 24)
    first = place(ui_ledger, "WEB-UI-353", [(a, 1)])["fulfilment_orders"][0]["id"]
    second = place(ui_ledger, "WEB-UI-354", [(b, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, first)
    station.pickup.pick(staff, first, a_gtin)
    station.pickup.stage(staff, first, "H-19")
    station.pickup.accept(staff, second)
    station.pickup.pick(staff, second, b_gtin)

    with open_shell(qtbot, station) as shell:
        screen = to_pickup_screen(qtbot, shell)
        _open(qtbot, screen, "WEB-UI-354")
        panel = screen.detail
        scan(qtbot, shell, "H-19")
        qtbot.waitUntil(lambda: panel.share_dialog is not None and panel.share_dialog.isVisible())
        dialog = panel.share_dialog
        assert dialog is not None
        assert "Bin H-19 already holds order WEB-UI-353." in dialog.text()
        qtbot.keyClick(dialog, Qt.Key.Key_N)  # no: another bin
        qtbot.waitUntil(lambda: panel.share_dialog is None)
        assert "Scan another bin for WEB-UI-354" in screen.message.text()
        qtbot.waitUntil(panel.step_field.hasFocus)
        assert state(screen) is S.PICKED

        scan(qtbot, shell, "H-19")
        qtbot.waitUntil(lambda: panel.share_dialog is not None and panel.share_dialog.isVisible())
        dialog = panel.share_dialog
        assert dialog is not None
        qtbot.keyClick(dialog, Qt.Key.Key_Y)  # yes: both on H-19
        qtbot.waitUntil(lambda: state(screen) is S.STAGED)
        order = screen.open_order()
        assert order is not None and order.summary.bin == "H-19"
        assert outbox_types(shell).count(PickupOp.STAGE) == 2
        qtbot.waitUntil(panel.step_field.hasFocus)


def test_an_order_cancelled_during_its_handover_leaves_the_handover(
    qtbot: QtBot, ui_ledger: RunningLedger, own_station: Station
) -> None:
    station = own_station
    placed, _, a_gtin, staff = _picked_here(ui_ledger, station, "WEB-UI-355", 28)
    fid = placed["fulfilment_orders"][0]["id"]
    station.pickup.stage(staff, fid, "H-20")
    station.pickup.ready(staff, fid)
    station.sync.sync_once()
    with open_shell(qtbot, station) as shell:
        screen = to_pickup_screen(qtbot, shell)
        _open(qtbot, screen, "WEB-UI-355")
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # hand over: verify first
        panel = screen.handover
        qtbot.waitUntil(panel.code_field.hasFocus)
        type_keys(qtbot, placed["pickup_code"])
        qtbot.waitUntil(panel.code_verified)

        admin(ui_ledger, "/orders/WEB-UI-355/cancel", {"reason": "paid twice"})
        station.sync.sync_once()  # the cancel arrives at the counter mid-handover
        qtbot.waitUntil(lambda: screen.right.currentWidget() is screen.detail, timeout=WAIT_MS)
        assert state(screen) is S.CANCELLED
        assert screen.message.text().startswith(
            "Order WEB-UI-355 was cancelled while it was open here: paid twice."
        )
        assert panel.order_id() is None and not panel.code_verified()
        qtbot.waitUntil(screen.detail.step_field.hasFocus)

        scan(qtbot, shell, "H-20")  # its units go back: nothing stays for the others
        qtbot.waitUntil(lambda: "Bin H-20 checked" in screen.message.text())
        scan(qtbot, shell, a_gtin)
        qtbot.waitUntil(lambda: "Back on the shelf" in screen.message.text())
        assert PickupOp.HANDOVER not in outbox_types(shell)
        station.sync.sync_once()
