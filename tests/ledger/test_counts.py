"""Counts follow conflict rule 3: observed at base_ledger_seq, never "set to N"."""

from __future__ import annotations

from app.ledger.audit import verify_chain
from tests.ledger.conftest import DeviceClient, movement_sum, on_hand, tiny_skus
from tests.ledger.pickup_support import Counter, lines, place_pickup
from tests.support.ledger import RunningLedger


def _sell_one(ledger: RunningLedger, sku: str, number: str) -> int:
    """Another counter picks one unit of ``sku`` for a web order; returns its ledger_seq."""
    placed = place_pickup(ledger, number, [(sku, 1)])
    seller = Counter(ledger, "BLR-01")
    fo = placed["fulfilment_orders"][0]["id"]
    results = seller.send(
        seller.op("pickup.accept", fo), seller.op("pickup.pick", fo, lines=lines((sku, 1)))
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    return int(results[1]["ledger_seq"])


def _posted(ledger: RunningLedger, device: DeviceClient) -> list[int]:
    rows = ledger.sql(
        "SELECT quantity FROM stock_movements WHERE device_id = :d ORDER BY ledger_seq",
        {"d": device.device_id},
    )
    return [int(q) for (q,) in rows]


def _last_count_audit(ledger: RunningLedger) -> str:
    """The body of the newest stock.count audit entry."""
    rows = ledger.sql(
        "SELECT body FROM audit_log WHERE action = 'stock.count' ORDER BY id DESC LIMIT 1"
    )
    return str(rows[0][0])


def test_movements_after_the_base_by_others_survive_a_count(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[20]
    counter = DeviceClient(shared_ledger, "BLR-01")
    base = counter.head()  # the counter has seen 10 on hand
    assert on_hand(shared_ledger, "BLR-01", sku) == 10
    _sell_one(shared_ledger, sku, "WEB-8020")  # picked elsewhere after the counter looked

    result = counter.push([counter.count_op(sku, 7, base=base)])["results"][0]

    # The counter saw 10 and counted 7: -3 is posted; the pick's -1 survives.
    assert result["status"] == "applied" and result["exceptions"] == []
    assert on_hand(shared_ledger, "BLR-01", sku) == 6
    assert movement_sum(shared_ledger, "BLR-01", sku) == 6
    assert _posted(shared_ledger, counter) == [-3]


def test_a_later_count_supersedes_an_earlier_count_it_did_not_see(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[23]
    counter = DeviceClient(shared_ledger, "BLR-01")
    other = DeviceClient(shared_ledger, "BLR-01")
    base = counter.head()  # both stations have seen 10 on hand
    other.push([other.count_op(sku, 8, base=base)])  # two went missing, posted first

    result = counter.push([counter.count_op(sku, 7, base=base)])["results"][0]

    # The other count is a look at the same shelf, not a movement to keep: 7, not 5.
    assert result["status"] == "applied" and result["exceptions"] == []
    assert on_hand(shared_ledger, "BLR-01", sku) == 7
    assert movement_sum(shared_ledger, "BLR-01", sku) == 7
    assert _posted(shared_ledger, other) == [-2] and _posted(shared_ledger, counter) == [-1]
    assert '"superseded":[' in _last_count_audit(shared_ledger)


def test_a_sale_between_two_counts_that_neither_saw_survives_the_later_count(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[24]
    first = DeviceClient(shared_ledger, "BLR-01")
    later = DeviceClient(shared_ledger, "BLR-01")
    base = first.head()  # 10 on hand
    first.push([first.count_op(sku, 9, base=base)])  # 9
    _sell_one(shared_ledger, sku, "WEB-8024")  # 8

    later.push([later.count_op(sku, 9, base=base)])

    # The later count supersedes the first and keeps the sale it could not see: 9 - 1.
    assert on_hand(shared_ledger, "BLR-01", sku) == 8
    assert _posted(shared_ledger, later) == [0]


def test_a_count_that_looked_before_a_sale_leaves_a_count_made_after_it(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[25]
    stale = DeviceClient(shared_ledger, "BLR-01")
    fresh = DeviceClient(shared_ledger, "BLR-01")
    old_base = stale.head()  # the stale station saw 10 and went offline
    _sell_one(shared_ledger, sku, "WEB-8025")  # 9
    fresh_count = fresh.push([fresh.count_op(sku, 7, base=fresh.head())])["results"][0]
    assert on_hand(shared_ledger, "BLR-01", sku) == 7  # two went missing after the sale

    result = stale.push([stale.count_op(sku, 10, base=old_base)])["results"][0]

    # The fresh count saw the sale, the stale one did not: it looked before the sale, so
    # the fresh count stands. (Arrival order would bring the missing two back: 10 - 1.)
    assert result["status"] == "applied" and result["exceptions"] == []
    assert on_hand(shared_ledger, "BLR-01", sku) == 7
    assert _posted(shared_ledger, stale) == [0]
    assert f'"newer_count":{fresh_count["ledger_seq"]}' in _last_count_audit(shared_ledger)


def test_a_count_with_base_0_on_a_shelf_with_history_is_set_and_flagged(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[26]
    counter = DeviceClient(shared_ledger, "BLR-01")
    cursor = counter.head()
    assert on_hand(shared_ledger, "BLR-01", sku) == 10

    result = counter.push([counter.count_op(sku, 8, base=0)])["results"][0]

    # Base 0 "saw nothing": posted against it, 8 - 0 would make 18.
    assert result["status"] == "applied"
    assert result["exceptions"] == ["count_needs_check"]
    assert on_hand(shared_ledger, "BLR-01", sku) == 8
    changes, _ = counter.pull_all(cursor)
    flags = [c["data"] for c in changes if c["scope"] == "exceptions"]
    assert [(f["kind"], f["sku"], f["status"]) for f in flags] == [
        ("count_needs_check", sku, "open")
    ]
    assert "Counted 8" in flags[0]["message"] and "(it said 10)" in flags[0]["message"]
    assert "Count" in flags[0]["next_step"] and sku in flags[0]["next_step"]


def test_a_count_with_a_base_the_ledger_never_reached_is_set_and_flagged(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[27]
    counter = DeviceClient(shared_ledger, "BLR-01")

    lost = counter.head() + 1000  # seen on a timeline a restore took away
    result = counter.push([counter.count_op(sku, 12, base=lost)])["results"][0]

    assert result["exceptions"] == ["count_needs_check"]
    assert on_hand(shared_ledger, "BLR-01", sku) == 12


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


def test_a_sale_elsewhere_of_a_unit_counted_gone_leaves_minus_one_flagged_in_either_order(
    shared_ledger: RunningLedger,
) -> None:
    # The book says 1; one station counts 0 while another picks that unit for a web order.
    # Rule 3 takes the pick as made after the count looked, whichever reaches the ledger
    # first: -1 on hand either way, and one "fewer on the shelf than promised" to look into.
    for index, count_first in ((28, True), (29, False)):
        sku = tiny_skus(shared_ledger)[index]
        setter = DeviceClient(shared_ledger, "BLR-01")
        setter.push([setter.count_op(sku, 1, base=setter.head())])
        counter = DeviceClient(shared_ledger, "BLR-01")
        base = counter.head()
        placed = place_pickup(shared_ledger, f"WEB-81{index}", [(sku, 1)])
        seller = Counter(shared_ledger, "BLR-01")
        fo = placed["fulfilment_orders"][0]["id"]
        sale = [seller.op("pickup.accept", fo), seller.op("pickup.pick", fo, lines=lines((sku, 1)))]
        count = counter.count_op(sku, 0, base=base)

        if count_first:
            counter.push([count])
            seller.send(*sale)
        else:
            seller.send(*sale)
            counter.push([count])

        assert on_hand(shared_ledger, "BLR-01", sku) == -1, count_first
        assert shared_ledger.sql("SELECT kind FROM exceptions WHERE sku = :s", {"s": sku}) == [
            ("oversell",)
        ], count_first


def test_a_refused_count_opens_no_balance(shared_ledger: RunningLedger) -> None:
    """A count for another store, or one that does not parse, is refused and leaves no
    row behind: a balance row no station hears of would fail every station's checksum."""
    station = DeviceClient(shared_ledger, "BLR-01")
    sku = tiny_skus(shared_ledger)[40]
    base = station.head()
    before = shared_ledger.sql("SELECT count(*) FROM stock_balances")[0][0]
    elsewhere = station.count_op(sku, 3, base=base, location="BLR-02", bucket="damaged")
    malformed = station.count_op(sku, -1, base=base, bucket="damaged")

    answer = station.push([elsewhere, malformed])

    assert [r["status"] for r in answer["results"]] == ["rejected", "rejected"]
    assert shared_ledger.sql("SELECT count(*) FROM stock_balances")[0][0] == before
    counted = station.push([station.count_op(sku, 2, base=base, bucket="damaged")])
    assert counted["results"][0]["status"] == "applied"
    assert on_hand(shared_ledger, "BLR-01", sku, "damaged") == 2
