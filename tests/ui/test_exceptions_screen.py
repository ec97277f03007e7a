"""The exceptions screen lists an operation the ledger rejected, and resolves it with a note."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.station import Station
from app.ui.screens.exceptions import ExceptionsScreen
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.ui.conftest import enrol_station, focused, log_in, open_shell, type_keys

SKU = "HOM-00012"


@pytest.fixture
def rejected_station(ui_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A station of its own whose count the ledger rejected (the SKU changed centrally)."""
    station = enrol_station(ui_ledger, tmp_path / "own")
    lead = station.auth.login_pin("L200", "2222")
    count_settled(station.stock, lead, SKU, 4)
    ui_ledger.sql("UPDATE items SET sku = :new WHERE sku = :old", {"new": "RENAMED", "old": SKU})
    try:
        station.sync.sync_once()
    finally:
        ui_ledger.sql(
            "UPDATE items SET sku = :old WHERE sku = :new", {"new": "RENAMED", "old": SKU}
        )
    assert station.status.status().open_exceptions >= 1
    yield station
    station.close()


def test_rejected_count_is_listed_and_resolved(qtbot: QtBot, rejected_station: Station) -> None:
    with open_shell(qtbot, rejected_station) as shell:
        log_in(qtbot, shell, "L200", "2222")
        qtbot.keyClick(focused(), Qt.Key.Key_F2)
        screen = shell.window.current_screen()
        assert isinstance(screen, ExceptionsScreen)
        qtbot.waitUntil(lambda: screen.model.rowCount() >= 1)

        row = screen.model.row_at(0)
        assert row.key.startswith("op:")
        assert screen.model.index(0, 1).data() == row.title
        assert screen.row_title.text() == row.title
        assert "not in the catalog" in screen.row_detail.text()
        assert screen.row_next.text() == row.next_step != ""
        assert screen.summary.text() == f"{screen.model.rowCount()} open"

        screen.note.setFocus()
        type_keys(qtbot, "Checked the shelf label; SKU changed centrally")
        qtbot.waitUntil(lambda: screen.message.tone() == "ok")
        assert row.title in screen.message.text()
        assert "saved at this station" in screen.message.text()  # a refused op stays local
        qtbot.waitUntil(lambda: row.key not in [r.key for r in screen.model.rows()])


def test_resolving_needs_a_note(qtbot: QtBot, rejected_station: Station) -> None:
    with open_shell(qtbot, rejected_station) as shell:
        log_in(qtbot, shell, "L200", "2222")
        shell.window.show_screen(1)
        screen = shell.window.current_screen()
        assert isinstance(screen, ExceptionsScreen)
        qtbot.waitUntil(lambda: screen.model.rowCount() >= 1)
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
        assert screen.message.tone() == "error"
        assert "note" in screen.message.text()
        assert screen.model.rowCount() >= 1
