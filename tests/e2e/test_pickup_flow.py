"""BOPIS end to end: an order placed at the ledger is picked, staged, made ready and
handed over at a real station, online and offline, and the ledger ends up right."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup_ops import Proof, Verification
from app.errors import NotFound, RuleRefused
from app.services.results import StaffSession
from app.services.station import Station
from tests.ledger.pickup_support import admin, place_pickup, stock, timeline
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.sync.stations import enrolled_station

S = FulfilmentState
A100 = StaffSession(1, "A100", "Arjun Rao", "associate", datetime(2026, 1, 1, tzinfo=UTC))
BY_CODE = Proof(Verification.PICKUP_CODE, "Asha Kumar")


@pytest.fixture(scope="module")
def pickup_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """One tiny SQLite ledger for this module; each test uses items of its own."""
    yield from tiny_ledger(tmp_path_factory.mktemp("pickup-ledger"))


@pytest.fixture
def station(pickup_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(pickup_ledger, tmp_path / "station")
    yield built
    built.close()


def items(ledger: RunningLedger, *indexes: int) -> list[tuple[str, str]]:
    """(SKU, GTIN) of tiny items by position."""
    rows = ledger.sql("SELECT sku, gtin FROM items ORDER BY id")
    return [(str(rows[i][0]), str(rows[i][1])) for i in indexes]


def pending(station: Station) -> int:
    return station.status.status().pending_ops


def outbox_size(station: Station) -> int:
    with station.db.reading() as session:
        return int(session.execute(text("SELECT count(*) FROM outbox")).scalar_one())


def pick_stage_ready(station: Station, fid: int, scans: list[str], bin_code: str) -> None:
    station.pickup.accept(A100, fid)
    for scan in scans:
        station.pickup.pick(A100, fid, scan)
    station.pickup.stage(A100, fid, bin_code)
    station.pickup.ready(A100, fid)


def states(ledger: RunningLedger, number: str) -> list[str]:
    return [e["state"] for e in timeline(ledger, number)["events"]]


def test_full_pickup_online(pickup_ledger: RunningLedger, station: Station) -> None:
    (a, a_gtin), (b, b_gtin) = items(pickup_ledger, 10, 11)
    placed = place_pickup(pickup_ledger, "WEB-9101", [(a, 2), (b, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()

    found = station.pickup.find("web-9101")
    pick_stage_ready(station, fid, [a_gtin, a_gtin, b_gtin], "h-03")
    with pytest.raises(RuleRefused, match="is picked already"):
        station.pickup.pick(A100, fid, a_gtin)  # more than ordered
    assert station.pickup.verify_pickup_code(fid, placed["pickup_code"])
    assert not station.pickup.verify_pickup_code(fid, "000000")
    done = station.pickup.handover(A100, fid, {a: 2, b: 1}, BY_CODE)
    size = outbox_size(station)
    with pytest.raises(RuleRefused, match="already handed over"):
        station.pickup.handover(A100, fid, {a: 2, b: 1}, BY_CODE)  # a double press
    assert outbox_size(station) == size
    station.sync.sync_once()

    assert [o.fulfilment_id for o in found.orders] == [fid] and found.found_by == "order_number"
    assert done.order.summary.state is S.COLLECTED
    assert stock(pickup_ledger, "BLR-01", a) == (8, 0)
    assert stock(pickup_ledger, "BLR-01", b) == (9, 0)
    seen = states(pickup_ledger, "WEB-9101")
    assert seen[:2] == ["routed", "accepted"] and "picking" in seen
    assert seen[-3:] == ["staged", "ready_for_pickup", "collected"]
    after = station.pickup.order(fid)
    assert after.summary.state is S.COLLECTED and after.summary.pending_ops == 0
    assert after.summary.bin == "H-03" and after.log["handovers"][0]["staff"] == "A100"
    assert pending(station) == 0


def test_partial_handover_cancels_a_line_and_restocks_it(
    pickup_ledger: RunningLedger, station: Station
) -> None:
    (a, a_gtin), (b, b_gtin) = items(pickup_ledger, 12, 13)
    fid = place_pickup(pickup_ledger, "WEB-9102", [(a, 2), (b, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()

    pick_stage_ready(station, fid, [a, a_gtin, b_gtin], "H-04")
    handed = station.pickup.handover(
        A100, fid, {a: 2}, BY_CODE, cancel_left=[b], cancel_reason="customer changed mind"
    )
    tasks = station.pickup.restock_tasks()
    station.sync.sync_once()
    with pytest.raises(NotFound, match="No item"):
        station.pickup.restock(A100, fid, "0000000000000")
    station.pickup.restock(A100, fid, b_gtin)
    station.sync.sync_once()

    assert handed.order.summary.state is S.COLLECTED
    assert [(t.order_number, [(x.sku, x.due) for x in t.lines]) for t in tasks] == [
        ("WEB-9102", [(b, 1)])
    ]
    assert stock(pickup_ledger, "BLR-01", a) == (8, 0)
    assert stock(pickup_ledger, "BLR-01", b) == (10, 0)
    assert states(pickup_ledger, "WEB-9102")[-1] == "collected"
    assert station.pickup.restock_tasks() == []


def test_offline_from_pick_to_handover_reaches_the_same_end(
    pickup_ledger: RunningLedger, station: Station
) -> None:
    (a, a_gtin), (b, b_gtin) = items(pickup_ledger, 14, 15)
    placed = place_pickup(pickup_ledger, "WEB-9103", [(a, 2), (b, 1)])
    fid = placed["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    pickup_ledger.stop()
    try:
        found = station.pickup.find(placed["pickup_qr"])
        pick_stage_ready(station, fid, [a_gtin, a_gtin, b_gtin], "H-05")
        assert station.pickup.verify_pickup_code(fid, placed["pickup_code"])
        station.pickup.handover(A100, fid, {a: 2, b: 1}, BY_CODE)
        offline = station.pickup.order(fid)
        queued = pending(station)
    finally:
        pickup_ledger.start()
    station.sync.sync_once()

    assert found.found_by == "qr" and found.code_verified
    assert offline.summary.state is S.COLLECTED and offline.summary.pending_ops == queued == 7
    assert stock(pickup_ledger, "BLR-01", a) == (8, 0)
    assert stock(pickup_ledger, "BLR-01", b) == (9, 0)
    assert states(pickup_ledger, "WEB-9103")[-3:] == ["staged", "ready_for_pickup", "collected"]
    assert station.pickup.order(fid).summary.pending_ops == 0


def test_handover_after_a_central_cancel_opens_an_exception(
    pickup_ledger: RunningLedger, station: Station
) -> None:
    ((a, a_gtin),) = items(pickup_ledger, 16)
    fid = place_pickup(pickup_ledger, "WEB-9104", [(a, 1)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    pick_stage_ready(station, fid, [a_gtin], "H-06")
    station.sync.sync_once()
    pickup_ledger.stop()
    try:
        station.pickup.handover(A100, fid, {a: 1}, BY_CODE)  # offline, not yet told
    finally:
        pickup_ledger.start()
    admin(pickup_ledger, "/orders/WEB-9104/cancel", {"reason": "customer called"})
    station.sync.sync_once()

    kinds = [e.kind for e in station.exceptions.open_exceptions()]
    assert "collected_after_cancel" in kinds
    assert states(pickup_ledger, "WEB-9104")[-2:] == ["cancelled", "collected"]
    assert stock(pickup_ledger, "BLR-01", a) == (9, 0)
    assert station.pickup.order(fid).summary.state is S.COLLECTED


def test_find_is_forgiving_and_names_the_holding_store(
    pickup_ledger: RunningLedger, station: Station
) -> None:
    ((a, _),) = items(pickup_ledger, 17)
    order: dict[str, Any] = {
        "order_number": "APP-9105",
        "channel": "app",
        "method": "pickup",
        "pickup_location": "BLR-01",
        "customer": {"name": "Meera Iyer", "phone": "+91 99001 23456", "city": "Bengaluru"},
        "lines": [{"sku": a, "quantity": 1}],
    }
    placed = pickup_ledger.place_order(order)
    place_pickup(pickup_ledger, "WEB-9106", [(a, 1)], store="MUM-01")
    mumbai = pickup_ledger.sql("SELECT name FROM locations WHERE code = 'MUM-01'")[0][0]
    station.sync.sync_once()

    queries = ["9900123456", "+919900123456", "099001 23456", " +91 99001-23456 ", "meera"]
    queries += ["IYER  meera", " app-9105 ", placed["pickup_code"]]
    found = {q: [o.order_number for o in station.pickup.find(q).orders] for q in queries}
    with pytest.raises(NotFound) as elsewhere:
        station.pickup.find("WEB-9106")
    with pytest.raises(NotFound) as nowhere:
        station.pickup.find("WEB-0000")
    pickup_ledger.stop()
    try:
        with pytest.raises(NotFound) as offline:
            station.pickup.find("WEB-9106")
    finally:
        pickup_ledger.start()

    assert all(numbers == ["APP-9105"] for numbers in found.values()), found
    assert f"held at {mumbai} (MUM-01)" in elsewhere.value.message
    assert "No pickup order matches" in nowhere.value.message
    assert "not in this station's cache" in offline.value.message
    assert "online" in offline.value.next_step
    queue = station.pickup.queue()
    assert "APP-9105" in [o.order_number for o in queue.to_pick]


def test_no_show_becomes_a_restock_task(pickup_ledger: RunningLedger, station: Station) -> None:
    """Last in the module: expiring at a far-future time cancels every ready hold."""
    ((a, a_gtin),) = items(pickup_ledger, 18)
    fid = place_pickup(pickup_ledger, "WEB-9107", [(a, 2)])["fulfilment_orders"][0]["id"]
    station.sync.sync_once()
    pick_stage_ready(station, fid, [a_gtin, a_gtin], "H-07")
    station.sync.sync_once()
    assert stock(pickup_ledger, "BLR-01", a) == (8, 0)

    expired = admin(pickup_ledger, "/admin/expire-holds", {"now": "2099-01-01T00:00:00+00:00"})
    station.sync.sync_once()
    tasks = {t.order_number: t for t in station.pickup.restock_tasks()}
    queue = station.pickup.queue()
    for _ in range(2):
        station.pickup.restock(A100, fid, a_gtin)
    with pytest.raises(RuleRefused, match="Nothing of order WEB-9107"):
        station.pickup.restock(A100, fid, a_gtin)  # a double scan
    station.sync.sync_once()

    assert "WEB-9107" in expired["expired"]
    assert [(x.sku, x.due) for x in tasks["WEB-9107"].lines] == [(a, 2)]
    assert tasks["WEB-9107"].bin == "H-07" and tasks["WEB-9107"].state is S.CANCELLED
    assert "WEB-9107" in [t.order_number for t in queue.to_restock]
    assert stock(pickup_ledger, "BLR-01", a) == (10, 0)
    assert "WEB-9107" not in [t.order_number for t in station.pickup.restock_tasks()]
