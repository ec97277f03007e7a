"""The bench's batch pick driven by keys and wedge scans only: Shift+↓ marks orders on
the Ship queue and Ctrl+B batch-picks them; the pick screen shows the stop big and says
what to do next; scans of the bin, each item and the tote put units in totes (one
ship.pick each in the outbox); a wrong scan double-beeps with the reason; F7 marks a bin
short and F8 rejects what no bin holds with a reason; Ctrl+Enter finishes the walk; F9
puts an order's units back by scanning the bin and the item."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSize, Qt

from app.services.shipping.batch_results import BatchView
from app.services.station import Station
from app.storage.engine import raw_connection
from app.ui.screens.bench.batch_pick import BatchPickScreen
from app.ui.screens.bench.queue import BenchQueueScreen
from tests.support.ship_rows import ship_row, store_pulled
from tests.ui.conftest import Shell, focused, log_in, scan
from tests.ui.test_window_fit import SIZES, fullest, misfits, opened

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

M = timedelta(minutes=1)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _items(station: Station) -> list[tuple[int, str, str]]:
    """Two items with one bin each (the stand-in planogram gives every third a second)."""
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT id, sku, name FROM items WHERE id % 3 != 0 ORDER BY id LIMIT 2"
        )
        return [(int(i), str(s), str(n)) for i, s, n in rows]


def _orders(station: Station, *wanted: tuple[int, int]) -> list[tuple[int, str, str]]:
    """Ship orders 9201 … (item index, units each), leaving before any other in the queue."""
    items = _items(station)
    now = datetime.now(UTC)
    rows = []
    for n, (index, units) in enumerate(wanted):
        item_id, sku, name = items[index]
        line = {"sku": sku, "item_id": item_id, "name": name, "quantity": units, "price_minor": 100}
        # promised two days ago and past its cut-off: first in the queue (promise, cut-off)
        rows.append(ship_row(9201 + n, f"WEB-BP{n + 1}", ship_by=now - (300 - n) * M,
                             created_at=now - 400 * M, lines=[line],
                             promised_by=(now - 2 * 1440 * M).date()))  # fmt: skip
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
    return items


def _outbox(station: Station) -> list[tuple[str, dict[str, Any]]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT type, payload FROM outbox ORDER BY device_seq"
        )
        return [(str(t), json.loads(p)) for t, p in rows]


def _to_batch(qtbot: QtBot, shell: Shell, marked: int) -> BatchPickScreen:
    """F4, mark the first ``marked`` orders with Shift+↓, Ctrl+B: the pick screen, started."""
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F4)
    queue = shell.window.current_screen()
    assert isinstance(queue, BenchQueueScreen)
    qtbot.waitUntil(lambda: queue.model.rowCount() > 0 and queue.view.hasFocus())
    assert "Shift+↓ marks · Ctrl+B: batch pick" in queue.next_line.text()
    for _ in range(marked - 1):
        qtbot.keyClick(focused(), Qt.Key.Key_Down, SHIFT)
    qtbot.keyClick(focused(), Qt.Key.Key_B, CTRL)
    screen = shell.window.current_screen()
    assert isinstance(screen, BatchPickScreen)
    qtbot.waitUntil(lambda: screen.shown() is not None and screen.card.hasFocus())
    return screen


def _scan(qtbot: QtBot, shell: Shell, screen: BatchPickScreen, code: str) -> BatchView:
    """A wedge scan, and the screen's answer to it."""
    before = screen.shown()
    scan(qtbot, shell, code)
    qtbot.waitUntil(lambda: screen.shown() is not before)
    view = screen.shown()
    assert view is not None
    return view


def _pick_stop(qtbot: QtBot, shell: Shell, screen: BatchPickScreen) -> BatchView:
    view = screen.shown()
    assert view is not None and view.current is not None
    stop = view.current
    view = _scan(qtbot, shell, screen, stop.bin_code)
    assert screen.next_line.text().startswith(f"Scan {stop.name}: 0 of {stop.quantity}")
    for _ in range(stop.quantity):
        view = _scan(qtbot, shell, screen, stop.sku)
    assert (
        screen.next_line.text()
        == f"Put {stop.quantity} {stop.name} in tote {stop.tote} and scan the tote."
    )
    return _scan(qtbot, shell, screen, f"{view.batch_id}-{stop.tote}")


