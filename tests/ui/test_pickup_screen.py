"""A whole pickup at the counter driven by keys only: find, accept, pick, stage, ready,
verify and hand over, on a real station synced from a real ledger.

With COUNTERBENCH_SHOTS=<dir> the test also saves pickup.png (an order open) and
pickup-handover.png (the handover step) there, grabbed offscreen.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import PickupOp
from app.ui.screens.pickup import PickupScreen
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, log_in, scan, type_keys
from tests.ui.pickup_support import (
    column,
    items,
    outbox_types,
    place,
    says,
    snap,
    state,
    to_pickup_screen,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
NUMBER = "WEB-UI-301"
BIN = "H-02"


def test_whole_pickup_by_keys_only(qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger) -> None:
    (a, a_gtin), (b, b_gtin) = items(ui_ledger, 30, 31)
    placed = place(ui_ledger, NUMBER, [(a, 2), (b, 1)])
    shell.station.sync.sync_once()  # pulls the order; nothing to push yet
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = shell.window.current_screen()
    assert isinstance(screen, PickupScreen)
    qtbot.waitUntil(screen.search.hasFocus)
    qtbot.waitUntil(lambda: any(r.order == NUMBER for r in screen.queue.model.rows()))

    type_keys(qtbot, NUMBER.lower())  # typed by hand into the search field
    qtbot.waitUntil(lambda: state(screen) is S.ROUTED)
    assert "Asha Kumar" in screen.detail.title.text()
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Accept
    qtbot.waitUntil(lambda: state(screen) is S.ACCEPTED)

    for n, code in enumerate((a_gtin, a_gtin, b_gtin), start=1):
        scan(qtbot, shell, code)
        qtbot.waitUntil(partial(says, screen, f"{n} of 3 units picked"))
    assert shell.window.feedback.last == "ok"
    qtbot.waitUntil(lambda: state(screen) is S.PICKED)
    assert column(screen, "Picked") == {a: "2", b: "1"}

    scan(qtbot, shell, BIN)  # the hold-shelf bin label
    qtbot.waitUntil(lambda: state(screen) is S.STAGED)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    qtbot.waitUntil(lambda: any(r.order == "Ready (1)" for r in screen.queue.model.rows()))
    snap(shell.window, "pickup.png")

    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Hand over: verify first
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.handover.code_field)
    type_keys(qtbot, "000000")
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert f"does not match order {NUMBER}" in screen.message.text()
    assert not screen.handover.code_verified()

    type_keys(qtbot, placed["pickup_code"])  # the wrong code is selected: typing replaces it
    qtbot.waitUntil(screen.handover.code_verified)
    panel = screen.handover
    assert not panel.confirm_button.isEnabled()  # the shelf is not checked yet
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # refused: nothing scanned
    qtbot.waitUntil(lambda: f"Scan bin {BIN} first" in screen.message.text())
    scan(qtbot, shell, a_gtin)  # an item before the bin: asks for the bin
    qtbot.waitUntil(lambda: f"Scan bin {BIN} first" in screen.message.text())
    assert panel.scanned(a) == 0
    scan(qtbot, shell, "H-09")  # the wrong bin
    qtbot.waitUntil(lambda: "Wrong bin: H-09" in screen.message.text())
    assert not panel.bin_checked() and shell.window.feedback.last == "failed"
    scan(qtbot, shell, BIN)
    qtbot.waitUntil(panel.bin_checked)
    ((_c, c_gtin),) = items(ui_ledger, 40)
    scan(qtbot, shell, c_gtin)  # an item not in the order
    qtbot.waitUntil(lambda: f"is not in order {NUMBER}" in screen.message.text())
    for n, code in enumerate((a_gtin, a_gtin, b_gtin)):
        scan(qtbot, shell, code)
        qtbot.waitUntil(
            lambda: screen.message.tone() == "ok" and "scanned" in screen.message.text()
        )
        assert shell.window.feedback.last == "ok"
        if n == 0:
            assert "1 of 2 scanned" in screen.message.text()
            assert not panel.confirm_button.isEnabled()
    assert (panel.scanned(a), panel.scanned(b)) == (2, 1)
    assert any("2 of 2 scanned" in panel.take_list.item(i).text() for i in range(2))
    scan(qtbot, shell, b_gtin)  # one too many
    qtbot.waitUntil(lambda: "scanned already" in screen.message.text())
    assert panel.scanned(b) == 1
    qtbot.waitUntil(panel.confirm_button.isEnabled)
    snap(shell.window, "pickup-handover.png")
    assert focused() is panel.code_field
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # hand over ...
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # ... and a double press
    qtbot.waitUntil(lambda: state(screen) is S.COLLECTED)
    qtbot.waitUntil(lambda: not shell.runner.is_busy())

    assert "Collected" in screen.detail.meta.text()
    assert "Handed over: 3 units" in screen.message.text()
    assert column(screen, "Collected") == {a: "2", b: "1"}
    ops = [PickupOp(t) for t in outbox_types(shell)]
    assert ops == [
        PickupOp.ACCEPT,
        PickupOp.PICK,
        PickupOp.PICK,
        PickupOp.PICK,
        PickupOp.STAGE,
        PickupOp.READY,
        PickupOp.HANDOVER,
    ]
    order = shell.station.pickup.order(placed["fulfilment_orders"][0]["id"])
    assert order.summary.state is S.COLLECTED and order.summary.bin == BIN
    assert order.log["handovers"][0]["staff"] == "A100"


def test_scanned_customer_qr_opens_the_handover_verified(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 32)
    placed = place(ui_ledger, "WEB-UI-302", [(a, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, a_gtin)
    shell.station.pickup.stage(staff, fid, "H-03")
    shell.station.pickup.ready(staff, fid)
    screen = to_pickup_screen(qtbot, shell)

    scan(qtbot, shell, placed["pickup_qr"])
    qtbot.waitUntil(lambda: screen.right.currentWidget() is screen.handover)
    assert screen.handover.code_verified()
    assert "QR matches" in screen.message.text()
    scan(qtbot, shell, "H-03")
    qtbot.waitUntil(screen.handover.bin_checked)
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(screen.handover.confirm_button.isEnabled)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: state(screen) is S.COLLECTED)
    assert outbox_types(shell)[-1] == PickupOp.HANDOVER
    assert outbox_types(shell).count(PickupOp.HANDOVER) == 1


def test_cancelled_order_is_restocked_by_scans(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    ((a, a_gtin),) = items(ui_ledger, 33)
    fid = place(ui_ledger, "WEB-UI-303", [(a, 1)])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    shell.station.pickup.pick(staff, fid, a_gtin)
    shell.station.pickup.stage(staff, fid, "H-06")
    shell.station.pickup.cancel(staff, fid, "customer called")
    screen = to_pickup_screen(qtbot, shell)
    qtbot.waitUntil(lambda: _to_restock(screen).get("WEB-UI-303") == "Bin H-06")

    type_keys(qtbot, "WEB-UI-303")
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    assert "scan bin H-06 first" in screen.detail.step_hint.text()
    scan(qtbot, shell, a_gtin)  # an item before the bin: asks for the bin
    qtbot.waitUntil(lambda: "Scan bin H-06 first" in screen.message.text())
    assert shell.window.feedback.last == "failed"
    scan(qtbot, shell, "H-09")
    qtbot.waitUntil(lambda: "Wrong bin: H-09" in screen.message.text())
    assert PickupOp.RESTOCK not in outbox_types(shell)
    scan(qtbot, shell, "H-06")
    qtbot.waitUntil(lambda: "Bin H-06 checked" in screen.message.text())
    assert "scan each item from bin H-06 back" in screen.detail.step_hint.text()
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(lambda: "Back on the shelf" in screen.message.text())
    assert "0 left" in screen.message.text()
    assert outbox_types(shell)[-1] == PickupOp.RESTOCK
    assert not screen.detail.primary.isEnabled()
    qtbot.waitUntil(lambda: "WEB-UI-303" not in _to_restock(screen))


def test_partial_handover_by_id_check_cancels_the_line_left(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    (a, a_gtin), (b, b_gtin) = items(ui_ledger, 34, 35)
    fid = place(ui_ledger, "WEB-UI-304", [(a, 1), (b, 2)])["fulfilment_orders"][0]["id"]
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    shell.station.pickup.accept(staff, fid)
    for code in (a_gtin, b_gtin, b_gtin):
        shell.station.pickup.pick(staff, fid, code)
    shell.station.pickup.stage(staff, fid, "H-04")
    shell.station.pickup.ready(staff, fid)
    screen = to_pickup_screen(qtbot, shell)

    type_keys(qtbot, "WEB-UI-304")
    qtbot.waitUntil(lambda: state(screen) is S.READY_FOR_PICKUP)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    panel = screen.handover
    qtbot.waitUntil(panel.code_field.hasFocus)
    scan(qtbot, shell, "H-04")
    qtbot.waitUntil(panel.bin_checked)
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(lambda: panel.scanned(a) == 1)
    qtbot.keyClick(focused(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)  # ID check
    qtbot.waitUntil(panel.id_last4.hasFocus)
    type_keys(qtbot, "12AB", enter=False)
    qtbot.keyClick(focused(), Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # the lines
    qtbot.waitUntil(panel.take_list.hasFocus)
    row_b = next(i for i in range(2) if f"({b})" in panel.take_list.item(i).text())
    for _ in range(row_b):
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)  # the customer leaves b behind
    qtbot.waitUntil(panel.reason.isVisible)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # no reason yet: refused
    qtbot.waitUntil(lambda: "Say why" in screen.message.text())
    qtbot.waitUntil(panel.reason.hasFocus)
    for _ in range(3):  # the store's handover reasons: declined, damaged, changed mind
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert panel.reason.currentText() == "Customer changed their mind"
    snap(shell.window, "pickup-handover-partial.png")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: state(screen) is S.COLLECTED)

    assert outbox_types(shell).count(PickupOp.HANDOVER) == 1
    lines = {x.sku: x for x in shell.station.pickup.order(fid).lines}
    assert (lines[a].collected, lines[b].collected, lines[b].cancelled) == (1, 0, 2)
    assert lines[b].restock_due == 2 and lines[b].cancel_reason == "Customer changed their mind"
    assert column(screen, "Collected") == {a: "1", b: "0"}


def _to_restock(screen: PickupScreen) -> dict[str, str]:
    """Order -> bin of the queue's restock group (other tests' orders may be there too:
    they share the ledger's store)."""
    rows = screen.queue.model.rows()
    start = next((i for i, r in enumerate(rows) if r.order.startswith("Restock (")), None)
    if start is None:
        return {}
    group = []
    for row in rows[start + 1 :]:
        if row.fulfilment_id is None:
            break
        group.append(row)
    return {r.order: r.customer for r in group}


