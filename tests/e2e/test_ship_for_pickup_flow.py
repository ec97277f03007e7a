"""Ship-for-pickup end to end: a pickup MUM-01 cannot fill is sent from WH-BHW, the
warehouse ships it, a real station at MUM-01 receives it by scan (offline, then synced),
stages it, makes it ready and hands it over; the ledger ends up right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import Proof, Verification
from app.domain.stock import Bucket
from app.errors import RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from tests.ledger.pickup_support import admin, stock, timeline
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.sync.stations import enrolled_station

S = FulfilmentState
A101 = StaffSession(5, "A101", "Rohan Sharma", "associate", datetime(2026, 1, 1, tzinfo=UTC))
BY_CODE = Proof(Verification.PICKUP_CODE, "Neha Desai")
ANDHERI = {"name": "Neha Desai", "phone": "+91 98200 55555", "city": "Mumbai"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """One tiny SQLite ledger: MUM-01 allows ship-for-pickup, WH-BHW has 100 of each item."""
    yield from tiny_ledger(tmp_path_factory.mktemp("sfp-ledger"))


@pytest.fixture
def station(ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(ledger, tmp_path / "station", location="MUM-01", name="Counter M1")
    yield built
    built.close()


def item(ledger: RunningLedger, index: int) -> tuple[int, str, str]:
    """(item id, SKU, GTIN) of a tiny item by position."""
    rows = ledger.sql("SELECT id, sku, gtin FROM items ORDER BY id")
    return int(rows[index][0]), str(rows[index][1]), str(rows[index][2])


def outbox_size(station: Station) -> int:
    with station.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def in_transit_here(station: Station, item_id: int) -> tuple[int, int]:
    """(on hand, of it pending) of the station's in_transit bucket for an item."""
    buckets = {b.bucket: b for b in station.stock.item_stock(item_id).buckets}
    bucket = buckets.get(Bucket.IN_TRANSIT)
    return (bucket.on_hand, bucket.pending_change) if bucket else (0, 0)


def ledger_in_transit(ledger: RunningLedger, sku: str) -> int:
    rows = ledger.sql(
        "SELECT b.on_hand FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id "
        "WHERE l.code = 'MUM-01' AND i.sku = :s AND b.bucket = 'in_transit'",
        {"s": sku},
    )
    return int(rows[0][0]) if rows else 0


