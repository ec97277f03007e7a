"""BOPIS pickup steps pushed as operations: stock, reservations, timeline, exceptions."""

from __future__ import annotations

import json

from app.domain.pickup_codes import hash_pickup_code
from tests.ledger.conftest import tiny_skus
from tests.ledger.pickup_support import (
    CODE_PROOF,
    Counter,
    admin,
    lines,
    movements,
    place_pickup,
    state,
    stock,
    timeline,
)
from tests.support.ledger import RunningLedger


def test_full_pickup_life_cycle(shared_ledger: RunningLedger) -> None:
    a, b = tiny_skus(shared_ledger)[10:12]
    accepted = place_pickup(shared_ledger, "WEB-7001", [(a, 2), (b, 1)])
    fo = accepted["fulfilment_orders"][0]["id"]
    code = accepted["pickup_code"]
    assert len(code) >= 6 and code.isdigit()
    assert accepted["pickup_qr"] == f"CBPU1:WEB-7001:{code}"
    assert stock(shared_ledger, "BLR-01", a) == (10, 2)
    counter = Counter(shared_ledger, "BLR-01")
    cursor = counter.head()

    ops = [
        counter.op("pickup.accept", fo),
        counter.op("pickup.pick", fo, lines=lines((a, 2), (b, 1))),
        counter.op("pickup.stage", fo, bin="h-03"),
        counter.op("pickup.ready", fo, lines=lines((a, 2), (b, 1)), channel="whatsapp"),
        counter.op("pickup.handover", fo, lines=lines((a, 2), (b, 1)), proof=CODE_PROOF),
    ]
    results = counter.send(*ops)

    assert [r["status"] for r in results] == ["applied"] * 5, results
    assert state(shared_ledger, fo) == "collected"
    assert stock(shared_ledger, "BLR-01", a) == (8, 0)
    assert stock(shared_ledger, "BLR-01", b) == (9, 0)
    assert sorted(movements(shared_ledger, [o["op_id"] for o in ops])) == [
        ("handover", 0),
        ("handover", 0),
        ("pick", -2),
        ("pick", -1),
    ]
    assert shared_ledger.sql(
        "SELECT sum(quantity), min(status), max(status) FROM reservations "
        "WHERE fulfilment_order_id = :f",
        {"f": fo},
    ) == [(0, "consumed", "consumed")]
    row = shared_ledger.sql(
        "SELECT bin, pickup_code_hash, pickup_code_salt, pickup_log, pickup_by "
        "FROM fulfilment_orders WHERE id = :f",
        {"f": fo},
    )[0]
    assert row[0] == "H-03" and row[1] == hash_pickup_code(code, row[2]) and code not in row[1]
    log = row[3] if isinstance(row[3], dict) else json.loads(row[3])
    proof = log["handovers"][0]
    assert (proof["method"], proof["collected_by"], proof["staff"]) == (
        "pickup_code",
        "Asha Kumar",
        "A100",
    )
    assert log["ready_messages"][0]["channel"] == "whatsapp" and row[4] is not None
    events = timeline(shared_ledger, "WEB-7001")["events"]
    assert [e["state"] for e in events] == [
        "routed",
        "accepted",
        "picked",
        "staged",
        "ready_for_pickup",
        "collected",
    ]
    assert [e["kind"] for e in events] == [
        "order.routed",
        "pickup.accept",
        "pickup.pick",
        "pickup.stage",
        "pickup.ready",
        "pickup.handover",
    ]
    assert {e["actor"] for e in events[1:]} == {"A100"}
    assert "H-03" in events[3]["note"] and "Asha Kumar" in events[5]["note"]
    changes, _ = counter.pull_all(cursor)
    rows = [c["data"] for c in changes if c["scope"] == "fulfilment"]
    assert [r["state"] for r in rows][-1] == "collected"
    assert rows[-1]["bin"] == "H-03" and rows[-1]["location_code"] == "BLR-01"
    assert {x["sku"]: x["collected"] for x in rows[-1]["lines"]} == {a: 2, b: 1}
    assert rows[-1]["pickup_code_hash"] == row[1]
    audit = shared_ledger.sql("SELECT actor FROM audit_log WHERE action = 'pickup.handover'")
    assert audit == [("A100",)]


