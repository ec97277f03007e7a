"""Picking at the counter by keys only: a quantity keyed before the scan is one step, and
a wrong item is refused with the failure beep and a message naming it and what is needed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, scan, type_keys
from tests.ui.pickup_support import (
    catalog_items,
    pick_payloads,
    place,
    says,
    state,
    to_pickup_screen,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
NUMBER = "WEB-UI-311"


def test_a_keyed_quantity_picks_in_one_step_and_a_wrong_item_is_refused(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    (a, a_gtin, a_name), (b, _, b_name), (c, c_gtin, c_name) = catalog_items(ui_ledger, 43, 44, 45)
    place(ui_ledger, NUMBER, [(a, 3), (b, 1)])
    shell.station.sync.sync_once()
    screen = to_pickup_screen(qtbot, shell)
    type_keys(qtbot, NUMBER)
    qtbot.waitUntil(lambda: state(screen) is S.ROUTED)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Accept
    qtbot.waitUntil(lambda: state(screen) is S.ACCEPTED)
    assert "key 3* first for 3 units" in screen.detail.step_field.placeholderText()

    scan(qtbot, shell, c_gtin)  # an item of the catalog that is not in the order
    qtbot.waitUntil(partial(says, screen, "Wrong item:"))
    said = screen.message.text()
    assert f"Wrong item: {c_name} ({c}) is not in order {NUMBER}." in said
    assert "It needs " in said and f"3 × {a_name}" in said and f"1 × {b_name}" in said
    assert screen.message.tone() == "error"
    assert shell.window.feedback.last == "failed"  # scan_failed: the double beep
    assert pick_payloads(shell) == []

    # "3*" keyed by hand, then the scanner: the quick "*" may land in the burst, the
    # quantity is read from the field either way, and the scan is still a scan.
    type_keys(qtbot, "3*", enter=False)
    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(partial(says, screen, f"Picked 3 × {a_name}. 3 of 4 units picked."))
    assert shell.window.feedback.last == "ok"
    assert screen.detail.step_field.text() == ""
    assert [p["lines"] for p in pick_payloads(shell)] == [[{"sku": a, "quantity": 3}]]

    type_keys(qtbot, f"2x {b}")  # keyed by hand, more than the order needs
    qtbot.waitUntil(partial(says, screen, f"Only 1 more of {b_name} ({b}) is to be picked"))
    assert "not 2" in screen.message.text() and "Scan it once" in screen.message.text()
    assert len(pick_payloads(shell)) == 1

    type_keys(qtbot, f"1X {b.lower()}")
    qtbot.waitUntil(lambda: state(screen) is S.PICKED)
    assert "4 of 4 units picked" in screen.message.text()
    assert len(pick_payloads(shell)) == 2
