"""The Exceptions screen: one row per cause in shop words, Enter opens the order or item,
Tab reaches the note and Resolve, only leads and managers see Resolve, F2 and the status
bar show the open count; it fits at 1024×768 and 1366×768."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from pytestqt.qtbot import QtBot

from app.services.station import Station
from app.ui.screens.exceptions import ExceptionsScreen
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.theme import MIN_TOUCH_PX
from tests.ledger.pickup_support import admin
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.ui.conftest import Shell, enrol_station, focused, log_in, open_shell, type_keys
from tests.ui.pickup_support import items, place, snap
from tests.ui.test_window_fit import misfits, opened

SKU = "HOM-00012"
CANCELLED = "WEB-UI-801"


@pytest.fixture(scope="module")
def own_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """A tiny ledger of these tests' own: the refusals, renamed SKUs and cancelled orders
    made here leave nothing (no put-back task, no open exception) for the other GUI tests."""
    root = tmp_path_factory.mktemp("exceptions-ledger")
    yield from tiny_ledger(root / "ledger", f"sqlite:///{root / 'ledger.sqlite3'}")


@pytest.fixture
def rejected_station(own_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A station of its own whose count the ledger rejected (the SKU changed centrally)."""
    station = enrol_station(own_ledger, tmp_path / "own")
    lead = station.auth.login_pin("L200", "2222")
    station.stock.count(lead, SKU, 9)
    own_ledger.sql("UPDATE items SET sku = :new WHERE sku = :old", {"new": "RENAMED", "old": SKU})
    try:
        station.sync.sync_once()
    finally:
        own_ledger.sql(
            "UPDATE items SET sku = :old WHERE sku = :new", {"new": "RENAMED", "old": SKU}
        )
    assert station.status.status().open_exceptions >= 1
    yield station
    station.close()