def test_partial_handover_cancels_the_line_left_behind(shared_ledger: RunningLedger) -> None:
    a, b = tiny_skus(shared_ledger)[12:14]
    fo = place_pickup(shared_ledger, "WEB-7002", [(a, 1), (b, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    proof = {"method": "id_check", "collected_by": "Asha", "id_type": "aadhaar", "id_last4": "9f3k"}

    results = counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 1), (b, 2))),
        counter.op("pickup.stage", fo, bin="H-04"),
        counter.op("pickup.ready", fo, lines=lines((a, 1))),  # partial ready
        counter.op("pickup.ready", fo, lines=lines((b, 2)), channel="sms"),
        counter.op(
            "pickup.handover",
            fo,
            lines=lines((a, 1)),
            proof=proof,
            cancel_left=[b],
            cancel_reason="customer changed their mind",
        ),
    )

    assert [r["status"] for r in results] == ["applied"] * 5, results
    assert state(shared_ledger, fo) == "collected"
    assert stock(shared_ledger, "BLR-01", b) == (8, 0)  # picked, waiting to go back
    restock = counter.send(counter.op("pickup.restock", fo, lines=lines((b, 2))))
    again = counter.send(counter.op("pickup.restock", fo, lines=lines((b, 2))))
    assert restock[0]["status"] == "applied"
    # A second put-back (a double scan the counter let through) is a recorded fact that
    # moves nothing: the book already has the units on the shelf.
    assert again[0]["status"] == "applied" and again[0]["exceptions"] == []
    assert stock(shared_ledger, "BLR-01", b) == (10, 0)
    notes = [e["note"] for e in timeline(shared_ledger, "WEB-7002")["events"]]
    assert notes[-1] == f"put back, the book had them on the shelf: {b} ×2"
    assert stock(shared_ledger, "BLR-01", a) == (9, 0)
    (line_b,) = shared_ledger.sql(
        "SELECT cancelled, restocked, collected, cancel_reason FROM fulfilment_lines "
        "WHERE fulfilment_order_id = :f AND sku = :s",
        {"f": fo, "s": b},
    )
    assert line_b == (2, 2, 0, "customer changed their mind")


def test_handover_after_a_central_cancel_is_applied_and_opens_an_exception(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[14]
    fo = place_pickup(shared_ledger, "WEB-7003", [(a, 1)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 1))),
        counter.op("pickup.stage", fo, bin="H-05"),
    )
    base = counter.head()  # the counter goes offline here
    admin(shared_ledger, "/orders/WEB-7003/cancel", {"reason": "payment failed"})
    assert state(shared_ledger, fo) == "cancelled"

    ready, handed = counter.send(
        counter.op("pickup.ready", fo, base=base, lines=lines((a, 1))),
        counter.op("pickup.handover", fo, base=base, lines=lines((a, 1)), proof=CODE_PROOF),
    )

    assert ready["status"] == "rejected"  # an intention on a cancelled order
    assert handed["status"] == "applied"  # a physical fact
    assert handed["exceptions"] == ["collected_after_cancel"]
    assert state(shared_ledger, fo) == "collected"
    assert stock(shared_ledger, "BLR-01", a) == (9, 0)
    opened = shared_ledger.sql(
        "SELECT e.kind, l.code FROM exceptions e JOIN locations l ON l.id = e.location_id "
        "WHERE e.op_id = :o",
        {"o": handed["op_id"]},
    )
    assert opened == [("collected_after_cancel", "BLR-01")]
    kinds = [e["state"] for e in timeline(shared_ledger, "WEB-7003")["events"]]
    assert kinds[-2:] == ["cancelled", "collected"]


