"""Physical facts reach the ledger from two counters of one store that worked offline on
the same order: each is recorded, nothing moves twice, and a lead is asked to count.

(Three counters handing over the same last unit: tests/e2e/test_offline_handover.py.)
"""

from __future__ import annotations

from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.pickup_support import Counter, admin, lines
from tests.ledger.test_ship_for_pickup import pickup_body, transfer
from tests.support.ledger import RunningLedger


def test_a_transfer_received_by_two_counters_moves_once_and_asks_for_a_count(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[31]
    placed = shared_ledger.place_order(pickup_body("WEB-8301", "MUM-01", [(a, 22)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    inbound = transfer(shared_ledger, tid)["lines"][0]["quantity"]
    admin(shared_ledger, f"/transfers/{tid}/ship", {"by": "WH-BHW dispatch"})
    one, other = Counter(shared_ledger, "MUM-01"), Counter(shared_ledger, "MUM-01")
    shelf = on_hand(shared_ledger, "MUM-01", a)

    (first,) = one.send(one.op("pickup.receive", fid, lines=lines((a, inbound))))
    (second,) = other.send(other.op("pickup.receive", fid, lines=lines((a, inbound))))

    assert first["status"] == "applied" and first["exceptions"] == []
    assert second["status"] == "applied"
    assert second["exceptions"] == ["received_beyond_transfer"]
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 0
    assert on_hand(shared_ledger, "MUM-01", a) == shelf  # received units are the order's
    moved = shared_ledger.sql(
        "SELECT count(*) FROM stock_movements WHERE op_id = :o", {"o": second["op_id"]}
    )
    assert moved == [(0,)]
    assert [x["received"] for x in transfer(shared_ledger, tid)["lines"]] == [inbound]
    flag = shared_ledger.sql(
        "SELECT sku, next_step FROM exceptions WHERE op_id = :o", {"o": second["op_id"]}
    )
    assert len(flag) == 1 and flag[0][0] == a and flag[0][1].startswith("Count ")
