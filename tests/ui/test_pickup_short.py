"""F7 marks a pickup line short only once confirmed with a reason, by keys alone; the
reason's stock effect shows on this station at once (offline, before any sync)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import PickupOp
from app.ui.screens.stock_lookup import COUNT_DUE_NOTE, StockLookupScreen
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, type_keys
from tests.ui.pickup_support import (
    items,
    outbox_types,
    pick_payloads,
    place,
    says,
    state,
    to_pickup_screen,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState


def test_f7_asks_to_confirm_with_a_reason_and_esc_changes_nothing(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    (a, _a_gtin), (b, b_gtin) = items(ui_ledger, 14, 15)
    fid = place(ui_ledger, "WEB-UI-371", [(a, 2), (b, 1)])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, b_gtin)
    before = shell.station.stock.lookup(a)[0].sellable_available
    screen = to_pickup_screen(qtbot, shell)
    type_keys(qtbot, "WEB-UI-371")
    qtbot.waitUntil(lambda: state(screen) is S.PICKING)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    panel = screen.detail

    qtbot.keyClick(focused(), Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: panel.short_dialog is not None and panel.short_dialog.isVisible())
    dialog = panel.short_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.reasons.hasFocus)
    shown = " ".join(w.text() for w in dialog.findChildren(QLabel) if w.isVisible())
    assert "Mark 2 units of" in shown and f"({a}) short?" in shown
    texts = [dialog.reasons.item(i).text() for i in range(dialog.reasons.count())]
    assert texts[0].startswith("Not found on the shelf")
    assert "not available to promise here until counted" in texts[0]
    assert any("moved to damaged stock" in t for t in texts)
    reached = []
    for _ in range(4):
        reached.append(focused())
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert {dialog.reasons, dialog.confirm, dialog.cancel} <= set(reached)
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: panel.short_dialog is None)
    qtbot.waitUntil(panel.step_field.hasFocus)
    assert [PickupOp(t) for t in outbox_types(shell)] == [PickupOp.ACCEPT, PickupOp.PICK]
    assert all(x.short == 0 for x in shell.station.pickup.order(fid).lines)

    qtbot.keyClick(focused(), Qt.Key.Key_F7)  # again, and this time: not found
    qtbot.waitUntil(lambda: panel.short_dialog is not None and panel.short_dialog.isVisible())
    assert panel.short_dialog is not None
    qtbot.waitUntil(panel.short_dialog.reasons.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: state(screen) is S.PICKED or state(screen) is S.SHORT)
    qtbot.waitUntil(lambda: says(screen, "Marked short"))
    assert says(screen, "Not found on the shelf: not available to promise here until counted.")
    assert pick_payloads(shell)[-1] == {
        "location": "BLR-01",
        "fulfilment_id": fid,
        "lines": [{"sku": a, "quantity": 0, "short": 2}],
        "reason": "not_found",
    }
    assert before > 0 and shell.station.stock.lookup(a)[0].sellable_available == 0
    qtbot.waitUntil(screen.detail.step_field.hasFocus)

    qtbot.keyClick(focused(), Qt.Key.Key_F1)  # Stock lookup says why there is none to promise
    lookup = shell.window.current_screen()
    assert isinstance(lookup, StockLookupScreen)
    qtbot.waitUntil(lookup.search.hasFocus)
    type_keys(qtbot, a)
    qtbot.waitUntil(lambda: COUNT_DUE_NOTE in lookup.item_meta.text())
    assert lookup.buckets.index(0, 3).data() == "0"  # available to promise, offline


def test_f7_damaged_is_chosen_by_keys(qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger) -> None:
    ((a, _a_gtin),) = items(ui_ledger, 16)
    fid = place(ui_ledger, "WEB-UI-372", [(a, 1)])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    on_hand = shell.station.stock.item_stock(shell.station.stock.lookup(a)[0].item_id)
    screen = to_pickup_screen(qtbot, shell)
    type_keys(qtbot, "WEB-UI-372")
    qtbot.waitUntil(lambda: state(screen) is S.ACCEPTED)
    panel = screen.detail

    qtbot.keyClick(focused(), Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: panel.short_dialog is not None and panel.short_dialog.isVisible())
    assert panel.short_dialog is not None
    qtbot.waitUntil(panel.short_dialog.reasons.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert panel.short_dialog.chosen_reason() == "damaged"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: says(screen, "Damaged: moved to damaged stock."))

    after = shell.station.stock.item_stock(on_hand.item.item_id)
    buckets = {b.bucket.value: b.on_hand for b in after.buckets}
    assert buckets["sellable"] == on_hand.buckets[0].on_hand - 1 and buckets["damaged"] == 1
    assert pick_payloads(shell)[-1]["reason"] == "damaged"
