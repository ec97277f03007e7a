"""The bench's pick/pack queue, driven by keys and scans only: a bench station opens on
it, the ship orders come by promise and cut-off with those that will miss the cut-off
marked in red and in words and those late for their promise in amber and in words, ↑ ↓
and Enter open one (its lines, address, payment and why this store), Esc goes back,
Alt+A gives it to a picker or to nobody (a ship.assign for the ledger), and a scan
typed as a USB wedge types it opens an order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush
from sqlalchemy import text

from app.services.station import Station, build_station
from app.storage.engine import raw_connection
from app.ui.screens.bench.picker_dialog import NOBODY
from app.ui.screens.bench.queue import BenchQueueScreen
from app.ui.screens.stock_lookup import StockLookupScreen
from app.ui.theme import ERROR, WARN
from tests.support.ship_rows import ADDRESS, ship_row, store_pulled
from tests.ui.conftest import STORE, Shell, focused, log_in, open_shell, scan
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pathlib import Path

    from pytestqt.qtbot import QtBot

    from tests.support.ledger import RunningLedger

M = timedelta(minutes=1)
D = timedelta(days=1)
LEAVES_BY, PROMISED = 3, 4  # columns of the queue


def _orders(station: Station) -> list[dict[str, Any]]:
    """Four ship orders, by promise: one past its cut-off and so late for its promise, one
    packed in time, one too close to its cut-off yet in time for its promise, one in time."""
    now = datetime.now(UTC)
    today = now.astimezone(station.ship_queue.queue().zone).date()  # the store's day
    rows = [
        ship_row(9101, "WEB-SQ0001", ship_by=now + 240 * M, created_at=now - 30 * M,
                 promised_by=today + 3 * D, transit_days=2),
        ship_row(9102, "WEB-SQ0002", ship_by=now - 5 * M, created_at=now - 300 * M,
                 units=(2, 1), promised_by=today + D, transit_days=1),
        ship_row(9103, "WEB-SQ0003", ship_by=now + 15 * M, created_at=now - 120 * M,
                 state="picked", payment="cod", cod_minor=149700,
                 promised_by=today + 2 * D, transit_days=1),
        ship_row(9104, "WEB-SQ0004", ship_by=now + 14 * M, created_at=now - 90 * M,
                 state="packed", promised_by=today + D, transit_days=1),
    ]  # fmt: skip
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
    return rows


def _to_queue(qtbot: QtBot, shell: Shell) -> BenchQueueScreen:
    """Log in and press F4: the queue read, the cursor on its first row."""
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    screen = shell.window.current_screen()
    assert isinstance(screen, BenchQueueScreen)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0 and screen.view.hasFocus())
    return screen


def _column(screen: BenchQueueScreen, col: int) -> list[str]:
    """A column of the test's own orders (the shared ledger's store may hold others)."""
    model = screen.model
    ours = [r for r in range(model.rowCount()) if model.row_at(r).order_number.startswith("WEB-SQ")]
    return [str(model.index(r, col).data()) for r in ours]


@pytest.fixture
def bench_station(ui_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A station of the test store enrolled as a packing bench."""
    station = build_station(tmp_path / "bench")
    code = ui_ledger.enrol_code(STORE, "bench")  # the ledger's code says what it enrols
    station.enrolment.enrol(ui_ledger.url, code, "Bench 1", "bench")
    yield station
    station.close()


def test_a_bench_station_opens_on_the_queue_and_a_counter_as_before(
    qtbot: QtBot, bench_station: Station, station: Station
) -> None:
    with open_shell(qtbot, bench_station) as shell:
        qtbot.waitUntil(lambda: shell.window.last_status is not None)
        log_in(qtbot, shell)
        screen = shell.window.current_screen()
        assert isinstance(screen, BenchQueueScreen)
        qtbot.waitUntil(screen.view.hasFocus)
        qtbot.waitUntil(lambda: screen.shown_queue() is not None)
        assert screen.summary.text()  # the shared ledger's store may have ship orders
    with open_shell(qtbot, station) as shell:
        qtbot.waitUntil(lambda: shell.window.last_status is not None)
        log_in(qtbot, shell)
        assert isinstance(shell.window.current_screen(), StockLookupScreen)