@pytest.fixture(scope="module")
def cancelled_meanwhile(
    own_ledger: RunningLedger, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Station]:
    """A station that accepted, picked and staged an order offline while the ledger
    cancelled it: its acceptance and staging come back refused (issue 8, section 6)."""
    station = enrol_station(own_ledger, tmp_path_factory.mktemp("cancelled") / "own")
    (a, a_gtin), (b, b_gtin) = items(own_ledger, 26, 27)
    fid = place(own_ledger, CANCELLED, [(a, 1), (b, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    admin(own_ledger, f"/orders/{CANCELLED}/cancel", {"reason": "customer called"})
    associate = station.auth.login_pin("A100", "1111")
    station.pickup.accept(associate, fid)  # the station has not heard of the cancel
    station.pickup.pick(associate, fid, a_gtin)
    station.pickup.pick(associate, fid, b_gtin)
    station.pickup.stage(associate, fid, "H-08")
    station.sync.sync_once()
    yield station
    station.close()


def to_exceptions(qtbot: QtBot, shell: Shell, code: str, pin: str) -> ExceptionsScreen:
    log_in(qtbot, shell, code, pin)
    qtbot.keyClick(focused(), Qt.Key.Key_F2)
    screen = shell.window.current_screen()
    assert isinstance(screen, ExceptionsScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() >= 1)
    return screen


def test_an_order_cancelled_meanwhile_is_one_row_and_enter_opens_it(
    qtbot: QtBot, cancelled_meanwhile: Station
) -> None:
    with open_shell(qtbot, cancelled_meanwhile) as shell:
        screen = to_exceptions(qtbot, shell, "L200", "2222")
        assert screen.model.rowCount() == 1  # the acceptance and the staging: one cause
        shown = [screen.model.index(0, c).data() for c in range(3)]
        assert shown[:2] == ["Cancelled while you worked on it", CANCELLED]
        assert shown[2].endswith(" s") or shown[2].endswith(" min")
        what = screen.detail.what.text()
        assert f"Order {CANCELLED} was cancelled" in what and "fulfilment" not in what
        assert "Put back on the shelf anything picked" in screen.detail.next_step.text()
        assert "try again" not in screen.detail.next_step.text()
        assert screen.summary.text() == "1 open"

        qtbot.waitUntil(lambda: shell.window.last_status is not None)
        shell.window.refresh_status()
        qtbot.waitUntil(lambda: shell.window.status.exceptions.text() == "1 exception")
        assert shell.window.nav.button(1).text() == "F2  Exceptions  1"

        assert screen.view.hasFocus()
        qtbot.keyClick(screen.view, Qt.Key.Key_Return)
        pickup = shell.window.current_screen()
        assert isinstance(pickup, PickupScreen)
        qtbot.waitUntil(lambda: pickup.open_order() is not None)
        order = pickup.open_order()
        assert order is not None and order.summary.order_number == CANCELLED


def test_tab_goes_list_note_resolve_and_back(qtbot: QtBot, cancelled_meanwhile: Station) -> None:
    with open_shell(qtbot, cancelled_meanwhile) as shell:
        screen = to_exceptions(qtbot, shell, "L200", "2222")
        assert screen.view.hasFocus()
        seen = []
        for _ in range(3):
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            seen.append(focused())
        assert seen == [screen.note, screen.resolve_button, screen.view]
        qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
        assert focused() is screen.resolve_button


def test_an_associate_sees_no_resolve(qtbot: QtBot, cancelled_meanwhile: Station) -> None:
    with open_shell(qtbot, cancelled_meanwhile) as shell:
        screen = to_exceptions(qtbot, shell, "A100", "1111")
        assert not screen.resolve_button.isVisible() and not screen.note.isVisible()
        assert screen.detail.not_yours.isVisible()
        assert "lead or manager" in screen.detail.not_yours.text()


def test_rejected_count_is_listed_opened_and_resolved(
    qtbot: QtBot, rejected_station: Station
) -> None:
    with open_shell(qtbot, rejected_station) as shell:
        screen = to_exceptions(qtbot, shell, "L200", "2222")
        row = screen.model.row_at(0)
        assert row.key.startswith("op:") and row.sku == SKU
        assert screen.model.index(0, 0).data() == row.title == "Count not recorded"
        assert SKU in screen.model.index(0, 1).data()
        assert screen.detail.title.text() == row.title
        assert "not in the catalog" in screen.detail.what.text()
        assert screen.detail.next_step.text() == row.next_step != ""

        qtbot.keyClick(screen.view, Qt.Key.Key_Return)  # Enter opens the item
        lookup = shell.window.current_screen()
        assert isinstance(lookup, StockLookupScreen)
        qtbot.waitUntil(lambda: lookup.shown_item() is not None)
        shown = lookup.shown_item()
        assert shown is not None and shown.item.sku == SKU

        qtbot.keyClick(focused(), Qt.Key.Key_F2)
        qtbot.waitUntil(lambda: screen.model.rowCount() >= 1)
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
        assert screen.note.hasFocus()
        type_keys(qtbot, "Checked the shelf label; SKU changed centrally")
        qtbot.waitUntil(lambda: screen.message.tone() == "ok")
        assert row.title in screen.message.text()
        assert "saved at this station" in screen.message.text()  # a refused op stays local
        qtbot.waitUntil(lambda: row.key not in [r.key for r in screen.model.rows()])


def test_resolving_needs_a_note(qtbot: QtBot, rejected_station: Station) -> None:
    with open_shell(qtbot, rejected_station) as shell:
        screen = to_exceptions(qtbot, shell, "L200", "2222")
        qtbot.mouseClick(screen.resolve_button, Qt.MouseButton.LeftButton)
        assert screen.message.tone() == "error"
        assert "note" in screen.message.text()
        assert screen.model.rowCount() >= 1


@pytest.mark.parametrize("size", [(1024, 768), (1366, 768)])
def test_it_fits_the_screen(
    qtbot: QtBot, cancelled_meanwhile: Station, size: tuple[int, int]
) -> None:
    with open_shell(qtbot, cancelled_meanwhile) as shell:
        screen = to_exceptions(qtbot, shell, "L200", "2222")
        opened(qtbot, shell, QSize(*size))  # the whole window, status bar and all
        assert misfits(shell.window, QSize(*size)) == []
        qtbot.waitUntil(lambda: screen.detail.what.text().startswith("Order"))
        header = screen.view.horizontalHeader()
        widths = [header.sectionSize(c) for c in range(3)]
        title_px = screen.view.fontMetrics().horizontalAdvance(screen.model.index(0, 0).data())
        assert widths[0] >= title_px  # the title column shows its title whole
        assert sum(widths) <= screen.view.viewport().width() + 1  # nothing off the side
        for widget in (screen.detail.what, screen.detail.next_step, screen.note):
            assert widget.isVisible() and widget.width() >= 200
            top_left = widget.mapTo(screen, widget.rect().topLeft())
            assert top_left.y() + widget.height() <= screen.height()
        bottom = screen.resolve_button.mapTo(screen, screen.resolve_button.rect().bottomRight())
        assert screen.rect().contains(bottom)
        assert screen.resolve_button.isVisible()
        assert screen.view.height() >= header.height() + 3 * MIN_TOUCH_PX  # three rows show
        snap(shell.window, f"exceptions-{size[0]}x{size[1]}.png")
