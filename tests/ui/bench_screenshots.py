"""Open the bench queue on a station cache filled with ship orders, for a screenshot.

    python -m tests.ui.bench_screenshots [--open N] [--demo] [--pack] [--pick [--keyed]]
                                         [--timeline]

Makes a station cache in a temporary folder (``tests/storage/seed.py``: enrolled at
BLR-01, staff, no ledger), marks it a bench, stores a day's ship orders as a sync would
(some past their cut-off, some too close to it, picked, packed, a picker given), opens
the window sized for the screen and logs in by keys. With ``--demo`` the station is a
bench enrolled at BLR-01 of a real demo ledger instead, synced once: its ship orders are
what the demo's routing placed there. With ``--open N`` it then opens the N-th order of
the queue (↓ and Enter). With ``--pack`` it opens Pack (F6) on a picked order instead,
one parcel closed and the next half filled. With ``--pick`` it starts a batch pick of
five orders, walks it part way (one stop done, the next bin scanned, one unit counted)
and shows the batch pick screen; ``--keyed`` then presses ``*`` and keys a count. With
``--timeline`` it opens a shipped order of two parcels, one failed and coming back, to
show its timeline. Take
the picture with /work/shared/tools/screenshot.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from app.commands.qt_libraries import ensure_qt_libraries
from app.services.station import Station, build_station
from app.storage.engine import raw_connection
from app.ui.idle import IdleWatch
from app.ui.main_window import MainWindow
from app.ui.scanner import ScanInput
from app.ui.screens.bench.batch_pick import BatchPickScreen
from app.ui.screens.bench.pack import PackScreen
from app.ui.screens.bench.queue import BenchQueueScreen
from app.ui.tasks import TaskRunner
from app.ui.theme import apply_theme
from app.ui.window_fit import show_fitted
from tests.storage.seed import seed
from tests.support.ship_rows import ship_row, store_pulled
from tests.ui.demo_station import demo_station

M = timedelta(minutes=1)
# number, minutes from the next half hour to its cut-off, minutes since placed, units,
# state, carrier, extra
ORDERS = [
    ("WEB-241187", -30, 410, (1,), "routed", "DLV", {}),
    ("WEB-241203", 0, 305, (2, 1), "picking", "DLV", {"payment": "cod", "cod_minor": 248900}),
    ("APP-88412", 0, 290, (1,), "packed", "DLV", {}),
    ("WEB-241219", 60, 260, (1, 1, 1), "picked", "BLD", {}),
    ("MKT-5520931", 60, 200, (4,), "accepted", "BLD", {"payment": "cod", "cod_minor": 59600}),
    ("WEB-241240", 90, 150, (1,), "routed", "DLV", {}),
    ("WEB-241252", 90, 95, (2,), "routed", "XPB", {}),
    ("APP-88431", 150, 60, (1,), "routed", "DLV", {}),
    ("WEB-241266", 150, 35, (1, 2), "routed", "XPB", {}),
    ("WEB-241271", 1440, 12, (1,), "routed", "DLV", {}),
    ("WEB-241275", 1440, 4, (3,), "routed", "BLD", {}),
]
WHY = (
    "BLR-01 Indiranagar wins: 3.1 km from the customer, all 3 items in stock, "
    "Delhivery serves 560071 and its cut-off today meets the promise.\n"
    "Runner-up BLR-02 Jayanagar: 7.9 km away and 1 of 3 items short, so the order would split."
)


def fill(station: Station, now: datetime) -> None:
    """A day's ship orders at BLR-01, the station a bench, two pickers given; the order
    past its cut-off was promised for tomorrow, so it is late for its promise too."""
    base = now.replace(second=0, microsecond=0)  # the next half hour: a carrier's cut-off
    base += timedelta(minutes=30 - base.minute % 30)
    rows = []
    for i, (number, cut, age, units, state, carrier, extra) in enumerate(ORDERS, start=1):
        rows.append(
            ship_row(
                700 + i, number, ship_by=base + cut * M, created_at=now - age * M,
                units=units, state=state, carrier=carrier, route_note=WHY,
                promised_by=(base + timedelta(days=_promise_days(i, cut))).date(),
                transit_days=1, **extra,
            )
        )  # fmt: skip
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
        session.execute(text("UPDATE device SET station_kind = 'bench', station_name = 'Bench 1'"))
    lead = station.auth.session_for("L200")
    station.pickers.assign(lead, 702, "A100")
    station.pickers.assign(lead, 704, "M300")


def _promise_days(i: int, cut: int) -> int:
    """Days from the base to the promise of the ``i``-th order: tomorrow for the one past
    its cut-off (late), else two or three days."""
    return 1 if cut < 0 else 2 if i % 3 else 3


PACK_ORDER = "WEB-241290"


def fill_pack(station: Station, now: datetime) -> None:
    """A picked order of three items at BLR-01, its first parcel closed (sizes and the
    store's pincode on record, as the label needs)."""
    lines = [
        {"sku": f"SKU-{n:04d}", "item_id": n, "name": name, "quantity": q, "picked": q,
         "price_minor": 49900}
        for n, name, q in ((1, "Steel water bottle 1 L", 1), (2, "Cotton kurta, blue, M", 2),
                           (3, "Basmati rice 5 kg", 1))
    ]  # fmt: skip
    row = ship_row(799, PACK_ORDER, ship_by=now + 90 * M, created_at=now - 120 * M,
                   state="picked", lines=lines, payment="cod", cod_minor=149700)  # fmt: skip
    with station.db.writing() as session:
        conn = raw_connection(session)
        conn.execute("UPDATE items SET length_mm = 220, width_mm = 160, height_mm = 90")
        conn.execute("UPDATE locations SET pincode = '560038' WHERE code = 'BLR-01'")
        store_pulled(conn, [row])
    packer = station.auth.session_for("A100")
    station.pack.scan_item(799, "SKU-0001")
    station.pack.close_parcel(799, f"{station.pack.order(799).expected_g + 12} g", packer)


TIMELINE_ORDER = "WEB-241177"


def fill_timeline(station: Station, now: datetime) -> None:
    """A shipped order of two parcels packed yesterday: one delivered, the other failed
    delivery and is coming back (its exception open), as pulled from the ledger."""
    day = (now - timedelta(days=1)).replace(hour=8, minute=2, second=0, microsecond=0)

    def at(minutes: int) -> str:
        return (day + minutes * M).isoformat()

    def parcel(sscc: str, tracking: str, events: list[tuple[int, str, str, str]]) -> dict:
        return {
            "sscc": sscc, "lines": [["SKU-0001", 1]], "void": False, "box": "BOX-S",
            "weight_g": 640, "carrier": "DLV", "tracking": tracking, "packed_at": at(0),
            "packed_by": "A100", "booked_at": at(1), "handed_over_at": at(300),
            "handed_over_by": "L200", "state": events[-1][1],
            "events": [{"kind": k, "at": at(t), "place": p, "note": n} for t, k, p, n in events],
        }  # fmt: skip

    first = parcel("089012340000000047", "DLV7781200451", [
        (330, "shipped", "Indiranagar PC", ""), (410, "in_transit", "Hub BLR", ""),
        (1190, "out_for_delivery", "Whitefield DC", ""), (1330, "delivered", "Whitefield", ""),
    ])  # fmt: skip
    second = parcel("089012340000000054", "DLV7781200452", [
        (330, "shipped", "Indiranagar PC", ""), (410, "in_transit", "Hub BLR", ""),
        (1190, "out_for_delivery", "Whitefield DC", ""),
        (1345, "failed_delivery", "Whitefield", "customer not home"),
        (1420, "rto", "Hub BLR", ""),
    ])  # fmt: skip
    row = ship_row(798, TIMELINE_ORDER, ship_by=day + 480 * M, created_at=day - 60 * M,
                   state="shipped", units=(1, 1), route_note=WHY,
                   parcels=[first, second])  # fmt: skip
    with station.db.writing() as session:
        conn = raw_connection(session)
        store_pulled(conn, [row])
        conn.execute(
            "INSERT INTO ledger_exceptions (id, kind, message, next_step, status, created_at, "
            "order_number) VALUES (9801, 'returning_to_store', ?, ?, 'open', ?, ?)",
            (f"{TIMELINE_ORDER} returning to BLR-01", "Receive it at the bench when it arrives.",
             at(1420), TIMELINE_ORDER),
        )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--open", type=int, default=0, help="open the N-th order (1 = first)")
    parser.add_argument("--demo", action="store_true", help="a bench of a real demo ledger")
    parser.add_argument("--pack", action="store_true", help="Pack, mid-parcel")
    parser.add_argument("--pick", action="store_true", help="the batch pick screen mid-walk")
    parser.add_argument("--keyed", action="store_true", help="with --pick: * and a count keyed")
    parser.add_argument("--timeline", action="store_true", help="a shipped order's timeline")
    args = parser.parse_args()
    ensure_qt_libraries()  # as the demo does: what Qt's X11 plugin lacks on this machine
    folder = Path(tempfile.mkdtemp(prefix="bench-shot-"))
    with contextlib.ExitStack() as stack:
        station = (
            stack.enter_context(demo_station(folder, "bench", "Bench 1"))
            if args.demo
            else made_up(folder)
        )
        if args.pack:
            fill_pack(station, datetime.now(UTC))
        if args.pick:
            walk_part_way(station)
        if args.timeline:
            fill_timeline(station, datetime.now(UTC))
        shown = TIMELINE_ORDER if args.timeline else ""
        return show(station, args.open, pack=args.pack, pick=args.pick, keyed=args.keyed,
                    order=shown)  # fmt: skip


def made_up(folder: Path) -> Station:
    """A station cache with no ledger, filled with a made-up day of ship orders."""
    station = build_station(folder / "station")
    seed(station.db)
    fill(station, datetime.now(UTC))
    return station


def walk_part_way(station: Station) -> None:
    """A batch of five routed orders, picked up to the second stop's first unit."""
    picker = station.auth.session_for("A100")
    routed = [o.fulfilment_id for o in station.ship_queue.queue().orders if o.state == "routed"]
    view = station.batch_pick.start(picker, routed[:5])
    for _ in range(2):
        stop = view.current
        assert stop is not None
        view = station.batch_pick.scan(picker, stop.bin_code)
        view = station.batch_pick.scan(picker, stop.sku)
        if stop.quantity == 1 and view.current == stop:
            break
        if view.current is not None and view.current.counted == view.current.quantity:
            view = station.batch_pick.scan(picker, f"{view.batch_id}-{stop.tote}")


def show(
    station: Station,
    open_nth: int,
    *,
    pack: bool = False,
    pick: bool = False,
    keyed: bool = False,
    order: str = "",
) -> int:
    """The window on ``station``, logged in by keys, until it is closed (``order``: the
    ship order to open by its number, as scanned)."""
    app = QApplication(sys.argv)
    apply_theme(app)
    runner = TaskRunner()
    window = MainWindow(services=station, runner=runner, scans=ScanInput(), idle=IdleWatch(900))
    show_fitted(window)
    window.raise_()
    window.activateWindow()

    def typed(keys: str) -> None:
        target = QApplication.focusWidget() or window
        QTest.keyClicks(target, keys)
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)

    def log_in() -> None:
        if window.last_status is None or not window.login.code_field.hasFocus():
            QTimer.singleShot(100, log_in)
            return
        typed("A100")
        QTimer.singleShot(200, lambda: typed("1111"))
        QTimer.singleShot(1200, open_pick if pick else open_order)

    def open_pick() -> None:
        screens = window.screens
        window.show_screen(next(i for i, s in enumerate(screens) if isinstance(s, BatchPickScreen)))
        if keyed:
            QTimer.singleShot(800, key_a_count)

    def key_a_count() -> None:
        QTest.keyClicks(QApplication.focusWidget() or window, "*")
        QTest.keyClicks(QApplication.focusWidget() or window, "1")

    def open_pack() -> None:
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F6)
        screen = window.current_screen()
        assert isinstance(screen, PackScreen)
        screen.on_scan(PACK_ORDER)
        for n, code in enumerate(("SKU-0002", "SKU-0002", "SKU-0003"), start=1):
            QTimer.singleShot(400 * n, lambda code=code: screen.on_scan(code))

    def open_order() -> None:
        if pack:
            open_pack()
            return
        screen = window.current_screen()
        if isinstance(screen, BenchQueueScreen) and order:
            screen.on_scan(order)
            return
        if not isinstance(screen, BenchQueueScreen) or open_nth <= 0:
            return
        for _ in range(open_nth - 1):
            QTest.keyClick(screen.view, Qt.Key.Key_Down)
        QTest.keyClick(screen.view, Qt.Key.Key_Return)

    QTimer.singleShot(300, log_in)
    code = app.exec()
    runner.shutdown(5_000)
    station.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