def test_the_queue_comes_by_promise_and_cut_off_with_the_late_ones_marked_in_words(
    qtbot: QtBot, shell: Shell
) -> None:
    rows = _orders(shell.station)
    screen = _to_queue(qtbot, shell)
    assert _column(screen, 0) == ["WEB-SQ0002", "WEB-SQ0004", "WEB-SQ0003", "WEB-SQ0001"]
    assert _column(screen, 1) == ["3", "1", "1", "1"]
    leaves = _column(screen, LEAVES_BY)
    assert leaves[0].startswith("⚠ ") and leaves[0].endswith(" missed")
    assert leaves[2].startswith("⚠ ") and leaves[2].endswith(" will miss")
    assert "⚠" not in leaves[1] + leaves[3], "packed, or in time: no mark"
    assert _column(screen, 6) == ["To pick", "Packed", "To pack", "To pick"]
    red = screen.model.index(0, LEAVES_BY).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(red, QBrush) and red.color().name() == ERROR
    assert screen.model.index(3, LEAVES_BY).data(Qt.ItemDataRole.ForegroundRole) is None
    promised = _column(screen, PROMISED)
    day = date.fromisoformat(rows[1]["promised_by"])  # WEB-SQ0002's
    assert promised[0] == f"⚠ late: {day.day} {day:%b}"
    assert "⚠" not in "".join(promised[1:]), "in time for the promise: no mark"
    amber = screen.model.index(0, PROMISED).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(amber, QBrush) and amber.color().name() == WARN
    assert screen.model.index(3, PROMISED).data(Qt.ItemDataRole.ForegroundRole) is None
    summary = screen.summary.text()
    assert "2 will miss their cut-off" in summary and summary.count("⚠") == 2, summary
    assert summary.endswith("⚠ 1 late for promise"), summary
    assert screen.next_line.text().startswith("↑ ↓ choose an order · Enter opens it")


def test_arrows_and_enter_open_an_order_and_esc_goes_back(qtbot: QtBot, shell: Shell) -> None:
    _orders(shell.station)
    screen = _to_queue(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    order = screen.open_order()
    assert order is not None and order.summary.order_number == "WEB-SQ0003"
    panel = screen.order
    assert panel.heading.text().startswith("WEB-SQ0003 · To pack · leaves by ⚠")
    assert panel.payment.text() == "Cash on delivery: collect ₹1,497.00"
    assert ADDRESS["pincode"] in panel.address.text()
    assert panel.carrier.text() == "DLV Surface"
    assert panel.picker.text() == "Nobody yet: Alt+A gives it"
    assert panel.why.text().startswith("Nearest store with stock")
    assert screen.next_line.text().startswith("Next: pack it into a parcel")
    assert panel.lines_view.hasFocus()
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)
    assert screen.open_order() is None
    assert screen.view.hasFocus() and screen.chosen() is not None
    assert screen.chosen().order_number == "WEB-SQ0003"  # type: ignore[union-attr]


def test_a_wedge_scan_opens_its_order_and_an_unknown_one_double_beeps(
    qtbot: QtBot, shell: Shell
) -> None:
    _orders(shell.station)
    screen = _to_queue(qtbot, shell)
    scan(qtbot, shell, "WEB-SQ0001")  # Shift pressed before each capital, as a wedge does
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    order = screen.open_order()
    assert order is not None and order.summary.order_number == "WEB-SQ0001"
    assert shell.window.feedback.last == "ok"
    assert screen.chosen() is not None and screen.chosen().fulfilment_id == 9101  # type: ignore[union-attr]
    scan(qtbot, shell, "WEB-SQ9999")
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert shell.window.feedback.last == "failed"
    assert "No ship order WEB-SQ9999 here" in screen.message.text()
    order = screen.open_order()
    assert order is not None and order.summary.order_number == "WEB-SQ0001"  # still open


def test_typing_on_the_queue_goes_to_find_and_enter_opens_that_order(
    qtbot: QtBot, shell: Shell
) -> None:
    _orders(shell.station)
    screen = _to_queue(qtbot, shell)
    for ch in "web-sq0004":
        qtbot.keyClick(focused(), ch)
    assert screen.search.hasFocus() and screen.search.text() == "web-sq0004"
    assert screen.chosen() is not None and screen.chosen().order_number == "WEB-SQ0002"  # type: ignore[union-attr]
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    assert screen.order.heading.text().startswith("WEB-SQ0004 · Packed")
    assert screen.next_line.text().startswith("Next: hand the parcel to the carrier")


