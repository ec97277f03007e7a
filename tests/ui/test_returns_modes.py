"""The returns screen's two modes, by keys and wedge scans only, on a real station cache:
a return without a receipt (offline, nothing found: Ctrl+N, the customer's phone, each
item scanned and graded, Ctrl+Enter and a manager's code and PIN; a wrong PIN refused with
words, the approved one recorded in the outbox with no order; what the customer has left
said once the phone is keyed, offline and online); and units put away by scan
(Ctrl+B: the RMA label, then the bin; Esc leaves); both fit 1024 x 768."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication

from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE
from app.domain.returns.put_away import RETURN_PUT_AWAY
from app.services.results import StaffSession
from app.services.returns.no_receipt_room import OFFLINE
from app.services.returns.results import ManagerApproval, ReturnTaken, UnitToTake
from app.services.returns.words import NO_RECEIPT
from app.services.station import Station
from app.storage import outbox
from app.ui.screens.returns.manager_dialog import ManagerDialog
from app.ui.screens.returns.screen import ReturnsScreen
from app.ui.screens.returns.steps import NOTHING_FOUND, Step
from tests.support.ledger import RunningLedger
from tests.ui.conftest import Shell, focused, type_keys
from tests.ui.pickup_support import catalog_items
from tests.ui.test_keyboard_reach_bench import dialog_misfits
from tests.ui.test_returns_screen import _key, _scan, online, open_returns
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

CTRL = Qt.KeyboardModifier.ControlModifier
PHONE = "98450 12345"


def _queued(station: Station, op_type: str) -> list[dict[str, object]]:
    with station.db.reading() as session:
        return [op.payload for op in outbox.pending_batch(session, 50) if op.type == op_type]


def _manager(qtbot: QtBot, screen: ReturnsScreen, code: str, pin: str) -> None:
    """Ctrl+Enter, then the manager's code and PIN keyed into the dialog."""
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ManagerDialog))
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ManagerDialog) and dialog is screen.no_receipt.dialog
    assert screen.step is Step.APPROVING
    qtbot.waitUntil(dialog.code.hasFocus)
    type_keys(qtbot, code)
    assert dialog.pin.hasFocus()
    type_keys(qtbot, pin)


def _no_receipt_units(qtbot: QtBot, shell: Shell, ledger: RunningLedger) -> ReturnsScreen:
    """Offline, nothing found, Ctrl+N, the phone, and two items scanned and graded."""
    (k_sku, k_gtin, k_name), (_, m_gtin, m_name) = catalog_items(ledger, 29, 20)
    online(shell.station, False)
    screen = open_returns(qtbot, shell)
    assert _scan(qtbot, shell, screen, "WEB-404404") == f"refused: {NO_RECEIPT}"
    assert "(Ctrl+N)" in NO_RECEIPT and screen.step_line.text() == NOTHING_FOUND
    qtbot.keyClick(focused(), Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: screen.step is Step.PHONE)
    assert screen.search.hasFocus() and screen.search.text() == ""
    type_keys(qtbot, "98450")  # too short: said, and typed again
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert "10-digit mobile number" in screen.message.text() and screen.step is Step.PHONE
    type_keys(qtbot, PHONE)
    qtbot.waitUntil(lambda: screen.step is Step.LOOSE)
    assert screen.step_line.text() == "No receipt: scan each item coming back."
    assert screen.heading.text().startswith("Return without a receipt · customer ••2345")
    qtbot.waitUntil(lambda: OFFLINE[:-1] in screen.message.text())  # never waited for
    assert screen.message.text() == (
        "No receipt: scan each item coming back. Offline: only this counter's returns count "
        "toward the limit: ₹5,000.00 of ₹5,000.00 left."
    )

    said = _scan(qtbot, shell, screen, k_gtin)
    assert said.startswith(f"{k_name} ({k_sku}), ₹") and said.endswith(": grade it.")
    assert screen.step is Step.GRADE and screen.step_line.text().startswith(f"Grade {k_name}:")
    _key(qtbot, screen, "b", Step.REASON)
    _key(qtbot, screen, "2", Step.LOOSE)
    assert screen.message.text() == f"{k_name}: B opened, to open-box stock, Wrong size or fit."
    said = _scan(qtbot, shell, screen, "NOT-AN-ITEM-1")
    assert said.startswith("refused: NOT-AN-ITEM-1 is not an item of this store's catalog.")
    _scan(qtbot, shell, screen, m_gtin)
    _key(qtbot, screen, "a", Step.REASON)
    _key(qtbot, screen, "1", Step.LOOSE)
    assert screen.step_line.text() == (
        "No receipt: scan the next item, or Ctrl+Enter for the manager's approval (2 units)."
    )
    assert f"2. A new → shelf · {m_name} · " in screen.taken.text()
    assert "Refund due: ₹" in screen.refund.text()
    assert "Offline: only this counter's returns count" in screen.refund.text()  # still in view
    return screen


