"""The pack step driven by keys and wedge scans only: F6 opens Pack, a scan of the order
number opens the order, item scans fill the parcel, a weight typed by hand and Enter
close it, a scale's burst out of range is refused until a lead keys code, PIN and
reason (F7); a wrong item double-beeps with the reason; the parcels' ship.pack ops are
queued and their labels decode with a real decoder to their SSCCs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from app.services.station import Station
from app.storage.engine import raw_connection
from app.ui.scanner import ScanFeedback
from app.ui.screens.bench.pack import PackScreen
from tests.services.shipping.test_pack import decoded_sscc
from tests.support.ship_rows import ship_row, store_pulled
from tests.ui.conftest import STORE, Shell, focused, log_in, scan, type_keys

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

NUMBER = "WEB-PK0001"
FID = 9201


def order_to_pack(station: Station) -> list[tuple[str, str, str]]:
    """A picked ship order of two items of the store's catalogue (one of them twice), with
    sizes and the store's pincode on record; (sku, gtin, name) of its items and one more."""
    with station.db.writing() as session:
        conn = raw_connection(session)
        items = [
            (str(s), str(g), str(n))
            for s, g, n in conn.execute(
                "SELECT sku, gtin, name FROM items WHERE gtin IS NOT NULL ORDER BY id LIMIT 3"
            )
        ]
        conn.execute("UPDATE items SET length_mm = 200, width_mm = 150, height_mm = 80")
        conn.execute("UPDATE items SET weight_g = 400 WHERE weight_g IS NULL")
        conn.execute("UPDATE locations SET pincode = coalesce(pincode, '560038')")
        lines = [
            {"sku": sku, "item_id": 0, "name": name, "quantity": q, "picked": q,
             "price_minor": 49900}
            for (sku, _, name), q in zip(items[:2], (2, 1), strict=True)
        ]  # fmt: skip
        row = ship_row(FID, NUMBER, ship_by=None, created_at=datetime.now(UTC), state="picked",
                       lines=lines, location_code=STORE, carrier="LOCAL")  # fmt: skip
        store_pulled(conn, [row])
    return items


def packs(station: Station) -> list[dict[str, Any]]:
    with station.db.reading() as session:
        rows = raw_connection(session).execute(
            "SELECT payload FROM outbox WHERE type = 'ship.pack' ORDER BY device_seq"
        )
        return [json.loads(r[0])["parcel"] for r in rows]


def to_pack_screen(qtbot: QtBot, shell: Shell) -> PackScreen:
    log_in(qtbot, shell)
    qtbot.keyClick(focused(), Qt.Key.Key_F6)
    screen = shell.window.current_screen()
    assert isinstance(screen, PackScreen)
    qtbot.waitUntil(screen.search.hasFocus)
    return screen


def in_parcel(screen: PackScreen) -> list[int]:
    return [line.in_parcel for line in screen.lines.rows()]


