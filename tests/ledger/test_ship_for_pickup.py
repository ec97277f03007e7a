"""A pickup store that cannot fill an order: alternatives, or ship-for-pickup from the
warehouse (intake → transfer → ship → receive by scan at the store → collected).

In the tiny seed BLR-01 and MUM-01 allow ship-for-pickup (capability ``ship_for_pickup``);
WH-BHW holds 100 of every item, MUM-01 20, BLR-01 10. A refusal with alternatives is
asked for by the intake (``ship_for_pickup: false``) or comes from a store without the
capability.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import requests
from sqlalchemy import update

from app.ledger.models import Location, table_of
from tests.ledger.conftest import on_hand, tiny_skus
from tests.ledger.pickup_support import (
    CODE_PROOF,
    KORAMANGALA,
    Counter,
    admin,
    lines,
    place_pickup,
    state,
    stock,
    timeline,
)
from tests.support.ledger import ROOT, RunningLedger

locations = table_of(Location)
ANDHERI = {"name": "Neha Desai", "phone": "+91 98200 55555", "city": "Mumbai"}


def intake(ledger: RunningLedger, body: dict[str, Any]) -> requests.Response:
    return requests.post(
        f"{ledger.url}/v1/orders",
        json=body,
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )


def pickup_body(
    number: str, store: str, items: list[tuple[str, int]], **extra: Any
) -> dict[str, Any]:
    customer = KORAMANGALA if store == "BLR-01" else ANDHERI
    return {
        "order_number": number, "channel": "web", "method": "pickup", "pickup_location": store,
        "customer": customer, "lines": lines(*items), **extra,
    }  # fmt: skip


def transfer(ledger: RunningLedger, transfer_id: int) -> dict[str, Any]:
    response = requests.get(
        f"{ledger.url}/v1/transfers/{transfer_id}",
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def reservations(ledger: RunningLedger, fulfilment_id: int) -> list[tuple[str, int, str]]:
    rows = ledger.sql(
        "SELECT l.code, r.quantity, r.status FROM reservations r "
        "JOIN locations l ON l.id = r.location_id WHERE r.fulfilment_order_id = :f ORDER BY r.id",
        {"f": fulfilment_id},
    )
    return [(str(c), int(q), str(s)) for c, q, s in rows]


def order_count(ledger: RunningLedger) -> int:
    return int(ledger.sql("SELECT count(*) FROM orders")[0][0])


def test_a_short_store_answers_with_the_nearest_stores_that_can_fill_it(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[20]
    before = order_count(shared_ledger)

    refused = intake(
        shared_ledger, pickup_body("WEB-8001", "BLR-01", [(sku, 15)], ship_for_pickup=False)
    )

    assert refused.status_code == 409
    body = refused.json()
    assert body["error"] == "store_cannot_fill"
    assert f"{sku} (needs 15, 10 available)" in body["message"]
    assert "MUM-01 Mumbai Bandra West, Mumbai" in body["message"]
    assert "Offer the customer one of these stores" in body["next_step"]
    (mumbai,) = body["alternatives"]  # the warehouse is no pickup store
    assert (mumbai["code"], mumbai["name"], mumbai["city"], mumbai["measured_from"]) == (
        "MUM-01", "Mumbai Bandra West", "Mumbai", "customer",
    )  # fmt: skip
    assert 800 < mumbai["distance_km"] < 900
    assert order_count(shared_ledger) == before
    # ship-for-pickup allowed, but no warehouse has 500 either: refused, no store to offer
    other = intake(shared_ledger, pickup_body("WEB-8001", "BLR-01", [(sku, 500)])).json()
    assert other["error"] == "store_cannot_fill" and other["alternatives"] == []
    assert "No warehouse can send all of it" in other["message"]
    assert "No other pickup store" in other["message"]
    assert order_count(shared_ledger) == before


def test_a_store_without_ship_for_pickup_offers_the_alternatives(ledger: RunningLedger) -> None:
    sku = tiny_skus(ledger)[20]
    with ledger.engine.begin() as conn:  # the retailer's policy for BLR-01: no transfers
        conn.execute(
            update(locations)
            .where(locations.c.code == "BLR-01")
            .values(capabilities=["bopis", "ship_from_store", "returns"])
        )

    refused = intake(ledger, pickup_body("WEB-8011", "BLR-01", [(sku, 15)]))  # intake allows it

    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"] == "store_cannot_fill" and "No warehouse" not in body["message"]
    assert [a["code"] for a in body["alternatives"]] == ["MUM-01"]
    assert stock(ledger, "WH-BHW", sku) == (100, 0)
    assert ledger.sql("SELECT count(*) FROM transfers") == [(0,)]


def test_the_shop_may_ask_for_the_alternatives_instead_of_a_transfer(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[21]
    place_pickup(shared_ledger, "WEB-8002", [(sku, 15)], store="MUM-01")  # 5 left at MUM-01

    refused = intake(
        shared_ledger, pickup_body("WEB-8003", "MUM-01", [(sku, 8)], ship_for_pickup=False)
    )

    assert refused.status_code == 409
    assert [a["code"] for a in refused.json()["alternatives"]] == ["BLR-01"]
    assert stock(shared_ledger, "WH-BHW", sku) == (100, 0)


def test_ship_for_pickup_from_intake_to_handover(shared_ledger: RunningLedger) -> None:
    a, b = tiny_skus(shared_ledger)[22:24]
    counter = Counter(shared_ledger, "MUM-01")
    cursor = counter.head()

    accepted = shared_ledger.place_order(pickup_body("WEB-8004", "MUM-01", [(a, 25), (b, 1)]))
    (fo,) = accepted["fulfilment_orders"]
    fid, tid = fo["id"], fo["transfer_id"]

    assert (fo["location"], fo["state"]) == ("MUM-01", "awaiting_transfer") and tid
    assert accepted["pickup_code"] and "Ship-for-pickup at MUM-01" in accepted["explanation"][0]
    assert stock(shared_ledger, "WH-BHW", a) == (100, 25)
    assert stock(shared_ledger, "WH-BHW", b) == (100, 1)
    assert stock(shared_ledger, "MUM-01", a) == (20, 0)
    assert reservations(shared_ledger, fid) == [("WH-BHW", 25, "active"), ("WH-BHW", 1, "active")]
    assert transfer(shared_ledger, tid)["status"] == "open"
    changes, _ = counter.pull_all(cursor)
    row = [c["data"] for c in changes if c["scope"] == "fulfilment"][-1]
    assert row["state"] == "awaiting_transfer" and row["lines"][0]["inbound"] == 25
    assert row["pickup_log"]["transfer"]["from"] == "WH-BHW"

    # A receipt of more than the transfer carries is a physical fact, recorded and flagged
    # (tests/ledger/test_physical_facts.py); the counter refuses it before recording.
    shipped = admin(shared_ledger, f"/transfers/{tid}/ship", {"by": "WH-BHW dock 2"})
    again = requests.post(
        f"{shared_ledger.url}/v1/transfers/{tid}/ship",
        json={},
        headers={"Authorization": f"Bearer {shared_ledger.admin_token}"},
        timeout=30,
    )

    assert shipped["status"] == "shipped" and shipped["shipped_by"] == "WH-BHW dock 2"
    assert [(x["sku"], x["shipped"]) for x in shipped["lines"]] == [(a, 25), (b, 1)]
    assert again.status_code == 409 and "is shipped" in again.json()["message"]
    assert stock(shared_ledger, "WH-BHW", a) == (75, 0)
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 25
    assert reservations(shared_ledger, fid) == [
        ("WH-BHW", 0, "consumed"),
        ("WH-BHW", 0, "consumed"),
    ]

    (part,) = counter.send(counter.op("pickup.receive", fid, lines=lines((a, 10))))
    assert part["status"] == "applied" and state(shared_ledger, fid) == "awaiting_transfer"
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 15
    assert transfer(shared_ledger, tid)["status"] == "shipped"

    rest = counter.send(
        counter.op("pickup.receive", fid, lines=lines((a, 15), (b, 1))),
        counter.op("pickup.stage", fid, bin="H-02"),
        counter.op("pickup.ready", fid, lines=lines((a, 25), (b, 1))),
        counter.op("pickup.handover", fid, lines=lines((a, 25), (b, 1)), proof=CODE_PROOF),
    )

    assert [r["status"] for r in rest] == ["applied"] * 4, rest
    assert state(shared_ledger, fid) == "collected"
    assert stock(shared_ledger, "WH-BHW", a) == (75, 0)
    assert stock(shared_ledger, "MUM-01", a) == (20, 0)  # never on the store's shelf
    assert stock(shared_ledger, "MUM-01", b) == (20, 0)
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 0
    done = transfer(shared_ledger, tid)
    assert done["status"] == "received" and done["received_at"]
    assert [(x["shipped"], x["received"]) for x in done["lines"]] == [(25, 25), (1, 1)]
    events = timeline(shared_ledger, "WEB-8004")["events"]
    assert [(e["kind"], e["state"]) for e in events] == [
        ("order.routed", "awaiting_transfer"),
        ("transfer.ship", "awaiting_transfer"),
        ("pickup.receive", "awaiting_transfer"),
        ("pickup.receive", "picked"),
        ("pickup.stage", "staged"),
        ("pickup.ready", "ready_for_pickup"),
        ("pickup.handover", "collected"),
    ]
    assert events[1]["actor"] == "WH-BHW dock 2" and "16 still in transit" in events[2]["note"]
    kinds = shared_ledger.sql(
        "SELECT l.code, m.bucket, m.kind, sum(m.quantity) FROM stock_movements m "
        "JOIN locations l ON l.id = m.location_id JOIN items i ON i.id = m.item_id "
        "WHERE i.sku = :s AND m.kind IN ('transfer', 'receipt', 'handover') "
        "AND m.ledger_seq > :c GROUP BY l.code, m.bucket, m.kind ORDER BY 1, 2, 3",
        {"s": a, "c": cursor},
    )
    assert [tuple(r) for r in kinds] == [
        ("MUM-01", "in_transit", "receipt", -25),
        ("MUM-01", "in_transit", "transfer", 25),
        ("MUM-01", "sellable", "handover", 0),
        ("WH-BHW", "sellable", "transfer", -25),
    ]


def test_a_replayed_receipt_applies_once(shared_ledger: RunningLedger) -> None:
    a = tiny_skus(shared_ledger)[24]
    placed = shared_ledger.place_order(pickup_body("WEB-8005", "MUM-01", [(a, 22)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    admin(shared_ledger, f"/transfers/{tid}/ship", {})
    counter = Counter(shared_ledger, "MUM-01")
    receipt = counter.op("pickup.receive", fid, lines=lines((a, 22)))

    first = counter.push([receipt])["results"][0]
    replay = counter.push([receipt])["results"][0]

    assert first["status"] == "applied" and not first["replayed"]
    assert replay["status"] == "applied" and replay["replayed"]
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 0
    count = shared_ledger.sql(
        "SELECT count(*) FROM stock_movements WHERE op_id = :o", {"o": receipt["op_id"]}
    )
    assert count == [(1,)]
    assert transfer(shared_ledger, tid)["lines"][0]["received"] == 22
    assert state(shared_ledger, fid) == "picked"


def test_a_cancel_before_shipping_releases_the_warehouse_and_cancels_the_transfer(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[25]
    placed = shared_ledger.place_order(pickup_body("WEB-8006", "MUM-01", [(a, 30)]))
    fid, tid = placed["fulfilment_orders"][0]["id"], placed["fulfilment_orders"][0]["transfer_id"]
    assert stock(shared_ledger, "WH-BHW", a) == (100, 30)

    admin(shared_ledger, "/orders/WEB-8006/cancel", {"reason": "customer called"})
    ship = requests.post(
        f"{shared_ledger.url}/v1/transfers/{tid}/ship",
        json={},
        headers={"Authorization": f"Bearer {shared_ledger.admin_token}"},
        timeout=30,
    )

    assert state(shared_ledger, fid) == "cancelled"
    assert stock(shared_ledger, "WH-BHW", a) == (100, 0)
    assert reservations(shared_ledger, fid) == [("WH-BHW", 0, "released")]
    assert transfer(shared_ledger, tid)["status"] == "cancelled"
    assert ship.status_code == 409 and "cancelled" in ship.json()["message"]
    auth = {"Authorization": f"Bearer {shared_ledger.admin_token}"}
    listed = requests.get(
        f"{shared_ledger.url}/v1/transfers",
        params={"status": "cancelled", "location": "MUM-01"},
        headers=auth,
        timeout=30,
    )
    bogus = requests.get(
        f"{shared_ledger.url}/v1/transfers", params={"status": "lost"}, headers=auth, timeout=30
    )
    assert [(t["id"], t["order_number"]) for t in listed.json()] == [(tid, "WEB-8006")]
    assert bogus.status_code == 422 and "open, shipped" in bogus.json()["next_step"]


def test_the_warehouse_lists_and_ships_transfers_from_the_command_line(
    shared_ledger: RunningLedger,
) -> None:
    a = tiny_skus(shared_ledger)[26]
    placed = shared_ledger.place_order(pickup_body("WEB-8007", "MUM-01", [(a, 21)]))
    tid = placed["fulfilment_orders"][0]["transfer_id"]

    def ledger_cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "app.commands.ledger", *args, "--db", shared_ledger.db_url]
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)

    listed = ledger_cli("transfers", "--status", "open", "--location", "WH-BHW")
    shipped = ledger_cli("ship-transfer", str(tid), "--by", "dock-1")
    twice = ledger_cli("ship-transfer", str(tid))

    assert listed.returncode == 0, listed.stderr
    assert f"Transfer {tid} from WH-BHW to MUM-01, order WEB-8007: open" in listed.stdout
    assert shipped.returncode == 0, shipped.stderr
    assert f"{a} 21/21 shipped, 0 received" in shipped.stdout and ": shipped;" in shipped.stdout
    assert twice.returncode == 2 and "nothing to ship" in twice.stderr
    assert on_hand(shared_ledger, "MUM-01", a, "in_transit") == 21