def test_a_return_without_a_receipt_needs_a_manager_and_is_queued_with_no_order(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    screen = _no_receipt_units(qtbot, shell, ui_ledger)
    screen.no_receipt.asking = True  # as while the ledger's answer is still on its way
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert screen.message.text().startswith("A moment: the ledger is still saying what")
    assert screen.step is Step.LOOSE and screen.no_receipt.dialog is None  # no manager yet
    screen.no_receipt.asking = False
    shell.window.feedback.last = ""
    _manager(qtbot, screen, "M300", "9999")
    qtbot.waitUntil(lambda: screen.step is Step.LOOSE and screen.message.tone() == "error")
    assert screen.message.text().startswith("Wrong staff code or PIN.\nTry again (")
    assert shell.window.feedback.last == "failed"  # the double beep
    assert len(screen.no_receipt.units) == 2 and _queued(station, RETURN_INTAKE) == []
    qtbot.waitUntil(screen.step_line.hasFocus)

    _manager(qtbot, screen, "M300", "3333")
    qtbot.waitUntil(lambda: screen.last_taken is not None)
    taken = screen.last_taken
    assert taken is not None and taken.order_number == "" and taken.units == 2
    assert screen.message.text().startswith("Return saved. Credit note "), screen.message.text()
    assert screen.step is Step.FIND and screen.search.hasFocus()
    assert screen.body.last.text().startswith("Last return: no receipt · 2 units · ₹")
    (queued,) = _queued(station, RETURN_INTAKE)
    assert queued["order"] is None and queued["customer_phone"] == "9845012345"
    assert queued["return_id"] == taken.return_id
    assert len(taken.rma_ids) == 2


def _taken_without_order(station: Station, ledger: RunningLedger) -> tuple[ReturnTaken, str]:
    """A return without a receipt taken at this counter's service, one unit, open box;
    and its SKU."""
    ((sku, gtin, _),) = catalog_items(ledger, 20)
    a100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
    unit = UnitToTake(gtin, Grade.B, Disposition.OPEN_BOX, "wrong_size")
    approval = ManagerApproval("M300", "3333")
    return station.returns.take_without_order([unit], "+91 98450 54321", approval, a100), sku


def test_a_returned_unit_is_put_away_by_its_rma_label_and_a_bin(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    taken, sku = _taken_without_order(station, ui_ledger)
    (rma,) = taken.rma_ids
    screen = open_returns(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_B, CTRL)
    qtbot.waitUntil(lambda: screen.step is Step.PUT_RMA)
    assert screen.step_line.text().startswith("Put away: scan the RMA label, then the bin")
    said = _scan(qtbot, shell, screen, rma)
    assert said == f"{rma}: now scan the bin it goes into." and screen.step is Step.PUT_BIN
    assert screen.step_line.text().startswith(f"Put away {rma}: now scan the bin")
    said = _scan(qtbot, shell, screen, "ZZ-01")
    assert said.startswith("refused: ZZ-01 is not a bin of this store")
    assert screen.step is Step.PUT_BIN  # the label is kept: another bin
    said = _scan(qtbot, shell, screen, "Q-01")
    assert said == f"{rma} put in Q-01 (open-box stock). Scan the next unit's RMA label."
    assert screen.step is Step.PUT_RMA
    assert screen.taken.text() == f"{rma} → Q-01 · {sku} · open-box stock"
    (put,) = _queued(station, RETURN_PUT_AWAY)
    assert put["rma_id"] == rma and put["bin"] == "Q-01"
    said = _scan(qtbot, shell, screen, f"{rma}9")
    assert said == f"{rma}9: now scan the bin it goes into."
    said = _scan(qtbot, shell, screen, "Q-02")
    assert said.startswith(f"refused: {rma}9 is not a returned unit taken in at this station.")
    assert screen.step is Step.PUT_RMA

    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert screen.step is Step.FIND and screen.search.hasFocus()
    assert screen.message.text() == "Put-away closed: 1 unit put away."


def test_online_the_phone_keyed_says_what_is_left_for_the_customer_at_every_store(
    qtbot: QtBot, shell: Shell, station: Station, ui_ledger: RunningLedger
) -> None:
    ((_, gtin, _),) = catalog_items(ui_ledger, 29)  # this file's; a unit back moves no count here
    a100 = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))
    unit = UnitToTake(gtin, Grade.B, Disposition.OPEN_BOX, "wrong_size", 100_000)
    phone = "98450 67676"
    station.returns.take_without_order([unit], phone, ManagerApproval("M300", "3333"), a100)
    online(station, True)
    screen = open_returns(qtbot, shell)

    qtbot.keyClick(focused(), Qt.Key.Key_N, CTRL)
    qtbot.waitUntil(lambda: screen.step is Step.PHONE)
    type_keys(qtbot, phone)
    qtbot.waitUntil(lambda: screen.step is Step.LOOSE)

    qtbot.waitUntil(lambda: "every store" in screen.message.text())
    assert screen.message.text() == (
        "No receipt: scan each item coming back. ₹4,000.00 of the ₹5,000.00 limit left for "
        "this customer (30 days, every store)."
    )
    assert "₹4,000.00 of the ₹5,000.00 limit left" in screen.refund.text()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_a_return_without_a_receipt_and_its_dialog_fit_the_window(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger, size: QSize
) -> None:
    opened(qtbot, shell, size)
    screen = _no_receipt_units(qtbot, shell, ui_ledger)
    fullest(shell.window)
    assert misfits(shell.window, size) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.no_receipt.dialog is not None)
    dialog = screen.no_receipt.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog_misfits(dialog, size) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # not approved: the units stay
    qtbot.waitUntil(lambda: screen.step is Step.LOOSE)
    assert len(screen.no_receipt.units) == 2
    qtbot.waitUntil(screen.step_line.hasFocus)
