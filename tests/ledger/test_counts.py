"""Counts follow conflict rule 3: observed at base_ledger_seq, never "set to N"."""

from __future__ import annotations

from app.ledger.audit import verify_chain
from tests.ledger.conftest import DeviceClient, movement_sum, on_hand, tiny_skus
from tests.support.ledger import RunningLedger


def test_movements_after_the_base_by_others_survive_a_count(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[20]
    counter = DeviceClient(shared_ledger, "BLR-01")
    other = DeviceClient(shared_ledger, "BLR-01")
    base = counter.head()  # both stations have seen 10 on hand
    assert on_hand(shared_ledger, "BLR-01", sku) == 10
    other.push([other.count_op(sku, 8, base=base)])  # two went missing, posted first

    result = counter.push([counter.count_op(sku, 7, base=base)])["results"][0]

    # The counter saw 10 and counted 7: -3 is posted; the other station's -2 survives.
    assert result["status"] == "applied"
    assert on_hand(shared_ledger, "BLR-01", sku) == 5
    assert movement_sum(shared_ledger, "BLR-01", sku) == 5
    posted = shared_ledger.sql(
        "SELECT quantity FROM stock_movements WHERE op_id IS NOT NULL AND device_id = :d",
        {"d": counter.device_id},
    )
    assert posted == [(-3,)]


def test_own_pending_counts_are_part_of_the_book(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[21]
    counter = DeviceClient(shared_ledger, "BLR-01")
    base = counter.head()
    counter.push([counter.count_op(sku, 7, base=base)])

    # Still offline from the ledger's view: the second count has the same base, and the
    # station's view was base (10) plus its own pending -3, so it posts 6 - 7 = -1.
    counter.push([counter.count_op(sku, 6, base=base)])

    assert on_hand(shared_ledger, "BLR-01", sku) == 6
    quantities = shared_ledger.sql(
        "SELECT quantity FROM stock_movements WHERE device_id = :d ORDER BY ledger_seq",
        {"d": counter.device_id},
    )
    assert quantities == [(-3,), (-1,)]


def test_count_below_reservations_opens_an_oversell_exception(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[0]  # order T-1001 reserves 2 of it at BLR-01
    counter = DeviceClient(shared_ledger, "BLR-01")
    mumbai = DeviceClient(shared_ledger, "MUM-01")
    cursor = counter.head()
    mumbai_cursor = mumbai.head()

    result = counter.push([counter.count_op(sku, 1, base=cursor)])["results"][0]

    assert result["status"] == "applied"  # a count is a physical fact: never refused
    assert result["exceptions"] == ["oversell"]
    assert on_hand(shared_ledger, "BLR-01", sku) == 1
    changes, _ = counter.pull_all(cursor)
    raised = [c for c in changes if c["scope"] == "exceptions"]
    assert len(raised) == 1
    assert raised[0]["data"]["kind"] == "oversell" and raised[0]["data"]["status"] == "open"
    assert sku in raised[0]["data"]["message"]
    elsewhere, _ = mumbai.pull_all(mumbai_cursor)
    assert not [c for c in elsewhere if c["scope"] in ("exceptions", "stock")]


def test_count_writes_movement_changes_and_a_verifiable_audit_entry(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[22]
    counter = DeviceClient(shared_ledger, "BLR-01")
    cursor = counter.head()

    result = counter.push([counter.count_op(sku, 13, base=cursor, bucket="damaged")])["results"][0]
    sellable = counter.push([counter.count_op(sku, 12, base=cursor)])["results"][0]

    assert on_hand(shared_ledger, "BLR-01", sku, "damaged") == 13
    assert on_hand(shared_ledger, "BLR-01", sku) == 12
    changes, _ = counter.pull_all(cursor)
    stock = [c for c in changes if c["scope"] == "stock"]
    assert [c["seq"] for c in stock] == [result["ledger_seq"], sellable["ledger_seq"]]
    assert stock[0]["data"]["bucket"] == "damaged" and stock[0]["data"]["on_hand"] == 13
    mumbai = DeviceClient(shared_ledger, "MUM-01")
    seen, _ = mumbai.pull_all(cursor)
    network = [c for c in seen if c["scope"] == "network_stock"]
    assert len(network) == 1  # only the sellable bucket is offered to other stores
    assert network[0]["data"]["available"] == 12
    audit = shared_ledger.sql(
        "SELECT actor, action, body FROM audit_log WHERE action = 'stock.count' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert audit[0][0] == "A100" and sku in audit[0][2]
    with shared_ledger.engine.connect() as conn:
        report = verify_chain(conn)
    assert report.ok and report.entries >= 2
