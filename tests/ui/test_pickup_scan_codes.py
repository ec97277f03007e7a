"""A scanned code is one code at the counter: a catalog SKU such as 2XL-TEE scanned while
the order needs L-TEE is a wrong item (never 2 × L-TEE), and codes holding ``*`` or ``x``
(100X, a Code 128 12*345) are refused as the codes they are. Typed text keys a quantity
only when the whole text is no item of the catalog. Keys only, on a real station synced
from a real ledger.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from app.domain.fulfilment import FulfilmentState
from app.domain.gtin import complete_gtin
from app.domain.stock import Bucket
from app.ledger import seed as seeding
from app.ledger import seed_data
from app.ledger.seed_feed import feed_seeded
from app.ledger.seed_profiles import Profile
from app.ledger.seed_stock import insert_opening_stock
from app.ledger.writes import WriteBatch
from tests.support.ledger import RunningLedger
from tests.ui.conftest import STORE, Shell, focused, scan, type_keys
from tests.ui.pickup_support import pick_payloads, place, says, state, to_pickup_screen

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

S = FulfilmentState
NUMBER = "WEB-UI-331"
# Apparel sold by size, the size first in the SKU: "2XL-TEE" reads like "2 × L-TEE".
TEES = [
    seed_data.ItemSpec(
        "L-TEE", complete_gtin("890765400001"), "Deccan Crew Tee L", 49900, "Apparel", 180, 30, True
    ),
    seed_data.ItemSpec(
        "2XL-TEE",
        complete_gtin("890765400002"),
        "Deccan Crew Tee 2XL",
        49900,
        "Apparel",
        210,
        30,
        True,
    ),
]


def add_to_catalog(ledger: RunningLedger, items: list[seed_data.ItemSpec]) -> None:
    """Add ``items`` to the ledger's catalog with 10 sellable at the store, by the seeder's
    own steps (the ledger has no catalog API): the items, the opening stock as receipts,
    and the change feed that stations pull. Items already there are kept as they are."""
    store = next(p for p in seed_data.STORES if p.code == STORE)
    profile = Profile([store], [], items, lambda _code, _i: [(Bucket.SELLABLE.value, 10, 0)])
    with ledger.engine.begin() as conn:
        batch = WriteBatch(conn)
        new_items = seeding._insert_items(conn, items)
        balances = insert_opening_stock(conn, batch, profile)
        feed_seeded(conn, batch, [], new_items, [], balances)
        batch.flush()


def test_a_scanned_code_is_never_read_as_a_keyed_quantity(
    qtbot: QtBot, shell: Shell, ui_ledger: RunningLedger
) -> None:
    add_to_catalog(ui_ledger, TEES)
    place(ui_ledger, NUMBER, [("L-TEE", 3)])
    shell.station.sync.sync_once()  # the order, and the tees in the catalog
    screen = to_pickup_screen(qtbot, shell)
    type_keys(qtbot, NUMBER)
    qtbot.waitUntil(lambda: state(screen) is S.ROUTED)
    qtbot.waitUntil(screen.detail.step_field.hasFocus)
    qtbot.keyClick(focused(), Qt.Key.Key_F9)  # Accept
    qtbot.waitUntil(lambda: state(screen) is S.ACCEPTED)

    scan(qtbot, shell, "2XL-TEE")  # the shirt's label, one size too big
    qtbot.waitUntil(partial(says, screen, "Wrong item:"))
    said = screen.message.text()
    assert f"Wrong item: Deccan Crew Tee 2XL (2XL-TEE) is not in order {NUMBER}." in said
    assert "It needs 3 × Deccan Crew Tee L." in said
    assert shell.window.feedback.last == "failed"
    assert pick_payloads(shell) == []

    screen.message.clear_message()
    type_keys(qtbot, "2XL-TEE")  # the same SKU keyed from the label: an item, not 2 × L-TEE
    qtbot.waitUntil(partial(says, screen, "Wrong item: Deccan Crew Tee 2XL (2XL-TEE)"))
    assert pick_payloads(shell) == []

    # codes holding an x or a *: the codes themselves (12*345 is no order, though the
    # customer's phone number ends in 12345)
    for code in ("100X", "12*345"):
        screen.message.clear_message()
        shell.window.feedback.last = ""
        scan(qtbot, shell, code)
        qtbot.waitUntil(lambda: screen.message.tone() == "error")
        assert f"No item with barcode or SKU '{code}' is known here." in screen.message.text()
        assert shell.window.feedback.last == "failed"  # the double beep
    assert pick_payloads(shell) == []
    assert screen.search.text() == "12*345"  # tried as an order too, then refused
    opened = screen.open_order()
    assert opened is not None and opened.summary.order_number == NUMBER

    assert screen.detail.step_field.hasFocus()
    type_keys(qtbot, "2x L-TEE")  # typed: no such SKU, so 2 units of L-TEE
    qtbot.waitUntil(partial(says, screen, "Picked 2 × Deccan Crew Tee L. 2 of 3 units picked."))
    assert [p["lines"] for p in pick_payloads(shell)] == [[{"sku": "L-TEE", "quantity": 2}]]
