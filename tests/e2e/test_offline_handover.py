"""Three counters of one store, offline, each pick and hand over the same one-unit order
that holds the last unit (DESIGN.md §4 rule 1: physical facts are never refused).

Every handover happened, so the ledger records all three: on hand goes to −2, the order
is collected once, and each extra handover opens an exception telling a lead to count
the item. The intentions of the late counters (accept, stage, ready) may be refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import Proof, Verification
from app.services.results import StaffSession
from app.services.station import Station
from tests.ledger.conftest import DeviceClient
from tests.ledger.pickup_support import place_pickup, stock, timeline
from tests.support.ledger import RunningLedger
from tests.sync.stations import enrolled_station

A100 = StaffSession(1, "A100", "Arjun Rao", "associate", datetime(2026, 1, 1, tzinfo=UTC))
BY_CODE = Proof(Verification.PICKUP_CODE, "Asha Kumar")
BEYOND = "handed_over_beyond_order"


@pytest.fixture
def counters(ledger: RunningLedger, tmp_path: Path) -> Iterator[list[Station]]:
    built = [
        enrolled_station(ledger, tmp_path / f"counter-{n}", name=f"Counter {n}") for n in (1, 2, 3)
    ]
    yield built
    for station in built:
        station.close()


def _last_unit_order(ledger: RunningLedger) -> tuple[str, str, int]:
    """An order for the store's last unit of an item: (SKU, GTIN, fulfilment id)."""
    sku, gtin = (str(v) for v in ledger.sql("SELECT sku, gtin FROM items WHERE id = 20")[0])
    counter = DeviceClient(ledger, "BLR-01")  # a count leaves 1 on the shelf
    assert (
        counter.push([counter.count_op(sku, 1, base=counter.head())])["results"][0]["status"]
        == "applied"
    )
    fid = place_pickup(ledger, "WEB-9901", [(sku, 1)])["fulfilment_orders"][0]["id"]
    return sku, gtin, int(fid)


def _statuses(station: Station, op_type: str) -> list[str]:
    with station.db.reading() as session:
        rows = session.execute(
            text("SELECT status FROM outbox WHERE type = :t ORDER BY device_seq"), {"t": op_type}
        )
        return [str(r[0]) for r in rows]


def test_three_offline_handovers_of_the_last_unit_are_all_recorded(
    ledger: RunningLedger, counters: list[Station]
) -> None:
    sku, gtin, fid = _last_unit_order(ledger)
    for station in counters:
        station.sync.sync_once()
    ledger.stop()
    try:
        for station in counters:  # each counter thinks it is the only one
            station.pickup.accept(A100, fid)
            station.pickup.pick(A100, fid, gtin)
            station.pickup.stage(A100, fid, "H-03")
            station.pickup.ready(A100, fid)
            done = station.pickup.handover(A100, fid, {sku: 1}, BY_CODE)
            assert done.order.summary.state is FulfilmentState.COLLECTED
    finally:
        ledger.start()
    for station in counters:
        station.sync.sync_once()
    for station in counters:
        station.sync.sync_once()  # every counter sees the others' flags

    assert stock(ledger, "BLR-01", sku) == (-2, 0)
    row = ledger.sql(
        "SELECT f.state, l.collected FROM fulfilment_orders f "
        "JOIN fulfilment_lines l ON l.fulfilment_order_id = f.id WHERE f.id = :f",
        {"f": fid},
    )
    assert row == [("collected", 1)]
    handovers = ledger.sql(
        "SELECT device_id FROM fulfilment_events WHERE fulfilment_order_id = :f "
        "AND kind = 'pickup.handover'",
        {"f": fid},
    )
    assert len({h[0] for h in handovers}) == len(handovers) == 3  # one from each counter
    assert timeline(ledger, "WEB-9901")["events"][-1]["state"] == "collected"
    flags = ledger.sql(
        "SELECT sku, order_number, next_step FROM exceptions WHERE kind = :k ORDER BY id",
        {"k": BEYOND},
    )
    assert [(f[0], f[1]) for f in flags] == [(sku, "WEB-9901")] * 2
    assert all("count" in str(f[2]) and sku in str(f[2]) for f in flags)
    # The late counters' picks beyond the order were flagged "put it back" until their
    # handovers showed the units went to a customer: two flags stay open, both "count".
    still_open = ledger.sql(
        "SELECT kind FROM exceptions WHERE order_number = 'WEB-9901' AND status = 'open'"
    )
    assert still_open == [(BEYOND,), (BEYOND,)]
    for station in counters:
        assert _statuses(station, "pickup.handover") == ["applied"]
        assert _statuses(station, "pickup.pick") == ["applied"]
        assert [e.kind for e in station.exceptions.open_exceptions()].count(BEYOND) == 2
    # Only the late counters' intentions were refused: the order was collected by then.
    assert [_statuses(s, "pickup.ready") for s in counters] == [
        ["applied"],
        ["rejected"],
        ["rejected"],
    ]