def _opened(screen: PickupScreen, number: str) -> bool:
    order = screen.open_order()
    return order is not None and order.summary.order_number == number


def test_another_orders_number_is_no_bin_at_the_handover_or_restock(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    """Bins are the store's configured bins, not a pattern: WEB-0044947 reads like a bin
    label (letters, a dash, digits), and scanning it opens that order."""
    ((a, a_gtin),) = items(ui_ledger, 37)
    ready = place(ui_ledger, "WEB-0044947", [(a, 1)])
    cancelled = place(ui_ledger, "WEB-0044948", [(a, 1)])["fulfilment_orders"][0]["id"]
    place(ui_ledger, "WEB-0044949", [(a, 1)])
    shell.station.sync.sync_once()
    staff = shell.station.auth.login_pin("A100", "1111")
    for fid, bin_code in ((ready["fulfilment_orders"][0]["id"], "H-07"), (cancelled, "H-08")):
        shell.station.pickup.accept(staff, fid)
        shell.station.pickup.pick(staff, fid, a_gtin)
        shell.station.pickup.stage(staff, fid, bin_code)
    shell.station.pickup.ready(staff, ready["fulfilment_orders"][0]["id"])
    shell.station.pickup.cancel(staff, cancelled, "customer called")
    screen = to_pickup_screen(qtbot, shell)

    scan(qtbot, shell, ready["pickup_qr"])
    qtbot.waitUntil(lambda: screen.right.currentWidget() is screen.handover)
    scan(qtbot, shell, "H-09")  # a bin of the store, not this order's: still a wrong bin
    qtbot.waitUntil(lambda: "Wrong bin: H-09" in screen.message.text())
    scan(qtbot, shell, "WEB-0044948")  # another order's number at the handover
    qtbot.waitUntil(lambda: _opened(screen, "WEB-0044948"))
    assert screen.right.currentWidget() is screen.detail
    assert "scan bin H-08 first" in screen.detail.step_hint.text()
    assert shell.window.feedback.last == "ok"

    scan(qtbot, shell, "WEB-0044949")  # another order's number at the restock step
    qtbot.waitUntil(lambda: _opened(screen, "WEB-0044949"))
    assert "Wrong bin" not in screen.message.text()
    assert shell.window.feedback.last == "ok"
    assert PickupOp.RESTOCK not in outbox_types(shell)
