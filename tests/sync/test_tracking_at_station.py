"""What a station sees of tracking (a real ledger, the real carrier simulator pushing to
it, a real station at BLR-01): the bench's view of a delivered order says where its
parcel is and when it was delivered; a failed delivery and a return to origin are on the
Exceptions screen's list in the store's words; the order's timeline at a station of the
location lists every carrier event, and a station elsewhere gets none of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from app.domain.exception_texts import DELIVERY_FAILED
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.ledger.tracking_support import (
    Tracked,
    booked_parcel,
    events_of,
    eventually,
    parcel_state,
    tracked_ledger,
)
from tests.support.ledger import backend_params
from tests.sync.stations import enrolled_station

IST = ZoneInfo("Asia/Kolkata")
TEXTS = {DELIVERY_FAILED: "Call the customer and rebook, or wait for the carrier's second attempt."}
SAID = {"shipped": "Collected by the carrier", "in_transit": "In transit",
        "out_for_delivery": "Out for delivery", "failed_delivery": "Failed delivery"}  # fmt: skip


@pytest.fixture(scope="module", params=backend_params())
def t(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Tracked]:
    with tracked_ledger(request.param, tmp_path_factory.mktemp("tracking")) as tracked:
        yield tracked


def test_the_bench_sees_a_delivered_parcel_and_the_exceptions_of_one_that_comes_back(
    t: Tracked, tmp_path: Path
) -> None:
    delivered = booked_parcel(t, "WEB-TS01")
    returned = booked_parcel(t, "WEB-TS02")
    for _ in range(4):
        last = t.advance(delivered.tracking)
    for _ in range(3):
        t.advance(returned.tracking)
    t.advance(returned.tracking, "failed_delivery")
    eventually(lambda: parcel_state(t, returned.sscc)[0] == "failed_delivery", "failed delivery")
    t.advance(returned.tracking, "rto")
    eventually(lambda: parcel_state(t, returned.sscc)[0] == "rto", "return to origin")
    eventually(lambda: parcel_state(t, delivered.sscc)[0] == "delivered", "delivery")

    station = enrolled_station(t.ledger, tmp_path / "bench")
    try:
        station.sync.sync_once()
        seen = station.ship_queue.find("WEB-TS01")
        back = station.ship_queue.find("WEB-TS02")
        rows = [r for r in station.exceptions.open_exceptions() if r.order_number == "WEB-TS02"]
    finally:
        station.close()

    day = datetime.fromisoformat(last["at"]).astimezone(ZoneInfo("Asia/Kolkata"))
    assert seen.tracking == (f"Parcel {delivered.sscc}: delivered on {day:%d %b %Y}",)
    assert back.tracking == (f"Parcel {returned.sscc}: returning to the store",)
    (came_back,) = back.timeline  # from the snapshot of a station enrolled after the events
    assert [(line.what, line.alarm, line.next_step) for line in came_back.lines[-3:]] == [
        ("Out for delivery", False, ""),
        ("Failed delivery", True, TEXTS[DELIVERY_FAILED]),
        ("Returning to the store", True, "Receive it at the bench when it arrives."),
    ]
    assert [(r.title, r.detail, r.next_step) for r in rows] == [
        ("Delivery failed", "WEB-TS02 failed delivery",
         "Call the customer and rebook, or wait for the carrier's second attempt."),
        ("Parcel coming back", "WEB-TS02 returning to BLR-01",
         "Receive it at the bench when it arrives."),
    ]  # fmt: skip


def _event_line(event: dict[str, Any]) -> tuple[str, bool]:
    at = datetime.fromisoformat(event["at"]).astimezone(IST)
    return f"{at:%d %b %H:%M} · {SAID[event['event']]} · {event['place']}", False


def _parcel_rows_with(station: Station, sscc: str) -> int:
    with station.db.reading() as session:
        row = raw_connection(session).execute(
            "SELECT count(*) FROM fulfilment_orders WHERE parcels LIKE ?", (f"%{sscc}%",)
        )
        return int(row.fetchone()[0])


def test_each_carrier_event_reaches_the_timeline_at_the_location_and_nowhere_else(
    t: Tracked, tmp_path: Path
) -> None:
    bench = enrolled_station(t.ledger, tmp_path / "bench")  # before any event: pulls them
    elsewhere = enrolled_station(t.ledger, tmp_path / "mumbai", location="MUM-01")
    try:
        parcel = booked_parcel(t, "WEB-TS03")
        said = [t.advance(parcel.tracking) for _ in range(3)]  # shipped … out for delivery
        said.append(t.advance(parcel.tracking, "failed_delivery"))
        eventually(lambda: len(events_of(t, parcel.sscc)) == 4, "four events")

        bench.sync.sync_once()
        elsewhere.sync.sync_once()
        (timeline,) = bench.ship_queue.find("WEB-TS03").timeline
        kept_elsewhere = _parcel_rows_with(elsewhere, parcel.sscc)
    finally:
        bench.close()
        elsewhere.close()

    lines = [(line.text(IST), line.alarm) for line in timeline.lines]
    packed = timeline.lines[0].at
    assert timeline.sscc == parcel.sscc and packed is not None
    assert lines[0] == (f"{packed.astimezone(IST):%d %b %H:%M} · Packed · by Arjun Rao", False)
    assert lines[1] == (f"Booked · Swift Express {parcel.tracking}", False)  # by the test
    assert lines[2:5] == [_event_line(e) for e in said[:3]]  # oldest first
    failed, _ = _event_line(said[3])
    assert lines[5:] == [(f"{failed} — {TEXTS[DELIVERY_FAILED]}", True)]
    assert kept_elsewhere == 0