def test_a_second_handover_is_recorded_and_flagged_to_count(
    shared_ledger: RunningLedger,
) -> None:
    # The counter refuses a double press before recording it; a second handover that
    # reaches the ledger happened (another station's view), so it is a physical fact.
    a = tiny_skus(shared_ledger)[15]
    fo = place_pickup(shared_ledger, "WEB-7004", [(a, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 2))),
        counter.op("pickup.stage", fo, bin="H-06"),
        counter.op("pickup.ready", fo, lines=lines((a, 2))),
    )
    press = counter.op("pickup.handover", fo, lines=lines((a, 2)), proof=CODE_PROOF)
    second = counter.op("pickup.handover", fo, lines=lines((a, 2)), proof=CODE_PROOF)

    first, twice = counter.send(press, second)
    replay = counter.push([press])["results"][0]

    assert first["status"] == "applied" and first["exceptions"] == []
    assert twice["status"] == "applied"
    assert twice["exceptions"] == ["handed_over_beyond_order"]
    assert replay["replayed"] and replay["status"] == "applied"
    assert stock(shared_ledger, "BLR-01", a) == (6, 0)  # 2 more left the store
    assert state(shared_ledger, fo) == "collected"
    flags = shared_ledger.sql(
        "SELECT sku, next_step FROM exceptions WHERE op_id = :o", {"o": second["op_id"]}
    )
    assert len(flags) == 1 and flags[0][0] == a and "count" in flags[0][1]
    count = shared_ledger.sql(
        "SELECT count(*) FROM fulfilment_events WHERE fulfilment_order_id = :f "
        "AND kind = 'pickup.handover'",
        {"f": fo},
    )
    assert count == [(2,)]


