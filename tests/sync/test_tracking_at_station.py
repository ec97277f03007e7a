"""What a station sees of tracking (a real ledger, the real carrier simulator pushing to
it, a real station at BLR-01): the bench's view of a delivered order says where its
parcel is and when it was delivered; a failed delivery and a return to origin are on the
Exceptions screen's list in the store's words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.ledger.tracking_support import (
    Tracked,
    booked_parcel,
    eventually,
    parcel_state,
    tracked_ledger,
)
from tests.support.ledger import backend_params
from tests.sync.stations import enrolled_station


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
    assert [(r.title, r.detail, r.next_step) for r in rows] == [
        ("Delivery failed", "WEB-TS02 failed delivery",
         "Call the customer and rebook, or wait for the carrier's second attempt."),
        ("Parcel coming back", "WEB-TS02 returning to BLR-01",
         "Receive it at the bench when it arrives."),
    ]  # fmt: skip
