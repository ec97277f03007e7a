"""Ship-for-pickup at the counter by keys only: the order waits for the warehouse, is
received by scans (a keyed quantity, then single scans), staged while part is still in
transit, made ready, and its pickup tag prints to the tag printer with no dialog.
With COUNTERBENCH_SHOTS=<dir> it saves pickup-receive.png (a transfer half received).

A real ledger (the tiny seed: MUM-01 allows ship-for-pickup from WH-BHW) and a real
station enrolled at MUM-01; the warehouse ships through the ledger's admin API.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import LabelKind
from app.domain.pickup_ops import PickupOp
from app.services.station import Station
from app.ui.screens.pickup import PickupScreen
from app.ui.screens.pickup_steps import Step
from tests.labels.support import decode, zpl_pages
from tests.ledger.pickup_support import admin
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station
from tests.ui.conftest import focused, log_in, open_shell, scan, type_keys
from tests.ui.pickup_support import catalog_items, column, file_printing, says, snap, state

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
MUMBAI = "MUM-01"
NUMBER = "WEB-UI-SFP-1"
BIN = "H-11"
ANDHERI = {"name": "Neha Desai", "phone": "+91 98200 55555", "city": "Mumbai"}


@pytest.fixture
def mumbai(ui_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A station of its own at MUM-01 (it pushes, so it is no copy of the BLR-01 one)."""
    built = enrolled_station(ui_ledger, tmp_path / "station", location=MUMBAI, name="Counter M1")
    yield built
    built.close()


def sellable(ledger: RunningLedger, location: str, sku: str) -> int:
    rows = ledger.sql(
        "SELECT b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id "
        "WHERE i.sku = :sku AND l.code = :loc AND b.bucket = 'sellable'",
        {"sku": sku, "loc": location},
    )
    return int(rows[0][0]) if rows else 0


def _queue_heading(screen: PickupScreen, start: str) -> bool:
    return any(r.order.startswith(start) for r in screen.queue.model.rows())


