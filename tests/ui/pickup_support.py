"""What the Pickup screen tests share: placing orders on the real ledger, reading the
station's outbox, opening the screen by keys, and reading what it shows."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.labels import LabelKind
from app.domain.pickup_ops import PickupOp
from app.services.printing import PrintService, station_printing
from app.services.station import Station
from app.ui.screens.pickup import PickupScreen
from tests.support.ledger import RunningLedger
from tests.ui.conftest import STORE, Shell, focused, log_in

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot


def place(ledger: RunningLedger, number: str, lines: list[tuple[str, int]]) -> dict[str, Any]:
    """A web pickup order at the UI tests' store, as the web shop places it."""
    _claim(ledger, (number,))
    return ledger.place_order(
        {
            "order_number": number,
            "channel": "web",
            "method": "pickup",
            "pickup_location": STORE,
            "customer": {"name": "Asha Kumar", "phone": "+91 98450 12345", "city": "Bengaluru"},
            "lines": [{"sku": sku, "quantity": q} for sku, q in lines],
        }
    )


def catalog_items(ledger: RunningLedger, *indexes: int) -> list[tuple[str, str, str]]:
    """(SKU, GTIN, name) of tiny items by position (0 to 49).

    The GUI tests share one ledger for the session: a test file takes items no other GUI
    test file takes, or an earlier test's short, count or order changes its stock. Taking
    an item another file took fails here, whatever order the tests run in.
    """
    _claim(ledger, indexes)
    rows = ledger.sql("SELECT sku, gtin, name FROM items ORDER BY id")
    return [(str(rows[i][0]), str(rows[i][1]), str(rows[i][2])) for i in indexes]


_CLAIMED: dict[tuple[str, int | str], str] = {}


def _claim(ledger: RunningLedger, taken: tuple[int | str, ...]) -> None:
    """Items (by position) and order numbers belong to the first test file taking them."""
    test_file = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[0]
    for what in taken:
        owner = _CLAIMED.setdefault((ledger.url, what), test_file)
        assert owner == test_file, f"{what!r} is already taken by {owner}: take a free one"


def items(ledger: RunningLedger, *indexes: int) -> list[tuple[str, str]]:
    """(SKU, GTIN) of tiny items by position."""
    return [(sku, gtin) for sku, gtin, _ in catalog_items(ledger, *indexes)]


def outbox_types(shell: Shell) -> list[str]:
    with shell.station.db.reading() as session:
        rows = session.execute(text("SELECT type FROM outbox ORDER BY device_seq")).all()
    return [str(r[0]) for r in rows]


def pick_payloads(shell: Shell) -> list[dict[str, object]]:
    with shell.station.db.reading() as session:
        rows = session.execute(
            text("SELECT payload FROM outbox WHERE type = :t ORDER BY device_seq"),
            {"t": PickupOp.PICK.value},
        ).all()
    return [json.loads(r[0]) for r in rows]


def to_pickup_screen(qtbot: QtBot, shell: Shell) -> PickupScreen:
    """Log in as A100 and press F3: the Pickup screen with the cursor in its search."""
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F3)
    screen = shell.window.current_screen()
    assert isinstance(screen, PickupScreen)
    qtbot.waitUntil(screen.search.hasFocus)
    return screen


def state(screen: PickupScreen) -> FulfilmentState | None:
    order = screen.open_order()
    return None if order is None else order.summary.state


def column(screen: PickupScreen, header: str) -> dict[str, str]:
    """SKU -> the text of one column of the order's lines table."""
    model = screen.detail.lines
    col = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    at = col.index(header)
    return {model.row_at(r).sku: model.index(r, at).data() for r in range(model.rowCount())}


def says(screen: PickupScreen, words: str) -> bool:
    return words in screen.message.text()


def snap(widget: QWidget, name: str) -> None:
    """Save ``widget`` as ``name`` into $COUNTERBENCH_SHOTS when it is set."""
    folder = os.environ.get("COUNTERBENCH_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(Path(folder) / name))


def file_printing(station: Station, folder: Path) -> PrintService:
    """The station's print service with pickup tags written as ZPL files into ``folder``."""
    setup = {
        "profiles": [
            {
                "name": "hold-shelf",
                "base": "zebra-4x3-203",
                "transport": "file",
                "target": str(folder),
            }
        ],
        "by_kind": {str(LabelKind.PICKUP_TAG): "hold-shelf"},
    }
    (station.data_dir / "printers.json").write_text(json.dumps(setup), encoding="utf-8")
    return station_printing(station.data_dir, station.db)