def test_ship_for_pickup_received_offline_then_collected(
    ledger: RunningLedger, station: Station
) -> None:
    (a_id, a, a_gtin), (_, b, _) = item(ledger, 30), item(ledger, 31)
    order_lines = [{"sku": a, "quantity": 22}, {"sku": b, "quantity": 1}]
    placed = ledger.place_order(
        {
            "order_number": "WEB-9301",
            "channel": "web",
            "method": "pickup",
            "pickup_location": "MUM-01",
            "customer": ANDHERI,
            "lines": order_lines,
        }
    )
    ((fid, tid),) = [(f["id"], f["transfer_id"]) for f in placed["fulfilment_orders"]]
    station.sync.sync_once()

    found = station.pickup.find("WEB-9301").orders
    waiting = station.receiving.incoming(fid)
    with pytest.raises(RuleRefused, match=r"Only 22 of .* still to come .*, not 23"):
        station.receiving.receive(A101, fid, a_gtin, 23)  # more than the transfer carries
    assert outbox_size(station) == 0
    assert [(o.fulfilment_id, o.state) for o in found] == [(fid, S.AWAITING_TRANSFER)]
    assert (waiting.source, waiting.to_ship, waiting.in_transit) == ("WH-BHW", 23, 0)
    assert waiting.source_name == "Bhiwandi Central Warehouse"

    admin(ledger, f"/transfers/{tid}/ship", {"by": "WH-BHW dock 1"})
    station.sync.sync_once()
    shipped = station.receiving.incoming(fid)
    assert (shipped.to_ship, shipped.in_transit) == (0, 23)
    assert in_transit_here(station, a_id) == (22, 0)

    ledger.stop()
    try:
        first = station.receiving.receive(A101, fid, a_gtin, 21)  # counted, then keyed
        station.receiving.receive(A101, fid, a_gtin)
        size = outbox_size(station)
        with pytest.raises(RuleRefused, match="received already"):
            station.receiving.receive(A101, fid, a_gtin)  # a double scan
        assert outbox_size(station) == size
        last = station.receiving.receive(A101, fid, b)  # the SKU keyed from the label
        offline = station.pickup.order(fid)
        offline_stock = in_transit_here(station, a_id)
    finally:
        ledger.start()
    station.sync.sync_once()

    assert first.order.summary.state is S.AWAITING_TRANSFER and "2 still in transit" in first.note
    assert last.order.summary.state is S.PICKED
    assert offline.summary.pending_ops == 3
    assert sorted((x.sku, x.picked, x.in_transit, x.to_pick) for x in offline.lines) == sorted(
        [(a, 22, 0, 0), (b, 1, 0, 0)]
    )
    assert offline_stock == (0, -22)
    assert station.status.status().pending_ops == 0
    assert station.pickup.order(fid).summary.state is S.PICKED
    assert in_transit_here(station, a_id) == (0, 0)
    assert ledger_in_transit(ledger, a) == ledger_in_transit(ledger, b) == 0

    station.pickup.stage(A101, fid, "h-09")
    station.pickup.ready(A101, fid)
    done = station.pickup.handover(A101, fid, {a: 22, b: 1}, BY_CODE)
    station.sync.sync_once()

    assert done.order.summary.state is S.COLLECTED
    assert station.pickup.order(fid).summary.pending_ops == 0
    assert stock(ledger, "WH-BHW", a) == (78, 0)
    assert stock(ledger, "WH-BHW", b) == (99, 0)
    assert stock(ledger, "MUM-01", a) == (20, 0)
    assert stock(ledger, "MUM-01", b) == (20, 0)
    assert ledger.sql(
        "SELECT l.code, sum(r.quantity), min(r.status), max(r.status) FROM reservations r "
        "JOIN locations l ON l.id = r.location_id WHERE r.fulfilment_order_id = :f "
        "GROUP BY l.code",
        {"f": fid},
    ) == [("WH-BHW", 0, "consumed", "consumed")]
    assert ledger.sql("SELECT status FROM transfers WHERE id = :t", {"t": tid}) == [("received",)]
    events = timeline(ledger, "WEB-9301")["events"]
    assert [e["kind"] for e in events] == [
        "order.routed",
        "transfer.ship",
        "pickup.receive",
        "pickup.receive",
        "pickup.receive",
        "pickup.stage",
        "pickup.ready",
        "pickup.handover",
    ]
    assert [e["state"] for e in events][-4:] == [
        "picked",
        "staged",
        "ready_for_pickup",
        "collected",
    ]
    assert {e["actor"] for e in events[2:]} == {"A101"} and events[1]["actor"] == "WH-BHW dock 1"
    assert {e["location"] for e in events} == {"MUM-01"}


def test_a_transfer_received_offline_before_the_warehouse_ships_it(
    ledger: RunningLedger, station: Station
) -> None:
    (a_id, a, a_gtin), (_, b, _) = item(ledger, 32), item(ledger, 33)
    placed = ledger.place_order(
        {
            "order_number": "WEB-9302", "channel": "web", "method": "pickup",
            "pickup_location": "MUM-01", "customer": ANDHERI,
            "lines": [{"sku": a, "quantity": 21}, {"sku": b, "quantity": 1}],
        }
    )  # fmt: skip
    ((fid, tid),) = [(f["id"], f["transfer_id"]) for f in placed["fulfilment_orders"]]
    station.sync.sync_once()

    ledger.stop()  # the truck comes; the warehouse has not pressed "ship", the line is down
    try:
        first = station.receiving.receive(A101, fid, a_gtin, 21)
        last = station.receiving.receive(A101, fid, b)
        with pytest.raises(RuleRefused, match="received already"):
            station.receiving.receive(A101, fid, b)
        offline_stock = in_transit_here(station, a_id)
    finally:
        ledger.start()
    station.sync.sync_once()

    assert "WH-BHW had not recorded shipping" in first.note
    assert last.order.summary.state is S.PICKED
    assert offline_stock == (0, 0)  # shipped in and received out again
    assert station.status.status().pending_ops == 0
    assert station.status.status().open_exceptions == 1  # received_before_shipped, for a lead
    assert station.pickup.order(fid).summary.state is S.PICKED
    assert stock(ledger, "WH-BHW", a) == (79, 0)
    assert ledger_in_transit(ledger, a) == 0
    assert ledger.sql("SELECT status FROM transfers WHERE id = :t", {"t": tid}) == [("received",)]
    assert ledger.sql(
        "SELECT l.code, count(*) FROM exceptions e JOIN locations l ON l.id = e.location_id "
        "WHERE e.kind = 'received_before_shipped' GROUP BY l.code ORDER BY l.code"
    ) == [("MUM-01", 1), ("WH-BHW", 1)]  # one per transfer at each end, not one per scan
    with pytest.raises(AssertionError, match="is received"):
        admin(ledger, f"/transfers/{tid}/ship", {"by": "WH-BHW dock 1"})
