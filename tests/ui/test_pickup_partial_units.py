"""A handover of some units of a line (1 of 2) by keys: Left takes one unit fewer, the rest
is cancelled with a reason from the store's list or kept ready. (What the ledger records
of it: tests/ledger/test_reasons.py; these station copies must not push.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, scan, type_keys
from tests.ui.pickup_support import items, place, state, to_pickup_screen

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from app.ui.screens.pickup import PickupScreen

S = FulfilmentState


def _ready_at_handover(
    qtbot: QtBot, shell: Shell, ledger: RunningLedger, number: str, bin_code: str
) -> tuple[PickupScreen, int, list[tuple[str, str]]]:
    """An order of 2 × a and 1 × b made ready on ``bin_code``, open at its handover with
    the customer's code checked and the bin scanned."""
    (a, a_gtin), (b, b_gtin) = found = items(ledger, 17, 18)
    placed = place(ledger, number, [(a, 2), (b, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    for code in (a_gtin, a_gtin, b_gtin):
        shell.station.pickup.pick(staff, fid, code)
    shell.station.pickup.stage(staff, fid, bin_code)
    shell.station.pickup.ready(staff, fid)
    screen = to_pickup_screen(qtbot, shell)
    type_keys(qtbot, number)
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    panel = screen.handover
    qtbot.waitUntil(panel.code_field.hasFocus)
    type_keys(qtbot, placed["pickup_code"])
    qtbot.waitUntil(panel.code_verified)
    scan(qtbot, shell, bin_code)
    qtbot.waitUntil(panel.bin_checked)
    return screen, fid, found


def _one_fewer_of_a(qtbot: QtBot, screen: PickupScreen, a: str) -> None:
    """Alt+L to the lines, down to line a, Left once: 1 of its 2 units."""
    panel = screen.handover
    qtbot.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.take_list.hasFocus)
    row = next(
        i for i in range(panel.take_list.count()) if f"({a})" in panel.take_list.item(i).text()
    )
    panel.take_list.setCurrentRow(0)
    for _ in range(row):
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: panel.take_list.item(row).text().startswith("1 of 2 ×"))
    assert panel.take_list.taken()[a] == 1
    qtbot.waitUntil(panel.reason.isVisible)
    assert "1 unit left behind" in screen.message.text()


def test_one_of_two_units_handed_over_and_the_other_cancelled_with_a_reason(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    screen, fid, ((a, a_gtin), (b, b_gtin)) = _ready_at_handover(
        qtbot, shell, ui_ledger, "WEB-UI-391", "H-05"
    )
    panel = screen.handover
    _one_fewer_of_a(qtbot, screen, a)
    for code in (a_gtin, b_gtin):  # one unit of a is enough now
        scan(qtbot, shell, code)
    qtbot.waitUntil(lambda: (panel.scanned(a), panel.scanned(b)) == (1, 1))
    qtbot.waitUntil(panel.confirm_button.isEnabled)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # no reason chosen yet: refused
    qtbot.waitUntil(lambda: "Say why" in screen.message.text())
    qtbot.waitUntil(panel.reason.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # the first reason of the list
    assert panel.reason.currentData() == "declined"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.station.pickup.order(fid).lines[0].collected == 1)

    lines = {x.sku: x for x in shell.station.pickup.order(fid).lines}
    assert (lines[a].collected, lines[a].cancelled, lines[a].restock_due) == (1, 1, 1)
    assert lines[b].collected == 1 and lines[a].cancel_reason == "Customer declined it"
    handed = shell.station.pickup.order(fid).log["handovers"][-1]
    assert handed["lines"] == {a: 1, b: 1} and handed["reason"] == "declined"


def test_the_unit_left_may_stay_ready_for_another_visit(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    screen, fid, ((a, a_gtin), (_b, b_gtin)) = _ready_at_handover(
        qtbot, shell, ui_ledger, "WEB-UI-392", "H-06"
    )
    panel = screen.handover
    _one_fewer_of_a(qtbot, screen, a)
    for code in (a_gtin, b_gtin):
        scan(qtbot, shell, code)
    qtbot.keyClick(focused(), Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # keep ready
    qtbot.waitUntil(panel.keep_ready.isChecked)
    qtbot.waitUntil(panel.confirm_button.isEnabled)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: shell.station.pickup.order(fid).lines[0].collected == 1)

    order = shell.station.pickup.order(fid)
    lines = {x.sku: x for x in order.lines}
    assert (lines[a].collected, lines[a].cancelled, lines[a].ready_waiting) == (1, 0, 1)
    assert order.summary.state is S.READY_FOR_PICKUP  # the customer comes back for it