def _assign_ops(station: Station) -> list[tuple[str, str, str | None]]:
    """(picker, status, actor) of the ship.assign ops in the outbox, in order."""
    with station.db.reading() as session:
        rows = session.execute(
            text(
                "SELECT json_extract(payload, '$.picker'), status, actor FROM outbox "
                "WHERE type = 'ship.assign' ORDER BY device_seq"
            )
        ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def test_alt_a_gives_the_order_to_a_picker_and_sends_it_to_the_ledger(
    qtbot: QtBot, shell: Shell
) -> None:
    _orders(shell.station)
    pickers = shell.station.pickers.pickers()
    assert len(pickers) >= 2
    screen = _to_queue(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.choices.hasFocus())
    dialog = screen.dialog
    assert dialog is not None and "WEB-SQ0002" in dialog.windowTitle()
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    first_name = pickers[1].name.split()[0]  # the whole name in the tip and once open
    qtbot.waitUntil(lambda: _column(screen, 7)[0] == first_name)
    tip = screen.model.index(screen.model.row_of(9102), 7).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == pickers[1].name
    qtbot.waitUntil(lambda: screen.dialog is None and screen.view.hasFocus())
    assert screen.message.text() == (
        f"{pickers[1].name} picks WEB-SQ0002: every bench sees it after the sync."
    )
    assert _assign_ops(shell.station) == [(pickers[1].code, "pending", "A100")]
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the order open says who picks it
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    assert screen.order.picker.text() == pickers[1].name
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.choices.hasFocus())
    qtbot.keyClick(focused(), Qt.Key.Key_Escape)  # nothing changes
    qtbot.waitUntil(lambda: screen.dialog is None and screen.order.lines_view.hasFocus())
    assert screen.open_order() is not None
    assert len(_assign_ops(shell.station)) == 1


def test_alt_a_then_nobody_takes_the_order_off_its_picker(qtbot: QtBot, shell: Shell) -> None:
    _orders(shell.station)
    screen = _to_queue(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.choices.hasFocus())
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the first name
    qtbot.waitUntil(lambda: screen.dialog is None and _column(screen, 7)[0] != "—")

    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.dialog is not None and screen.dialog.choices.hasFocus())
    dialog = screen.dialog
    assert dialog is not None
    qtbot.keyClick(focused(), Qt.Key.Key_End)
    assert dialog.choices.currentItem().text() == NOBODY
    qtbot.keyClick(focused(), Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: screen.dialog is None and _column(screen, 7)[0] == "—")
    assert screen.message.text() == ("Nobody picks WEB-SQ0002: every bench sees it after the sync.")
    assert [picker for picker, _, _ in _assign_ops(shell.station)][-1] == ""


def _left_orders(station: Station) -> datetime:
    """A shipped order (two parcels, the last handed over yesterday at 17:02 store time)
    and a delivered one with no hand-over the ledger told of, both past their cut-off and
    on nobody's list; when the last parcel left."""
    now = datetime.now(UTC)
    zone = station.ship_queue.queue().zone
    left = datetime.combine(now.astimezone(zone).date() - D, time(17, 2), tzinfo=zone)
    parcels = [
        {"sscc": sscc, "lines": [["SKU-0001", 1]], "void": False, "carrier": "DLV",
         "tracking": sscc, "handed_over_at": at.astimezone(UTC).isoformat()}
        for sscc, at in (("089012340000000047", left - 3 * M), ("089012340000000054", left))
    ]  # fmt: skip
    rows = [
        ship_row(9105, "WEB-SQ0005", ship_by=now - D, created_at=now - 2 * D,
                 state="shipped", parcels=parcels),
        ship_row(9106, "WEB-SQ0006", ship_by=now - 2 * D, created_at=now - 3 * D,
                 state="delivered"),
    ]  # fmt: skip
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
    return left


def test_an_order_that_left_says_when_it_was_handed_over_and_offers_no_picker(
    qtbot: QtBot, shell: Shell
) -> None:
    _orders(shell.station)
    _left_orders(shell.station)
    screen = _to_queue(qtbot, shell)
    scan(qtbot, shell, "WEB-SQ0005")
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    panel = screen.order
    assert panel.heading.text() == "WEB-SQ0005 · Shipped · handed over yesterday 17:02"
    assert panel.picker.text() == "Nobody"
    assert screen.next_line.text() == (
        "It has left with the carrier: nothing more to do here · Esc: the queue"
    )
    qtbot.keyClick(focused(), Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert screen.dialog is None
    assert screen.message.text().startswith("Order WEB-SQ0005 has shipped: nobody picks it now.")
    assert _assign_ops(shell.station) == []

    scan(qtbot, shell, "WEB-SQ0006")  # the ledger said delivered, not when it left
    qtbot.waitUntil(lambda: screen.order.heading.text().startswith("WEB-SQ0006"))
    assert panel.heading.text() == "WEB-SQ0006 · Delivered"
    assert "Alt+A" not in screen.next_line.text() + panel.picker.text()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_queue_and_an_open_order_fit_the_window(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    _orders(shell.station)
    opened(qtbot, shell, size)
    screen = _to_queue(qtbot, shell)
    fullest(shell.window)
    assert misfits(shell.window, size) == []
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.open_order() is not None)
    fullest(shell.window)
    assert misfits(shell.window, size) == []