def test_a_batch_is_picked_into_totes_by_keys_and_wedge_scans(qtbot: QtBot, shell: Shell) -> None:
    items = _orders(shell.station, (0, 2), (1, 1), (0, 1))
    screen = _to_batch(qtbot, shell, marked=2)
    view = screen.shown()
    assert view is not None and view.current is not None
    assert [(t.tote, t.order_number) for t in view.totes] == [
        ("T01", "WEB-BP1"),
        ("T02", "WEB-BP2"),
    ]
    first = view.current
    assert screen.card.bin.text() == first.bin_code and screen.card.tote.text() == "T01"
    assert screen.next_line.text() == f"Go to bin {first.bin_code} and scan it."
    assert "0/3 units picked" in screen.card.progress.text()
    assert "F7 short" in screen.keys_line.text() and "Ctrl+Enter finish" in screen.keys_line.text()
    wrong = _scan(qtbot, shell, screen, items[1][1])  # an item before its bin
    assert wrong.refused and shell.window.feedback.last == "failed"
    assert (
        screen.message.tone() == "error" and f"Go to bin {first.bin_code}" in screen.message.text()
    )
    while view is not None and not view.done:
        view = _pick_stop(qtbot, shell, screen)
        assert shell.window.feedback.last == "ok"
    assert screen.next_line.text().startswith("The walk is done")
    picks = [p for t, p in _outbox(shell.station) if t == "ship.pick"]
    assert sorted((p["fulfilment_id"], p["lines"][0]["quantity"]) for p in picks) == [
        (9201, 2),
        (9202, 1),
    ]
    assert {p["batch"] for p in picks} == {view.batch_id if view else ""}
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.shown() is None)
    assert screen.message.text().startswith(f"Batch {picks[0]['batch']} finished")
    assert screen.next_line.text().startswith("No batch open. Press Ctrl+B")
    scan(qtbot, shell, items[0][1])  # a scan with no walk open
    qtbot.waitUntil(lambda: "No batch is open: press Ctrl+B" in screen.message.text())
    assert shell.window.feedback.last == "failed"


def test_a_short_bin_is_rejected_with_a_reason_and_a_cancelled_order_put_back(
    qtbot: QtBot, shell: Shell
) -> None:
    items = _orders(shell.station, (0, 1), (1, 1))
    short_sku = items[1][1]
    screen = _to_batch(qtbot, shell, marked=2)
    view = screen.shown()
    while view is not None and not view.done:
        assert view.current is not None
        if view.current.sku != short_sku:
            view = _pick_stop(qtbot, shell, screen)
            continue
        qtbot.keyClick(focused(), Qt.Key.Key_F7)
        assert screen.found.hasFocus() and "did bin" in screen.found_question.text()
        before = screen.shown()
        for key in (Qt.Key.Key_0, Qt.Key.Key_Return):
            qtbot.keyClick(focused(), key)
        qtbot.waitUntil(lambda: screen.shown() is not before)  # noqa: B023
        view = screen.shown()
    assert view is not None and [(s.sku, s.tote) for s in view.to_reject] == [(short_sku, "T02")]
    assert (
        "reject them with a reason" in screen.message.text() or "Reject" in screen.next_line.text()
    )
    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: screen.reasons.choices.hasFocus())
    assert screen.reasons.choices.currentItem().text() == "Not found on the shelf"
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "rejected: Not found on the shelf" in screen.message.text())
    rejects = [p for t, p in _outbox(shell.station) if t == "ship.reject"]
    assert [(p["fulfilment_id"], p["reason"], p["lines"]) for p in rejects] == [
        (9202, "not_found", [{"sku": short_sku, "quantity": 1}])
    ]
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: screen.shown() is None)
    row = ship_row(9201, "WEB-BP1", ship_by=None, created_at=datetime.now(UTC), state="cancelled",
                   lines=[{"sku": items[0][1], "item_id": items[0][0], "name": items[0][2],
                           "quantity": 1}])  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), [row])  # the ledger cancelled it meanwhile
    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: screen.unpick.choices.count() > 0 and screen.unpick.choices.hasFocus())
    assert screen.unpick.choices.item(0).text().startswith("WEB-BP1 (cancelled)")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert screen.next_line.text() == "WEB-BP1: scan the bin to put it back in."
    task = screen.unpick_task()
    assert task is not None
    bin_code = task.lines[0][3][0]
    scan(qtbot, shell, bin_code)
    assert screen.next_line.text() == f"Bin {bin_code}: scan the item you put in it."
    scan(qtbot, shell, items[0][1])
    qtbot.waitUntil(lambda: "back in bin" in screen.message.text())
    unpicks = [p for t, p in _outbox(shell.station) if t == "ship.unpick"]
    assert [(p["fulfilment_id"], p["lines"]) for p in unpicks] == [
        (9201, [{"sku": items[0][1], "quantity": 1, "bin": bin_code}])
    ]
    qtbot.waitUntil(lambda: screen.next_line.text() == "Nothing to put back.")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_the_walk_fits_the_window_with_its_longest_message(
    qtbot: QtBot, shell: Shell, size: QSize
) -> None:
    _orders(shell.station, *[(n % 2, 1 + n % 3) for n in range(8)])  # 8 totes, 6 shown
    opened(qtbot, shell, size)
    screen = _to_batch(qtbot, shell, marked=8)
    _scan(qtbot, shell, screen, screen.card.bin.text())
    assert "◀ now" in screen.card.totes.text() and "… 2 more" in screen.card.totes.text()
    fullest(shell.window)
    assert misfits(shell.window, size) == []
