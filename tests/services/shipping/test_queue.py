"""The bench queue: open ship orders here by cut-off, the orders that will miss today's
cut-off marked and counted, an order opened by id or by a scan of its number."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.fulfilment import FulfilmentState
from app.errors import NotFound
from app.services.shipping.queue import end_of_day
from app.services.station import Station
from app.storage.engine import raw_connection
from app.storage.types import to_text
from tests.services.conftest import Clock
from tests.storage.seed import T0
from tests.support.ship_rows import ADDRESS, ship_row, store_pulled

S = FulfilmentState
M = timedelta(minutes=1)
IST = ZoneInfo("Asia/Kolkata")  # the seeded store's zone: T0 is 14:30 there


def _store(station: Station, rows: list[dict[str, Any]]) -> None:
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)


def _staff(station: Station, code: str = "L200") -> Any:
    return station.auth.session_for(code)


def test_orders_that_will_miss_todays_cut_off_are_marked_and_counted(station: Station) -> None:
    tonight = end_of_day(T0, IST)
    _store(
        station,
        [
            ship_row(1, "WEB-1", ship_by=T0 - 10 * M, created_at=T0 - 300 * M),  # passed
            ship_row(2, "WEB-2", ship_by=T0 + 20 * M, created_at=T0 - 200 * M),  # too close
            ship_row(3, "WEB-3", ship_by=T0 + 20 * M, created_at=T0 - 100 * M, state="packed"),
            ship_row(4, "WEB-4", ship_by=T0 + 90 * M, created_at=T0 - 50 * M),  # in time
            ship_row(5, "WEB-5", ship_by=tonight + 60 * M, created_at=T0 - 10 * M),  # tomorrow
            ship_row(6, "WEB-6", ship_by=T0 - 10 * M, created_at=T0, state="shipped"),  # gone
        ],
    )
    queue = station.ship_queue.queue()
    assert [o.order_number for o in queue.orders] == ["WEB-1", "WEB-2", "WEB-3", "WEB-4", "WEB-5"]
    assert [o.will_miss for o in queue.orders] == [True, True, False, False, False]
    assert (queue.total, queue.due_today, queue.will_miss) == (5, 4, 2)
    assert queue.missed_cutoffs == (T0 - 10 * M, T0 + 20 * M)
    assert queue.zone == IST and queue.as_of == T0
    first = queue.orders[0]
    assert (first.units, first.carrier, first.state) == (1, "DLV", S.ROUTED)
    assert first.created_at == T0 - 300 * M


def test_the_store_day_ends_at_its_own_midnight() -> None:
    assert end_of_day(T0, IST).isoformat() == "2026-11-28T00:00:00+05:30"
    late = T0 + timedelta(hours=10)  # 00:30 on the 28th in Bengaluru
    assert end_of_day(late, IST).isoformat() == "2026-11-29T00:00:00+05:30"


def test_an_order_opens_with_its_lines_address_payment_and_why_here(station: Station) -> None:
    row = ship_row(
        7, "WEB-240007", ship_by=T0 + 60 * M, created_at=T0, units=(2, 1),
        promised_by=date(2026, 11, 29), payment="cod", cod_minor=149700,
    )  # fmt: skip
    _store(station, [row])
    detail = station.ship_queue.order(7)
    assert [(line.sku, line.quantity) for line in detail.lines] == [
        ("SKU-0001", 2),
        ("SKU-0002", 1),
    ]
    assert detail.summary.units == 3 and detail.summary.promised_by == date(2026, 11, 29)
    assert (detail.payment, detail.cod_minor) == ("cod", 149700)
    assert detail.address.pincode == ADDRESS["pincode"]
    assert detail.address.lines()[3] == "Bengaluru, Karnataka 560071"
    assert detail.route_note.startswith("Nearest store with stock")
    assert station.ship_queue.find(" web-240007 ").summary.fulfilment_id == 7
    with pytest.raises(NotFound, match="No ship order WEB-9 here") as missing:
        station.ship_queue.find("WEB-9")
    assert missing.value.next_step
    with pytest.raises(NotFound):
        station.ship_queue.order(99)


def test_the_queue_follows_the_clock(station: Station, clock: Clock) -> None:
    _store(station, [ship_row(1, "WEB-1", ship_by=T0 + 45 * M, created_at=T0)])
    assert not station.ship_queue.queue().orders[0].will_miss
    clock.advance(20 * 60)
    assert station.ship_queue.queue().orders[0].will_miss


def test_orders_late_for_their_promise_are_marked_counted_and_come_first(
    station: Station,
) -> None:
    today = date(2026, 11, 27)  # T0's day in Bengaluru
    d = timedelta(days=1)
    _store(
        station,
        [
            ship_row(1, "WEB-1", ship_by=T0 + 90 * M, created_at=T0, promised_by=today + 2 * d,
                     transit_days=2),  # leaves today, two days: in time
            ship_row(2, "WEB-2", ship_by=T0 + 90 * M, created_at=T0, promised_by=today + d,
                     transit_days=2),  # two days, promised for tomorrow: late
            ship_row(3, "WEB-3", ship_by=T0 - 10 * M, created_at=T0, promised_by=today + 2 * d,
                     transit_days=2),  # missed today's cut-off: a day later, late
            ship_row(4, "WEB-4", ship_by=T0 + 90 * M, created_at=T0, promised_by=today - d,
                     transit_days=None),  # promised for yesterday
            ship_row(5, "WEB-5", ship_by=T0 + 60 * M, created_at=T0),  # no promise: last
            ship_row(6, "WEB-6", ship_by=T0 - 10 * M, created_at=T0, promised_by=today - d,
                     state="shipped"),  # gone: not counted
        ],
    )  # fmt: skip
    queue = station.ship_queue.queue(page=3)
    everything = station.ship_queue.queue()

    assert [o.order_number for o in everything.orders] == [
        "WEB-4", "WEB-2", "WEB-3", "WEB-1", "WEB-5"
    ]  # fmt: skip
    assert [o.late_for_promise for o in everything.orders] == [True, True, True, False, False]
    assert [o.will_miss for o in everything.orders] == [False, False, True, False, False]
    assert queue.late_for_promise == everything.late_for_promise == 3  # all, not one page
    assert station.ship_queue.order(2).summary.late_for_promise


def test_after_the_promised_day_delivered_in_time_is_not_late_but_still_on_its_way_is(
    station: Station, clock: Clock
) -> None:
    today = date(2026, 11, 27)  # T0's day in Bengaluru
    d = timedelta(days=1)

    def parcel(sscc: str, delivered: datetime | None) -> dict[str, Any]:
        return {"sscc": sscc, "lines": [["SKU-0001", 1]], "void": False, "carrier": "DLV",
                "handed_over_at": to_text(T0), "state": "delivered" if delivered else "in_transit",
                "delivered_at": delivered.isoformat() if delivered else None}  # fmt: skip

    def order(fid: int, state: str, *parcels: dict[str, Any]) -> dict[str, Any]:
        return ship_row(
            fid, f"WEB-{fid}", ship_by=T0, created_at=T0 - d, state=state,
            promised_by=today + 2 * d, transit_days=2, parcels=list(parcels),
        )  # fmt: skip

    _store(
        station,
        [
            order(1, "delivered", parcel("1", T0 + d), parcel("2", T0 + 2 * d)),  # in time
            order(2, "shipped", parcel("3", None)),  # left in time, still on its way
            order(3, "delivered", parcel("4", T0 + 3 * d)),  # came the day after: late
        ],
    )
    clock.advance(7 * 24 * 3600)  # a week on: the promised day has long passed

    assert not station.ship_queue.order(1).summary.late_for_promise
    assert station.ship_queue.order(2).summary.late_for_promise  # a week on, not arrived
    assert station.ship_queue.order(3).summary.late_for_promise
