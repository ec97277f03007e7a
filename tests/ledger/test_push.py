"""Push semantics over real HTTP: exactly once, in order, never blocked by one bad op."""

from __future__ import annotations

import threading
from typing import Any

from tests.ledger.conftest import DeviceClient, movement_sum, on_hand, tiny_skus
from tests.support.ledger import RunningLedger


def _applied_ops(ledger: RunningLedger, device_id: str) -> int:
    return int(
        ledger.sql("SELECT count(*) FROM stock_movements WHERE device_id = :d", {"d": device_id})[
            0
        ][0]
    )


def test_replay_returns_stored_result_and_applies_nothing_twice(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    ops = [
        station.count_op(sku[11], 7, base=base),
        station.count_op(sku[12], 12, base=base),
    ]
    first = station.push(ops)
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]
    assert first["last_applied_seq"] == 2

    again = station.push(ops)

    assert [r["replayed"] for r in again["results"]] == [True, True]
    assert [r["ledger_seq"] for r in again["results"]] == [
        r["ledger_seq"] for r in first["results"]
    ]
    assert again["last_applied_seq"] == 2
    assert _applied_ops(shared_ledger, station.device_id) == 2
    assert on_hand(shared_ledger, "BLR-01", sku[11]) == 7
    assert movement_sum(shared_ledger, "BLR-01", sku[11]) == 7


def test_same_batch_pushed_concurrently_applies_each_op_once(shared_ledger: RunningLedger) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    ops = [station.count_op(sku[n], 3 + n % 4, base=base) for n in range(13, 43)]
    answers: list[dict[str, Any]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def push() -> None:
        try:
            start.wait(timeout=10)
            answers.append(station.push(ops))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert len(answers) == 2
    seqs = [[r["ledger_seq"] for r in answer["results"]] for answer in answers]
    assert seqs[0] == seqs[1]
    replayed = sorted(all(r["replayed"] for r in answer["results"]) for answer in answers)
    assert replayed == [False, True]
    assert _applied_ops(shared_ledger, station.device_id) == len(ops)
    received = shared_ledger.sql(
        "SELECT count(*) FROM ops_received WHERE device_id = :d", {"d": station.device_id}
    )
    assert received[0][0] == len(ops)


def test_gap_answers_409_with_expected_seq_and_applies_nothing(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    station.push([station.count_op(sku[43], 4, base=base)])
    ops = [
        station.count_op(sku[44], 1, base=base, seq=2),
        station.count_op(sku[45], 1, base=base, seq=4),
    ]

    response = station.push_raw(ops)

    assert response.status_code == 409
    assert response.json() == {"error": "gap", "expected_seq": 3}
    assert _applied_ops(shared_ledger, station.device_id) == 1


def test_reused_op_id_with_other_payload_is_422_and_applies_nothing(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    first = station.count_op(sku[46], 5, base=base)
    station.push([first])
    changed = dict(first, payload=dict(first["payload"], observed=6))
    fresh = station.count_op(sku[47], 2, base=base)

    response = station.push_raw([changed, fresh])

    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "op_reused"
    assert body["op_id"] == first["op_id"]
    assert _applied_ops(shared_ledger, station.device_id) == 1
    assert on_hand(shared_ledger, "BLR-01", sku[46]) == 5

    # The same op_id under a new device_seq is refused too, and again nothing is applied.
    moved = dict(first, device_seq=2)
    response = station.push_raw([moved])
    assert response.status_code == 422
    assert response.json()["device_seq"] == 2
    assert _applied_ops(shared_ledger, station.device_id) == 1
    assert station.push([fresh])["results"][0]["status"] == "applied"


def test_rejected_op_consumes_its_seq_and_does_not_block_later_ops(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    base = station.head()
    ops = [
        station.count_op("NO-SUCH-SKU", 3, base=base),
        station.count_op(sku[48], 2, base=base, location="MUM-01"),
        station.count_op(sku[48], 9, base=base),
    ]

    answer = station.push(ops)

    unknown, elsewhere, good = answer["results"]
    assert unknown["status"] == "rejected"
    assert "NO-SUCH-SKU" in unknown["reason"] and unknown["next_step"]
    assert elsewhere["status"] == "rejected"
    assert "MUM-01" in elsewhere["reason"] and "BLR-01" in elsewhere["reason"]
    assert good["status"] == "applied"
    assert answer["last_applied_seq"] == 3
    assert on_hand(shared_ledger, "BLR-01", sku[48]) == 9
    assert on_hand(shared_ledger, "MUM-01", sku[48]) == 20
    # A rejected result is stored and replayed like any other.
    replay = station.push(ops[:1])["results"][0]
    assert replay["replayed"] is True and replay["status"] == "rejected"


def test_push_in_another_devices_name_is_refused(shared_ledger: RunningLedger) -> None:
    mine = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    other = DeviceClient(shared_ledger, "BLR-01")
    response = mine.push_raw([mine.count_op(sku[49], 1, base=0)], device_id=other.device_id)
    assert response.status_code == 403
    assert _applied_ops(shared_ledger, other.device_id) == 0


def test_an_op_id_with_a_control_character_is_refused_before_anything_is_read(
    shared_ledger: RunningLedger,
) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)
    op = station.count_op(sku[48], 4, base=station.head())

    response = station.push_raw([dict(op, op_id="bad\x00op-id-0001")])

    assert response.status_code == 422
    assert _applied_ops(shared_ledger, station.device_id) == 0
    assert station.push([op])["results"][0]["status"] == "applied"
