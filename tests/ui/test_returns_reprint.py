"""F8 on Returns reprints the last return taken: its credit note and RMA labels print
again and are recorded as reprints; before any return, F8 says there is none yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.returns.sold import SoldLine, SoldOrder
from app.services.station import Station
from app.ui.screens.returns.steps import Step
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused
from tests.ui.pickup_support import catalog_items
from tests.ui.test_returns_screen import _key, _scan, keep, open_returns

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = datetime.now(UTC).date()


def test_f8_after_a_return_reprints_its_credit_note_and_labels(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    ((sku, code, name),) = catalog_items(ui_ledger, 27)
    line = SoldLine(1, sku, code, name, 1, 34900, "6912", 1200)
    order = SoldOrder("WEB-2718", "web", TODAY - timedelta(days=9), "BLR-01", (line,),
                      delivered_on=TODAY - timedelta(days=6), location_state="KA",
                      payment="card", customer="Asha ••2345")  # fmt: skip
    keep(station, order)
    screen = open_returns(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    assert screen.message.tone() == "error"
    assert screen.message.text().startswith("No return was taken here yet")

    _scan(qtbot, shell, screen, "WEB-2718")
    _scan(qtbot, shell, screen, code)
    _key(qtbot, screen, "a", Step.REASON)
    _key(qtbot, screen, "1", Step.SCAN)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.last_taken is not None)
    taken = screen.last_taken
    assert taken is not None and taken.credit_note and len(taken.rma_ids) == 1

    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.message.text().startswith("Reprint of "))

    said = screen.message.text()
    assert said.startswith(f"Reprint of credit note {taken.credit_note}: The credit note: ")
    assert "1 RMA label" in said
    assert screen.message.tone() == "ok"
    assert station.printing is not None
    for reference in (taken.credit_note, *taken.rma_ids):
        assert [j.reprint for j in station.printing.history(reference)] == [False, True]
    assert screen.step is Step.FIND and screen.search.hasFocus()
