"""The bench's open ship order says where its parcels are, as the carrier last told the
ledger: delivered (with the day), or no word yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.storage.engine import raw_connection
from app.ui.screens.bench.queue import BenchQueueScreen
from tests.support.ship_rows import ship_row, store_pulled
from tests.ui.conftest import Shell, focused, log_in

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

SSCC = "089012340000000047"


def _parcel(**tracking: object) -> dict[str, object]:
    return {"sscc": SSCC, "lines": [["SKU-0001", 1]], "void": False, "box": "BOX-S",
            "weight_g": 600, "carrier": "DLV", "tracking": "SW0000000009", **tracking}  # fmt: skip


def _open(qtbot: QtBot, shell: Shell, number: str) -> BenchQueueScreen:
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    screen = shell.window.current_screen()
    assert isinstance(screen, BenchQueueScreen)
    qtbot.keyClicks(focused(), number)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    return screen


def test_an_open_order_says_its_parcel_was_delivered_and_when(qtbot: QtBot, shell: Shell) -> None:
    now = datetime.now(UTC)
    delivered = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    rows = [
        ship_row(9201, "WEB-ST0001", ship_by=now + timedelta(hours=4), created_at=now,
                 state="packed", parcels=[_parcel(state="delivered",
                                                  delivered_at=delivered.isoformat())]),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), rows)

    screen = _open(qtbot, shell, "WEB-ST0001")

    assert screen.order.tracking.text() == f"Parcel {SSCC}: delivered on 06 Dec 2026"


def test_an_open_order_without_word_from_the_carrier_says_so(qtbot: QtBot, shell: Shell) -> None:
    now = datetime.now(UTC)
    rows = [
        ship_row(9202, "WEB-ST0002", ship_by=now + timedelta(hours=4), created_at=now,
                 state="packed", parcels=[_parcel()]),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), rows)

    screen = _open(qtbot, shell, "WEB-ST0002")

    assert screen.order.tracking.text() == "No word from the carrier yet"
