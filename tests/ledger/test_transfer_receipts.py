"""Receiving a ship-for-pickup transfer at the store: before the warehouse recorded
shipping it (applied, shipment recorded, flagged once per transfer), never from the
store's shelf, extra units onto the shelf; and transfers as load on the warehouse.

Same tiny seed as :mod:`tests.ledger.test_ship_for_pickup`: WH-BHW holds 100 of every
item, MUM-01 20, BLR-01 10.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests
from sqlalchemy import text, update
from sqlalchemy.exc import OperationalError

from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.pickup_support import Counter, admin, lines, movements, state, stock, timeline
from tests.ledger.test_ship_for_pickup import (
    intake,
    locations,
    pickup_body,
    reservations,
    transfer,
)
from tests.support.ledger import RunningLedger


def exceptions_of(ledger: RunningLedger, kind: str) -> list[tuple[str, str, str, str]]:
    rows = ledger.sql(
        "SELECT l.code, e.op_id, e.message, e.next_step FROM exceptions e "
        "JOIN locations l ON l.id = e.location_id WHERE e.kind = :k ORDER BY e.id",
        {"k": kind},
    )
    return [(str(c), str(o), str(m), str(n)) for c, o, m, n in rows]


def test_a_receipt_before_the_warehouse_ships_records_the_shipment_and_flags_it(
    shared_ledger: RunningLedger,
) -> None:
    a, b = tiny_skus(shared_ledger)[27:29]
    counter = Counter(shared_ledger, "MUM-01")
    placed = shared_ledger.place_order(pickup_body("WEB-8008", "MUM-01", [(a, 24), (b, 1)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    cursor = counter.head()

    early = counter.op("pickup.receive", fid, lines=lines((a, 4)))
    again = counter.op("pickup.receive", fid, lines=lines((a, 1)))
    results = counter.send(early, again)  # the truck came before the warehouse pressed "ship"

    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert stock(shared_ledger, "WH-BHW", a) == (95, 19)  # shipped out, reservation consumed
    assert reservations(shared_ledger, fid) == [("WH-BHW", 19, "active"), ("WH-BHW", 1, "active")]
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 0
    assert shared_ledger.sql(
        "SELECT l.code, m.bucket, m.kind, m.quantity FROM stock_movements m "
        "JOIN locations l ON l.id = m.location_id WHERE m.op_id = :o ORDER BY m.ledger_seq",
        {"o": early["op_id"]},
    ) == [
        ("MUM-01", "in_transit", "transfer", 4),
        ("MUM-01", "in_transit", "receipt", -4),
        ("WH-BHW", "sellable", "transfer", -4),
    ]
    flagged = transfer(shared_ledger, tid)
    assert flagged["status"] == "open" and flagged["shipped_at"] and not flagged["shipped_by"]
    assert [(x["shipped"], x["received"]) for x in flagged["lines"]] == [(5, 5), (0, 0)]
    (store, warehouse) = exceptions_of(shared_ledger, "received_before_shipped")  # once each
    assert (store[0], store[1], warehouse[0], warehouse[1]) == (
        "MUM-01", early["op_id"], "WH-BHW", early["op_id"],
    )  # fmt: skip
    assert (
        f"MUM-01 received transfer {tid} (order WEB-8008) before WH-BHW recorded shipping it "
        f"(first scan: {a} ×4)"
    ) in store[2]
    assert "tell WH-BHW they arrived" in store[3] and "left for MUM-01" in warehouse[3]
    changes, _ = counter.pull_all(cursor)
    seen = [c["data"]["kind"] for c in changes if c["scope"] == "exceptions"]
    assert seen == ["received_before_shipped"]  # the store's stations see theirs only
    events = timeline(shared_ledger, "WEB-8008")["events"]
    assert "WH-BHW had not recorded shipping" in events[-1]["note"]

    rest = admin(shared_ledger, f"/transfers/{tid}/ship", {"by": "WH-BHW dock 3"})
    done = counter.send(counter.op("pickup.receive", fid, lines=lines((a, 19), (b, 1))))

    assert [(x["sku"], x["shipped"]) for x in rest["lines"]] == [(a, 24), (b, 1)]
    assert stock(shared_ledger, "WH-BHW", a) == (76, 0)
    assert done[0]["status"] == "applied" and state(shared_ledger, fid) == "picked"
    assert transfer(shared_ledger, tid)["status"] == "received"
    assert len(exceptions_of(shared_ledger, "received_before_shipped")) == 2  # no new ones


def test_a_transfer_received_whole_before_shipping_has_nothing_left_to_ship(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[29]
    counter = Counter(shared_ledger, "MUM-01")
    placed = shared_ledger.place_order(pickup_body("WEB-8009", "MUM-01", [(a, 21)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]

    whole, late = counter.send(
        counter.op("pickup.receive", fid, lines=lines((a, 21))),
        counter.op("pickup.receive", fid, lines=lines((a, 22))),  # another counter's scan
    )
    ship = requests.post(
        f"{shared_ledger.url}/v1/transfers/{tid}/ship",
        json={},
        headers={"Authorization": f"Bearer {shared_ledger.admin_token}"},
        timeout=30,
    )

    assert whole["status"] == "applied" and state(shared_ledger, fid) == "picked"
    assert late["status"] == "applied" and late["exceptions"] == ["received_beyond_transfer"]
    assert stock(shared_ledger, "WH-BHW", a) == (79, 0)
    assert reservations(shared_ledger, fid) == [("WH-BHW", 0, "consumed")]
    assert transfer(shared_ledger, tid)["status"] == "received"
    assert ship.status_code == 409 and "is received" in ship.json()["message"]


def test_the_store_shelf_is_not_picked_for_units_on_a_transfer(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[32]
    placed = shared_ledger.place_order(pickup_body("WEB-8010", "MUM-01", [(a, 22)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    admin(shared_ledger, f"/transfers/{tid}/ship", {})
    counter = Counter(shared_ledger, "MUM-01")

    pick, receipt = counter.send(  # the review's case: ship 22, pick 1 here, receive 22
        counter.op("pickup.pick", fid, lines=lines((a, 1))),
        counter.op("pickup.receive", fid, lines=lines((a, 22))),
    )

    assert pick["status"] == "rejected" and "Receive them by scan" in pick["reason"]
    assert receipt["status"] == "applied" and state(shared_ledger, fid) == "picked"
    (line,) = shared_ledger.sql(
        "SELECT picked, quantity, received FROM fulfilment_lines WHERE fulfilment_order_id = :i",
        {"i": fid},
    )
    assert line == (22, 22, 22)
    assert stock(shared_ledger, "MUM-01", a) == (20, 0)  # the shelf was not touched


def test_units_received_beyond_what_the_order_holds_go_on_the_stores_shelf(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[33]
    placed = shared_ledger.place_order(pickup_body("WEB-8012", "MUM-01", [(a, 22)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    admin(shared_ledger, f"/transfers/{tid}/ship", {})
    admin(shared_ledger, "/orders/WEB-8012/cancel", {"reason": "customer called"})
    counter = Counter(shared_ledger, "MUM-01")
    pick = counter.op("pickup.pick", fid, lines=lines((a, 2)))  # offline, before the cancel
    receipt = counter.op("pickup.receive", fid, lines=lines((a, 22)))

    results = counter.send(pick, receipt)

    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert movements(shared_ledger, [receipt["op_id"]]) == [("receipt", -22), ("receipt", 2)]
    assert stock(shared_ledger, "MUM-01", a) == (20, 0)  # 2 off the shelf, 2 extra onto it
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 0
    (line,) = shared_ledger.sql(
        "SELECT picked, received, cancelled FROM fulfilment_lines WHERE fulfilment_order_id = :i",
        {"i": fid},
    )
    assert line == (22, 22, 22)  # to restock


def test_transfers_take_the_warehouses_capacity_for_the_day(ledger: RunningLedger) -> None:
    a, b = tiny_skus(ledger)[20:22]
    ((load,),) = ledger.sql(
        "SELECT count(*) FROM fulfilment_orders f JOIN locations l ON l.id = f.location_id "
        "WHERE l.code = 'WH-BHW'"
    )
    with ledger.engine.begin() as conn:  # room for one more order at the warehouse today
        conn.execute(
            update(locations).where(locations.c.code == "WH-BHW").values(daily_capacity=load + 1)
        )

    first = intake(ledger, pickup_body("WEB-8020", "MUM-01", [(a, 25)]))
    second = intake(ledger, pickup_body("WEB-8021", "MUM-01", [(b, 25)]))

    assert first.status_code == 200 and first.json()["fulfilment_orders"][0]["transfer_id"]
    assert second.status_code == 409, second.text
    assert "No warehouse can send all of it" in second.json()["message"]
    assert ledger.sql("SELECT count(*) FROM transfers") == [(1,)]


def test_shipping_locks_the_order_before_its_transfer_as_a_receipt_does(
    shared_ledger: RunningLedger,
) -> None:
    if shared_ledger.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: there are no row locks to order")
    a = tiny_skus(shared_ledger)[34]
    placed = shared_ledger.place_order(pickup_body("WEB-8014", "MUM-01", [(a, 21)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    shipped: dict[str, Any] = {}
    ship = threading.Thread(
        target=lambda: shipped.update(
            admin(shared_ledger, f"/transfers/{tid}/ship", {"by": "dock"})
        )
    )

    with shared_ledger.engine.connect() as receipt:  # a receipt holds the order's row …
        held = receipt.begin()
        try:
            receipt.execute(
                text("SELECT id FROM fulfilment_orders WHERE id = :f FOR UPDATE"), {"f": fid}
            )
            ship.start()  # … when the warehouse presses "ship": it waits for the order …
            wait_until_one_waits_for(shared_ledger, "fulfilment_orders")
            transfer_free = lockable(shared_ledger, tid)  # … holding nothing the receipt needs
        finally:
            held.rollback()
    ship.join(timeout=120)

    assert transfer_free
    assert shipped["status"] == "shipped" and shipped["shipped_by"] == "dock"


def wait_until_one_waits_for(ledger: RunningLedger, table: str) -> None:
    """Return once a PostgreSQL session waits for a row lock in ``table``."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query ILIKE :q"
    )
    deadline = time.monotonic() + 120
    while ledger.sql(query, {"q": f"%FROM {table}%"})[0][0] == 0:
        assert time.monotonic() < deadline, f"nobody waited for {table}"
        time.sleep(0.01)


def lockable(ledger: RunningLedger, transfer_id: int) -> bool:
    """Whether the transfer's row can be locked now, without waiting."""
    try:
        ledger.sql("SELECT id FROM transfers WHERE id = :t FOR UPDATE NOWAIT", {"t": transfer_id})
    except OperationalError:
        return False
    return True
