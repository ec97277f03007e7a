"""Closing a ledger exception: a lead or manager, with a note, at the exception's store."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from app.ledger.audit import verify_chain
from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import RunningLedger


def _resolve_op(
    device: DeviceClient, exception_id: int, *, actor: str, note: str = "found 1 in back room"
) -> dict[str, Any]:
    seq = device.next_seq
    device.next_seq += 1
    return {
        "op_id": uuid.uuid4().hex,
        "device_seq": seq,
        "type": "exception.resolve",
        "payload": {"location": device.location, "exception_id": exception_id, "note": note},
        "actor": actor,
        "device_time": datetime.now(UTC).isoformat(),
        "base_ledger_seq": device.head(),
    }


def _open_oversell(ledger: RunningLedger, device: DeviceClient, item: int) -> int:
    """Reserve units of an item for a pickup at BLR-01, then count none of it on the shelf."""
    number = f"EXC-{uuid.uuid4().hex[:8]}"
    ordered = ledger.place_order(
        {
            "order_number": number,
            "channel": "web",
            "method": "pickup",
            "pickup_location": "BLR-01",
            "customer": {"name": "Asha", "phone": "+91 98450 00000", "city": "Bengaluru"},
            "lines": [{"sku": tiny_skus(ledger)[item], "quantity": 1}],
        }
    )
    assert ordered["fulfilment_orders"][0]["location"] == "BLR-01"
    sku = tiny_skus(ledger)[item]
    result = device.push([device.count_op(sku, 0, base=device.head())])["results"][0]
    assert result["exceptions"] == ["oversell"]
    rows = ledger.sql("SELECT id FROM exceptions WHERE op_id = :op", {"op": result["op_id"]})
    return int(rows[0][0])


def test_a_lead_closes_an_exception_and_every_station_of_the_store_sees_it(
    shared_ledger: RunningLedger,
) -> None:
    counter = DeviceClient(shared_ledger, "BLR-01")
    other_counter = DeviceClient(shared_ledger, "BLR-01")
    exc_id = _open_oversell(shared_ledger, counter, 5)
    cursor = other_counter.head()

    result = counter.push([_resolve_op(counter, exc_id, actor="L200")])["results"][0]

    assert result["status"] == "applied"
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("resolved",)
    ]
    changes, _ = other_counter.pull_all(cursor)
    closed = [c for c in changes if c["scope"] == "exceptions" and c["key"] == str(exc_id)]
    assert [c["data"]["status"] for c in closed] == ["resolved"]
    with shared_ledger.engine.connect() as conn:
        assert verify_chain(conn).ok
    notes = shared_ledger.sql(
        "SELECT actor, body FROM audit_log WHERE action = 'exception.resolve' ORDER BY id DESC"
    )
    assert notes[0][0] == "L200" and "found 1 in back room" in notes[0][1]


def test_an_associate_cannot_close_one_and_the_queue_goes_on(
    shared_ledger: RunningLedger,
) -> None:
    counter = DeviceClient(shared_ledger, "BLR-01")
    exc_id = _open_oversell(shared_ledger, counter, 6)
    sku = tiny_skus(shared_ledger)[8]

    results = counter.push(
        [_resolve_op(counter, exc_id, actor="A100"), counter.count_op(sku, 9, base=counter.head())]
    )["results"]

    assert results[0]["status"] == "rejected"
    assert "lead or a manager" in results[0]["reason"]
    assert results[1]["status"] == "applied"
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("open",)
    ]


def test_another_store_cannot_close_this_stores_exception(shared_ledger: RunningLedger) -> None:
    counter = DeviceClient(shared_ledger, "BLR-01")
    mumbai = DeviceClient(shared_ledger, "MUM-01")
    exc_id = _open_oversell(shared_ledger, counter, 7)

    result = mumbai.push([_resolve_op(mumbai, exc_id, actor="M300")])["results"][0]

    assert result["status"] == "rejected"
    assert "does not belong to this store" in result["reason"]
    assert shared_ledger.sql("SELECT status FROM exceptions WHERE id = :i", {"i": exc_id}) == [
        ("open",)
    ]
