"""The bench's open ship order says where its parcels are, as the carrier last told the
ledger: delivered (with the day), or no word yet; and its timeline, parcel by parcel,
the carrier by its name (its code where the ledger sent none), a return to origin in red
with what the store must do next."""

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


def test_an_open_order_shows_its_parcel_delivered_and_when(qtbot: QtBot, shell: Shell) -> None:
    now = datetime.now(UTC)
    delivered = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    at = delivered.isoformat()
    parcel = _parcel(packed_at="2026-12-05T06:00:00+00:00", packed_by="A100", state="delivered",
                     delivered_at=at, events=[_event("delivered", at, "Indiranagar")])  # fmt: skip
    rows = [
        ship_row(9201, "WEB-ST0001", ship_by=now + timedelta(hours=4), created_at=now,
                 state="delivered", parcels=[parcel]),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), rows)

    screen = _open(qtbot, shell, "WEB-ST0001")

    assert screen.order.timeline.lines() == [
        (f"Parcel {SSCC}", False),  # one parcel: no "1 of 1"
        ("05 Dec 11:30 · Packed · by Arjun Rao", False),
        ("Booked · DLV SW0000000009", False),  # a ledger that did not say when
        ("06 Dec 15:00 · Delivered · Indiranagar", False),
    ]
    assert screen.order.carrier.text() == "DLV Surface"  # no name came: the code


def test_an_open_order_without_word_from_the_carrier_shows_only_the_stores_steps(
    qtbot: QtBot, shell: Shell
) -> None:
    now = datetime.now(UTC)
    rows = [
        ship_row(9202, "WEB-ST0002", ship_by=now + timedelta(hours=4), created_at=now,
                 state="packed", parcels=[_parcel(carrier="LOCAL", tracking=SSCC)]),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), rows)

    screen = _open(qtbot, shell, "WEB-ST0002")

    # our own riders track by the SSCC: nothing booked; an old ledger said not when
    assert screen.order.timeline.lines() == [(f"Parcel {SSCC}", False), ("Packed", False)]


def test_an_open_order_with_nothing_packed_says_so(qtbot: QtBot, shell: Shell) -> None:
    now = datetime.now(UTC)
    rows = [
        ship_row(9204, "WEB-ST0004", ship_by=now + timedelta(hours=4), created_at=now,
                 state="picked"),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        store_pulled(raw_connection(session), rows)

    screen = _open(qtbot, shell, "WEB-ST0004")

    assert screen.order.timeline.lines() == [("Nothing packed yet", False)]


def _event(kind: str, at: str, place: str = "", note: str = "") -> dict[str, str]:
    return {"kind": kind, "at": at, "place": place, "note": note}


CALL = "Call the customer and rebook, or wait for the carrier's second attempt."
RECEIVE = "Receive it at the bench when it arrives."


def _store_two_parcels_and_their_exceptions(shell: Shell) -> None:
    now = datetime.now(UTC)
    first = _parcel(
        packed_at="2026-12-06T08:02:00+00:00", packed_by="A100",
        booked_at="2026-12-06T08:03:00+00:00", handed_over_at="2026-12-06T11:30:00+00:00",
        handed_over_by="A100", state="rto", carrier_name="Delhivery",
        events=[
            _event("shipped", "2026-12-06T12:00:00+00:00", "origin hub"),
            _event("in_transit", "2026-12-06T13:10:00+00:00", "Hub BLR"),
            _event("out_for_delivery", "2026-12-07T03:00:00+00:00", "delivery centre"),
            _event("failed_delivery", "2026-12-07T09:45:00+00:00", "Koramangala",
                   "customer not home"),
            _event("rto", "2026-12-08T04:00:00+00:00", "Hub BLR"),
        ],
    )  # fmt: skip
    second = _parcel(sscc="089012340000000054", tracking="SW0000000010", events=[],
                     packed_at="2026-12-06T08:05:00+00:00", packed_by="A100")  # fmt: skip
    rows = [
        ship_row(9203, "WEB-ST0003", ship_by=now + timedelta(hours=4), created_at=now,
                 state="shipped", parcels=[first, second]),
    ]  # fmt: skip
    with shell.station.db.writing() as session:
        conn = raw_connection(session)
        store_pulled(conn, rows)
        conn.executemany(  # as the exceptions scope brings them
            "INSERT INTO ledger_exceptions (id, kind, message, next_step, status, created_at, "
            "order_number) VALUES (?, ?, ?, ?, ?, '2026-12-07T09:46:00+00:00', 'WEB-ST0003')",
            [
                (9301, "delivery_failed", "WEB-ST0003 failed delivery", CALL, "resolved"),
                (9302, "returning_to_store", "WEB-ST0003 returning to BLR-01", RECEIVE, "open"),
            ],
        )


def test_an_open_order_shows_each_parcels_timeline_the_return_in_red_with_what_to_do(
    qtbot: QtBot, shell: Shell
) -> None:
    _store_two_parcels_and_their_exceptions(shell)

    screen = _open(qtbot, shell, "WEB-ST0003")

    assert screen.order.timeline.lines() == [
        (f"Parcel 1 of 2 · {SSCC}", False),
        ("06 Dec 13:32 · Packed · by Arjun Rao", False),
        ("06 Dec 13:33 · Booked · Delhivery SW0000000009", False),  # the carrier's name
        ("06 Dec 17:00 · Handed over · by Arjun Rao", False),
        ("06 Dec 17:30 · Collected by the carrier · origin hub", False),
        ("06 Dec 18:40 · In transit · Hub BLR", False),
        ("07 Dec 08:30 · Out for delivery · delivery centre", False),
        ("07 Dec 15:15 · Failed delivery (customer not home) · Koramangala", True),  # resolved
        (f"08 Dec 09:30 · Returning to the store · Hub BLR — {RECEIVE}", True),
        ("Parcel 2 of 2 · 089012340000000054", False),
        ("06 Dec 13:35 · Packed · by Arjun Rao", False),
        ("Booked · DLV SW0000000010", False),  # a ledger that said neither when nor its name
    ]
    assert screen.order.carrier.text() == "Delhivery Surface"  # the name one parcel came with