def test_a_bench_packs_two_parcels_by_keys_and_scans_with_a_lead_override(
    qtbot: QtBot, shell: Shell
) -> None:
    (_, a_gtin, a_name), (_, b_gtin, _), (_, stranger, _) = order_to_pack(shell.station)
    screen = to_pack_screen(qtbot, shell)
    assert screen.next_line.text() == "Scan a tote or an order number to pack it."
    scan(qtbot, shell, NUMBER)
    qtbot.waitUntil(lambda: screen.view_shown is not None and screen.weight.hasFocus())
    assert screen.heading.text().startswith(f"{NUMBER} · picked")
    assert screen.next_line.text() == "Scan each item into the parcel."

    scan(qtbot, shell, a_gtin)
    qtbot.waitUntil(lambda: in_parcel(screen) == [1, 0])  # shown at once
    qtbot.waitUntil(lambda: screen.message.text() == f"{a_name} is in the parcel.")  # written
    assert screen.lines.index(0, 5).data() == "1"  # one more to pack
    assert screen.parcel.text().startswith("Parcel 1: 1 item (")
    view = screen.view_shown
    assert view is not None
    type_keys(qtbot, str(view.expected_g))  # the weight typed by hand, then Enter
    qtbot.waitUntil(lambda: len(packs(shell.station)) == 1)
    qtbot.waitUntil(lambda: screen.message.text().startswith("Parcel "))
    assert screen.weight.text() == "" and screen.weight.hasFocus()

    scan(qtbot, shell, stranger)  # not in the order: a double beep and why
    qtbot.waitUntil(lambda: screen.message.tone() == "error")
    assert "is not part of order" in screen.message.text()
    assert shell.window.feedback.last == ScanFeedback.FAILED

    scan(qtbot, shell, a_gtin)
    scan(qtbot, shell, b_gtin)
    qtbot.waitUntil(lambda: in_parcel(screen) == [1, 1])
    qtbot.waitUntil(lambda: screen.next_line.text().startswith("Everything is in the parcel"))
    scan(qtbot, shell, "ST,GS,+009.500kg")  # the scale's burst: far too heavy
    qtbot.waitUntil(lambda: "expected" in screen.message.text())
    assert screen.message.tone() == "error" and len(packs(shell.station)) == 1

    qtbot.keyClick(focused(), Qt.Key.Key_F7)  # a lead accepts the weight
    qtbot.waitUntil(lambda: focused().accessibleName() == "Lead's staff code")
    type_keys(qtbot, "L200")
    type_keys(qtbot, "2222")
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the first reason
    qtbot.waitUntil(lambda: len(packs(shell.station)) == 2)
    qtbot.waitUntil(lambda: "accepted by L200" in screen.message.text())
    first, second = packs(shell.station)
    assert second["override"] == {"lead": "L200", "reason": "item_weight"}
    assert second["weight_g"] == 9500 and first["sscc"] != second["sscc"]
    assert screen.next_line.text().startswith("Order packed")
    assert [line.packed for line in screen.lines.rows()] == [2, 1]
    for parcel in (first, second):
        assert decoded_sscc(shell.station, parcel["sscc"])


def test_f8_reprints_and_f9_voids_the_last_label_by_keys(qtbot: QtBot, shell: Shell) -> None:
    _, (_, b_gtin, _), _ = order_to_pack(shell.station)
    screen = to_pack_screen(qtbot, shell)
    scan(qtbot, shell, NUMBER)
    qtbot.waitUntil(lambda: screen.view_shown is not None and screen.weight.hasFocus())
    scan(qtbot, shell, b_gtin)
    qtbot.waitUntil(lambda: screen.message.text().endswith("is in the parcel."))
    view = screen.view_shown
    assert view is not None
    type_keys(qtbot, str(view.expected_g))
    qtbot.waitUntil(lambda: len(packs(shell.station)) == 1)
    (parcel,) = packs(shell.station)
    qtbot.waitUntil(lambda: screen.parcels.text().startswith("Parcel 1: SSCC"))

    qtbot.keyClick(focused(), Qt.Key.Key_F8)
    printing = shell.station.printing
    assert printing is not None
    qtbot.waitUntil(lambda: [j.reprint for j in printing.history(parcel["sscc"])] == [False, True])

    qtbot.keyClick(focused(), Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: screen.dialog is not None and focused().window() is screen.dialog)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # the reason offered: a misprint
    qtbot.waitUntil(lambda: screen.parcels.text().startswith("Void label"))
    said = f"Label of parcel {parcel['sscc']} is void: pack its items again."
    assert screen.message.text() == said
    assert [line.to_pack for line in screen.lines.rows()] == [2, 1]  # b to pack again
    with shell.station.db.reading() as session:
        (void,) = raw_connection(session).execute(
            "SELECT payload FROM outbox WHERE type = 'ship.label_void'"
        )
    assert json.loads(void[0])["reason"] == "Misprinted label"
