"""Resolving a ledger exception at one station closes it at the ledger and so at every
station of the store; a refused close comes back as a rejected operation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.errors import RuleRefused
from app.services.station import Station
from tests.support.counting import count_settled
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station, sku

ITEM = 44  # a tiny-seed item no other test counts at BLR-01


@pytest.fixture
def counters(shared_ledger: RunningLedger, tmp_path: Path) -> Iterator[tuple[Station, Station]]:
    one = enrolled_station(shared_ledger, tmp_path / "one", name="Counter 1")
    two = enrolled_station(shared_ledger, tmp_path / "two", name="Counter 2")
    yield one, two
    one.close()
    two.close()


def _open_oversell(ledger: RunningLedger, station: Station, item: int) -> int:
    """Reserve one unit for a pickup at BLR-01, then count none on the shelf."""
    code = sku(ledger, item)
    ledger.place_order(
        {
            "order_number": f"EXC-{uuid.uuid4().hex[:8]}",
            "channel": "web",
            "method": "pickup",
            "pickup_location": "BLR-01",
            "customer": {"name": "Asha", "phone": "+91 98450 00000", "city": "Bengaluru"},
            "lines": [{"sku": code, "quantity": 1}],
        }
    )
    station.sync.sync_once()  # the reservation reaches the station first
    counted = count_settled(station.stock, station.auth.login_pin("A100", "1111"), code, 0)
    station.sync.sync_once()
    rows = ledger.sql("SELECT id FROM exceptions WHERE op_id = :op", {"op": counted.op_id})
    assert rows, "the count opened no exception"
    return int(rows[0][0])


def _keys(station: Station) -> set[str]:
    return {row.key for row in station.exceptions.open_exceptions()}


def test_one_counter_resolves_and_the_other_no_longer_lists_it(
    shared_ledger: RunningLedger,
    counters: tuple[Station, Station],
) -> None:
    one, two = counters
    key = f"ledger:{_open_oversell(shared_ledger, one, ITEM)}"
    two.sync.sync_once()
    assert key in _keys(one) and key in _keys(two)
    with pytest.raises(RuleRefused):
        two.exceptions.resolve(two.auth.login_pin("A100", "1111"), key, "found it")

    pending_before = one.status.status().pending_ops
    one.exceptions.resolve(one.auth.login_pin("L200", "2222"), key, "found 1 in the back room")

    assert key not in _keys(one)  # resolved here at once, while its op is pending
    assert one.status.status().pending_ops == pending_before + 1
    report = one.sync.sync_once()
    assert report.applied >= 1 and report.rejected == 0
    exc_id = int(key.removeprefix("ledger:"))
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("resolved",)
    ]
    assert key not in _keys(one)  # still resolved after the pull brought status=resolved
    two.sync.sync_once()
    assert key not in _keys(two)
    assert two.status.status().open_exceptions == len(_keys(two))


def test_a_close_the_ledger_refuses_comes_back_as_a_rejected_op(
    shared_ledger: RunningLedger, counters: tuple[Station, Station]
) -> None:
    one, _ = counters
    exc_id = _open_oversell(shared_ledger, one, ITEM + 1)
    key = f"ledger:{exc_id}"
    lead = one.auth.login_pin("L200", "2222")
    one.exceptions.resolve(lead, key, "counted again")
    # the ledger no longer knows L200 as a lead (the station has not heard yet)
    shared_ledger.sql("UPDATE staff SET role = 'associate' WHERE code = 'L200'")
    try:
        assert one.sync.sync_once().rejected == 1
    finally:
        shared_ledger.sql("UPDATE staff SET role = 'lead' WHERE code = 'L200'")

    rows = one.exceptions.open_exceptions()
    refused = [r for r in rows if r.kind == "close_refused"]
    assert len(refused) == 1 and refused[0].title == "Not closed at the ledger"
    assert "lead or a manager" in refused[0].detail
    assert key in {r.key for r in rows}  # still open at the ledger, so open here again
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("open",)
    ]

    one.exceptions.resolve(lead, key, "counted again, with the lead's role back")
    assert one.sync.sync_once().rejected == 0
    assert key not in _keys(one)
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("resolved",)
    ]