def test_ship_for_pickup_received_by_scans_then_ready_prints_its_tag(
    qtbot: QtBot, mumbai: Station, ui_ledger: RunningLedger, tmp_path: Path
) -> None:
    (a, a_gtin, a_name), (b, _, b_name) = catalog_items(ui_ledger, 46, 47)
    many = sellable(ui_ledger, MUMBAI, a) + 3  # more than the store holds: from WH-BHW
    placed = ui_ledger.place_order(
        {
            "order_number": NUMBER, "channel": "web", "method": "pickup",
            "pickup_location": MUMBAI, "customer": ANDHERI,
            "lines": [{"sku": a, "quantity": many}, {"sku": b, "quantity": 1}],
        }
    )  # fmt: skip
    ((fid, transfer),) = [(f["id"], f["transfer_id"]) for f in placed["fulfilment_orders"]]
    assert transfer is not None
    mumbai.sync.sync_once()
    folder = tmp_path / "tags"
    printing = file_printing(mumbai, folder)

    with open_shell(qtbot, mumbai, printing=printing) as shell:
        log_in(qtbot, shell, "M300", "3333")  # the regional manager works at every store
        qtbot.keyClick(focused(), Qt.Key.Key_F3)
        screen = shell.window.current_screen()
        assert isinstance(screen, PickupScreen)
        qtbot.waitUntil(screen.search.hasFocus)
        qtbot.waitUntil(partial(_queue_heading, screen, "From the warehouse ("))

        type_keys(qtbot, NUMBER)
        qtbot.waitUntil(lambda: state(screen) is S.AWAITING_TRANSFER)
        assert "Waiting for the warehouse to ship it" in screen.detail.step_hint.text()
        assert "Coming from the warehouse" in screen.detail.meta.text()
        assert not screen.detail.primary.isEnabled()
        assert column(screen, "Shipped") == {a: "0", b: "0"}
        qtbot.waitUntil(screen.detail.step_field.hasFocus)
        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # nothing to do but wait: says so
        qtbot.waitUntil(partial(says, screen, "Waiting for the warehouse to ship it"))

        admin(ui_ledger, f"/transfers/{transfer}/ship", {"by": "WH-BHW dock 1"})
        mumbai.sync.sync_once()
        type_keys(qtbot, NUMBER)  # typed in the step field: opens the order afresh
        qtbot.waitUntil(lambda: screen.detail.next_step() is Step.RECEIVE)
        hint = screen.detail.step_hint.text()
        assert hint.startswith("From Bhiwandi Central Warehouse: scan each item as you unpack")
        assert f"0 of {many + 1} units received" in hint
        assert column(screen, "In transit") == {a: str(many), b: "1"}

        type_keys(qtbot, f"{many - 1}*", enter=False)  # the count keyed by hand ...
        shell.clock.now += 1.0  # ... a pause to reach for the scanner ...
        scan(qtbot, shell, a_gtin)  # ... and one scan receives them all
        qtbot.waitUntil(partial(says, screen, f"Received {many - 1} × {a_name}."))
        assert f"{many - 1} of {many + 1} units received" in screen.message.text()
        assert shell.window.feedback.last == "ok"
        assert column(screen, "Received") == {a: str(many - 1), b: "0"}
        assert column(screen, "In transit") == {a: "1", b: "1"}
        assert "; scan a bin to stage them." in screen.detail.step_hint.text()
        snap(shell.window, "pickup-receive.png")

        scan(qtbot, shell, BIN)  # part received: it goes on the hold shelf already
        qtbot.waitUntil(partial(says, screen, f"{NUMBER} is on bin {BIN}. Receive the rest"))
        order = screen.open_order()
        assert order is not None and order.summary.bin == BIN
        assert state(screen) is S.AWAITING_TRANSFER

        scan(qtbot, shell, a_gtin)
        qtbot.waitUntil(partial(says, screen, f"{many} of {many + 1} units received."))
        assert f"Put it on bin {BIN}." in screen.message.text()
        scan(qtbot, shell, a_gtin)  # one more than was shipped
        qtbot.waitUntil(partial(says, screen, "were received already"))
        assert shell.window.feedback.last == "failed"
        type_keys(qtbot, f"1x {b}")  # the SKU keyed from the label
        qtbot.waitUntil(lambda: state(screen) is S.STAGED)
        assert f"Received 1 × {b_name}." in screen.message.text()
        assert column(screen, "Received") == {a: str(many), b: "1"}  # all here: no transit

        qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Mark ready: the tag prints, no dialog
        saved = "No tag printer is set up, so the tag was saved as a file"  # a file profile
        qtbot.waitUntil(partial(says, screen, saved), timeout=10_000)
        assert screen.label_dialog is None
        assert state(screen) is S.READY_FOR_PICKUP
        (tag,) = folder.glob("*.zpl")
        assert "choose a printer on Printers (F5)." in screen.message.text()
        assert str(folder) not in screen.message.text()  # no file path at the counter
        zpl = tag.read_bytes()
        profile = printing.profile_for(LabelKind.PICKUP_TAG)
        (page,) = zpl_pages(zpl, profile)
        assert ("Code128", NUMBER, "]C0") in decode(page)
        assert BIN.encode() in zpl and b"Neha Desai" in zpl

        qtbot.keyClick(focused(), Qt.Key.Key_F8)  # again, by hand: a reprint
        qtbot.waitUntil(lambda: screen.label_dialog is not None)
        dialog = screen.label_dialog
        assert dialog is not None
        qtbot.waitUntil(dialog.print_button.isEnabled, timeout=10_000)
        assert "Saved to a file once before" in dialog.message.text()
        with qtbot.waitSignal(dialog.printed, timeout=10_000):
            qtbot.keyClick(dialog.print_button, Qt.Key.Key_Space)
        dialog.reject()
        qtbot.waitUntil(lambda: screen.label_dialog is None)
        assert len(list(folder.glob("*.zpl"))) == 2

    jobs = printing.history(NUMBER)
    assert [(j.kind, j.reprint, j.status) for j in jobs] == [
        (str(LabelKind.PICKUP_TAG), False, "saved"),
        (str(LabelKind.PICKUP_TAG), True, "saved"),
    ]
    assert [PickupOp(t) for t in outbox_types(mumbai)] == [
        PickupOp.RECEIVE,
        PickupOp.STAGE,
        PickupOp.RECEIVE,
        PickupOp.RECEIVE,
        PickupOp.READY,
    ]
    mumbai.sync.sync_once()
    assert mumbai.status.status().pending_ops == 0
    assert mumbai.pickup.order(fid).summary.state is S.READY_FOR_PICKUP
    assert ui_ledger.sql("SELECT status FROM transfers WHERE id = :t", {"t": transfer}) == [
        ("received",)
    ]


def outbox_types(station: Station) -> list[str]:
    with station.db.reading() as session:
        rows = session.execute(text("SELECT type FROM outbox ORDER BY device_seq")).all()
    return [str(r[0]) for r in rows]