def test_pick_of_a_rerouted_order_is_recorded_and_put_back(
    shared_ledger: RunningLedger,
) -> None:
    skus = tiny_skus(shared_ledger)
    a = skus[16]
    fo = place_pickup(shared_ledger, "WEB-7005", [(a, 3)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    moved = admin(
        shared_ledger, "/orders/WEB-7005/reroute", {"location": "BLR-01", "reason": "store closed"}
    )
    assert moved["result"] == ["MUM-01"]
    assert stock(shared_ledger, "BLR-01", a) == (10, 0)
    assert stock(shared_ledger, "MUM-01", a) == (20, 3)

    pick, count = counter.send(  # picked offline before the counter heard of the move
        counter.op("pickup.pick", fo, lines=lines((a, 3))),
        counter.count_op(skus[17], 9, base=counter.head()),
    )

    assert pick["status"] == "applied" and pick["exceptions"] == ["picked_after_move"]
    assert count["status"] == "applied"
    assert stock(shared_ledger, "BLR-01", a) == (7, 0)  # in the associate's hands
    assert state(shared_ledger, fo) == "rerouted"
    flag = shared_ledger.sql(
        "SELECT next_step FROM exceptions WHERE op_id = :o", {"o": pick["op_id"]}
    )
    assert len(flag) == 1 and "back on the shelf" in flag[0][0] and a in flag[0][0]
    (back,) = counter.send(counter.op("pickup.restock", fo, lines=lines((a, 3))))
    assert back["status"] == "applied" and stock(shared_ledger, "BLR-01", a) == (10, 0)
    assert stock(shared_ledger, "MUM-01", a) == (20, 3)


def test_cancel_before_pick_releases_and_short_pick_opens_an_exception(
    shared_ledger: RunningLedger,
) -> None:
    a, b = tiny_skus(shared_ledger)[18:20]
    fo = place_pickup(shared_ledger, "WEB-7006", [(a, 2), (b, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")

    short, cancel = counter.send(
        counter.op("pickup.pick", fo, lines=[{"sku": a, "quantity": 1, "short": 1}]),
        counter.op("pickup.cancel", fo, reason="customer asked", lines=lines((b, 2))),
    )

    assert short["status"] == "applied" and short["exceptions"] == ["short_pick"]
    assert cancel["status"] == "applied"
    assert stock(shared_ledger, "BLR-01", a) == (9, 0)
    assert stock(shared_ledger, "BLR-01", b) == (10, 0)
    assert state(shared_ledger, fo) == "picked"


def test_no_show_expiry_cancels_and_restock_puts_stock_back(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[23]
    fo = place_pickup(shared_ledger, "WEB-7007", [(a, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    counter.send(
        counter.op("pickup.pick", fo, lines=lines((a, 2))),
        counter.op("pickup.stage", fo, bin="H-07"),
        counter.op("pickup.ready", fo, lines=lines((a, 2))),
    )
    pickup_by = timeline_pickup_by(shared_ledger, fo)
    cursor = counter.head()

    early = admin(shared_ledger, "/admin/expire-holds", {"now": shift(pickup_by, -3600)})
    late = admin(shared_ledger, "/admin/expire-holds", {"now": shift(pickup_by, 60)})

    assert "WEB-7007" not in early["expired"] and "WEB-7007" in late["expired"]
    assert state(shared_ledger, fo) == "cancelled"
    assert stock(shared_ledger, "BLR-01", a) == (8, 0)
    changes, _ = counter.pull_all(cursor)
    row = [c["data"] for c in changes if c["scope"] == "fulfilment"][-1]
    assert row["state"] == "cancelled" and row["lines"][0]["cancelled"] == 2
    assert row["bin"] == "H-07"  # the restock task: scan this bin, put the items back
    restock = counter.send(counter.op("pickup.restock", fo, lines=lines((a, 2))))
    assert restock[0]["status"] == "applied"
    assert stock(shared_ledger, "BLR-01", a) == (10, 0)
    actors = [(e["state"], e["actor"]) for e in timeline(shared_ledger, "WEB-7007")["events"]]
    assert ("cancelled", "ledger:expiry") in actors


def timeline_pickup_by(ledger: RunningLedger, fulfilment_id: int) -> str:
    rows = ledger.sql("SELECT pickup_by FROM fulfilment_orders WHERE id = :f", {"f": fulfilment_id})
    value = rows[0][0]
    text = value if isinstance(value, str) else value.isoformat()
    return text if ("+" in text[10:] or text.endswith("Z")) else text + "+00:00"


def shift(iso: str, seconds: int) -> str:
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(iso) + timedelta(seconds=seconds)).isoformat()


def test_a_pick_and_a_count_in_one_batch_share_the_book(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[24]
    fo = place_pickup(shared_ledger, "WEB-7008", [(a, 2)])["fulfilment_orders"][0]["id"]
    counter = Counter(shared_ledger, "BLR-01")
    base = counter.head()

    # The counter picks 2 of 10, then counts the shelf: 8, as its own pick left it.
    results = counter.send(
        counter.op("pickup.pick", fo, base=base, lines=lines((a, 2))),
        counter.count_op(a, 8, base=base),
    )

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert stock(shared_ledger, "BLR-01", a) == (8, 0)
    posted = shared_ledger.sql(
        "SELECT quantity FROM stock_movements WHERE op_id = :o", {"o": results[1]["op_id"]}
    )
    assert posted == [(0,)]


def test_units_picked_beyond_the_order_open_one_exception_to_put_them_back(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[25]
    fo = place_pickup(shared_ledger, "WEB-7009", [(a, 2)])["fulfilment_orders"][0]["id"]
    on_hand = stock(shared_ledger, "BLR-01", a)[0]
    one, other = Counter(shared_ledger, "BLR-01"), Counter(shared_ledger, "BLR-01")
    base = one.head()  # both stations offline from here: each picks the whole order

    (first,) = one.send(one.op("pickup.pick", fo, base=base, lines=lines((a, 2))))
    late_pick = other.op("pickup.pick", fo, base=base, lines=lines((a, 2)))
    (second,) = other.send(late_pick)
    replay = other.push([late_pick])["results"][0]

    assert first["status"] == "applied" and first["exceptions"] == []
    assert second["status"] == "applied" and second["exceptions"] == ["picked_beyond_order"]
    assert replay["replayed"]
    assert stock(shared_ledger, "BLR-01", a) == (on_hand - 2, 0)  # one pick left the shelf
    opened = shared_ledger.sql(
        "SELECT e.message, e.next_step, l.code FROM exceptions e "
        "JOIN locations l ON l.id = e.location_id WHERE e.op_id = :o",
        {"o": late_pick["op_id"]},
    )
    assert len(opened) == 1  # once for the operation, not again on its replay
    message, next_step, store = opened[0]
    assert store == "BLR-01" and "WEB-7009" in message and "2 × " in message and a in message
    assert next_step.startswith("Put 2 × ") and a in next_step and "back on the shelf" in next_step
    changes, _ = other.pull_all(base)
    shown = [c["data"] for c in changes if c["scope"] == "exceptions"]
    assert [(x["kind"], x["op_id"]) for x in shown if x["op_id"] == late_pick["op_id"]] == [
        ("picked_beyond_order", late_pick["op_id"])
    ]
    # The late station puts its extra units back: recorded, nothing moves (the book had
    # them on the shelf), and its put-back flag closes.
    (back,) = other.send(other.op("pickup.restock", fo, lines=lines((a, 2))))
    assert back["status"] == "applied" and stock(shared_ledger, "BLR-01", a) == (on_hand - 2, 0)
    closed = shared_ledger.sql(
        "SELECT status FROM exceptions WHERE op_id = :o", {"o": late_pick["op_id"]}
    )
    assert closed == [("resolved",)]
