"""What the Pickup screen tells the associate where the screenshots showed them stumbling:
an order without a phone number made ready, a partial handover whose left line stays
ready, the next order typed after a handover, and the queue pointing at the open order.
Keys only, on a real station synced from a real ledger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import PickupOp
from app.services.station import Station
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.pickup_steps import READY_NO_CONTACT
from tests.support.ledger import RunningLedger
from tests.ui.conftest import STORE, Shell, focused, open_shell, scan, type_keys
from tests.ui.pickup_support import (
    file_printing,
    items,
    outbox_types,
    place,
    state,
    to_pickup_screen,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState


def _selected_order(screen: PickupScreen) -> str | None:
    rows = screen.queue.view.selectionModel().selectedRows()
    return screen.queue.model.row_at(rows[0].row()).order if rows else None


def test_ready_without_a_phone_number_says_to_tell_the_customer(
    qtbot: QtBot, station: Station, ui_ledger: RunningLedger, tmp_path: Path
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 39)
    placed = ui_ledger.place_order(
        {
            "order_number": "WEB-UI-321",
            "channel": "web",
            "method": "pickup",
            "pickup_location": STORE,
            "customer": {"name": "Walk-in Guest"},  # no phone, no email
            "lines": [{"sku": a, "quantity": 1}],
        }
    )
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    staff = station.auth.login_pin("A100", "1111")
    station.pickup.accept(staff, fid)
    station.pickup.pick(staff, fid, a_gtin)
    station.pickup.stage(staff, fid, "H-13")
    printing = file_printing(station, tmp_path / "tags")

    with open_shell(qtbot, station, printing=printing) as shell:
        screen = to_pickup_screen(qtbot, shell)
        type_keys(qtbot, "WEB-UI-321")
        qtbot.waitUntil(lambda: state(screen) is S.STAGED)
        assert "No phone number" in screen.detail.meta.text()
        assert "tell the customer yourself" in screen.detail.step_hint.text()
        assert "gets the ready message" not in screen.detail.step_hint.text()
        qtbot.waitUntil(screen.detail.step_field.hasFocus)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
        qtbot.waitUntil(lambda: "saved as a file" in screen.message.text(), timeout=10_000)

        said = screen.message.text()
        assert said.startswith(READY_NO_CONTACT)
        assert "tell them when they call or come in" in said
        assert "will get the ready message" not in said
        assert state(screen) is S.READY_FOR_PICKUP


def test_a_line_left_behind_can_stay_ready_for_another_visit(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    (a, a_gtin), (b, b_gtin) = items(ui_ledger, 41, 42)
    placed = place(ui_ledger, "WEB-UI-322", [(a, 1), (b, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    for code in (a_gtin, b_gtin):
        shell.station.pickup.pick(staff, fid, code)
    shell.station.pickup.stage(staff, fid, "H-14")
    shell.station.pickup.ready(staff, fid)
    screen = to_pickup_screen(qtbot, shell)

    scan(qtbot, shell, placed["pickup_qr"])  # verified by the customer's QR
    panel = screen.handover
    qtbot.waitUntil(lambda: screen.right.currentWidget() is panel)
    assert screen.search.text() == "WEB-UI-322"  # the pickup code stays off the screen
    assert _selected_order(screen) == "WEB-UI-322"  # the queue points at the open order
    scan(qtbot, shell, "H-14")
    qtbot.waitUntil(panel.bin_checked)
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(lambda: panel.scanned(a) == 1)
    qtbot.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    row_b = next(i for i in range(2) if f"({b})" in panel.take_list.item(i).text())
    for _ in range(row_b):
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)  # the customer comes back for b
    qtbot.waitUntil(panel.keep_ready.isVisible)
    assert "1 unit left behind" in screen.message.text() and "(Alt+K)" in screen.message.text()
    qtbot.keyClick(focused(), Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.keep_ready.isChecked)
    assert not panel.reason.isEnabled()  # no reason: nothing is cancelled
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: "Handed over: 1 unit of WEB-UI-322" in screen.message.text())

    assert "1 more stays ready on bin H-14" in screen.message.text()
    assert state(screen) is S.READY_FOR_PICKUP
    lines = {x.sku: x for x in shell.station.pickup.order(fid).lines}
    assert (lines[a].collected, lines[b].ready_waiting, lines[b].cancelled) == (1, 1, 0)
    assert lines[b].restock_due == 0
    assert outbox_types(shell).count(PickupOp.HANDOVER) == 1
    assert PickupOp.CANCEL not in outbox_types(shell)

    assert focused() is screen.detail.step_field  # the next scan, number or quantity
    type_keys(qtbot, "WEB-UI-301")  # the next customer's number is searched
    assert screen.search.text() == "WEB-UI-301"


def test_everything_scanned_says_to_hand_over(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 48)
    placed: dict[str, Any] = place(ui_ledger, "WEB-UI-323", [(a, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, a_gtin)
    shell.station.pickup.stage(staff, fid, "H-15")
    shell.station.pickup.ready(staff, fid)
    screen = to_pickup_screen(qtbot, shell)

    type_keys(qtbot, "WEB-UI-323")
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    panel = screen.handover
    qtbot.waitUntil(panel.code_field.hasFocus)
    scan(qtbot, shell, "H-15")
    qtbot.waitUntil(panel.bin_checked)
    scan(qtbot, shell, a_gtin)  # all scanned, the code not typed yet: asks for it
    qtbot.waitUntil(lambda: "Everything is scanned" in screen.message.text())
    assert "type the customer's pickup code" in screen.message.text()
    type_keys(qtbot, placed["pickup_code"])
    qtbot.waitUntil(panel.code_verified)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: state(screen) is S.COLLECTED)
    assert "Collected: nothing left to do." in screen.detail.step_hint.text()
    assert "Scan the next customer's QR" in screen.detail.step_hint.text()
