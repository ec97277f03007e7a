"""Order intake: routing, atomic reservations, fulfilment orders the right store sees."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import RunningLedger
from tests.support.ship_terms import with_ship_terms

ANDHERI = {"name": "Neha Desai", "city": "Mumbai", "latitude": 19.1136, "longitude": 72.8697}


def order(number: str, lines: list[tuple[str, int]], **extra: Any) -> dict[str, Any]:
    body = {
        "order_number": number,
        "channel": "web",
        "method": "ship",
        "customer": ANDHERI,
        "lines": [{"sku": s, "quantity": q} for s, q in lines],
        **extra,
    }
    return with_ship_terms(body)


def reserved(ledger: RunningLedger, location: str, sku: str) -> int:
    rows = ledger.sql(
        "SELECT b.reserved FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id "
        "WHERE l.code = :l AND i.sku = :s AND b.bucket = 'sellable'",
        {"l": location, "s": sku},
    )
    return int(rows[0][0])


def counts(ledger: RunningLedger) -> tuple[Any, ...]:
    return ledger.sql(
        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM fulfilment_orders), "
        "(SELECT count(*) FROM reservations), "
        "(SELECT coalesce(sum(reserved), 0) FROM stock_balances)"
    )[0]


def test_ship_order_goes_to_the_nearest_location_with_stock(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[40]
    mumbai = DeviceClient(shared_ledger, "MUM-01")
    bengaluru = DeviceClient(shared_ledger, "BLR-01")
    cursors = (mumbai.head(), bengaluru.head())

    accepted = shared_ledger.place_order(order("WEB-9001", [(sku, 3)]))

    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["MUM-01"]
    assert accepted["fulfilment_orders"][0]["state"] == "routed"
    assert "MUM-01" in accepted["explanation"][0]
    assert reserved(shared_ledger, "MUM-01", sku) == 3
    seen, _ = mumbai.pull_all(cursors[0])
    routed = [c for c in seen if c["scope"] == "fulfilment"]
    assert [c["data"]["order_number"] for c in routed] == ["WEB-9001"]
    assert routed[0]["data"]["lines"][0]["quantity"] == 3
    stock = [c for c in seen if c["scope"] == "stock"]
    assert stock and stock[-1]["data"]["reserved"] == 3
    others, _ = bengaluru.pull_all(cursors[1])
    assert not [c for c in others if c["scope"] == "fulfilment"]
    assert [c["data"]["available"] for c in others if c["scope"] == "network_stock"] == [17]
    events = shared_ledger.sql(
        "SELECT e.state, e.actor FROM fulfilment_events e JOIN fulfilment_orders f "
        "ON f.id = e.fulfilment_order_id WHERE f.order_number = 'WEB-9001'"
    )
    assert events == [("routed", "ledger:routing")]


def test_pickup_goes_to_the_chosen_store(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[41]
    accepted = shared_ledger.place_order(
        order("WEB-9002", [(sku, 2)], method="pickup", pickup_location="BLR-01")
    )
    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["BLR-01"]
    assert reserved(shared_ledger, "BLR-01", sku) == 2


def test_an_order_no_single_location_can_fill_is_split(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[42]  # 100 at WH-BHW, 20 at MUM-01, 10 at BLR-01
    accepted = shared_ledger.place_order(order("WEB-9003", [(sku, 125)]))
    parts = {f["location"]: f["lines"][0]["quantity"] for f in accepted["fulfilment_orders"]}
    assert sum(parts.values()) == 125 and parts["WH-BHW"] == 100 and len(parts) == 3
    assert accepted["explanation"][0].startswith("Split into 3 parcels")


def test_duplicate_or_unfillable_orders_create_nothing(shared_ledger: RunningLedger) -> None:
    skus = tiny_skus(shared_ledger)
    shared_ledger.place_order(order("WEB-9004", [(skus[43], 1)]))
    before = counts(shared_ledger)

    with pytest.raises(requests.HTTPError) as duplicate:
        shared_ledger.place_order(order("WEB-9004", [(skus[44], 1)]))
    with pytest.raises(requests.HTTPError) as too_many:
        shared_ledger.place_order(order("WEB-9005", [(skus[44], 1), (skus[45], 500)]))
    with pytest.raises(requests.HTTPError) as unknown:
        shared_ledger.place_order(order("WEB-9006", [("NO-SUCH", 1)]))

    assert duplicate.value.response.status_code == 409
    assert duplicate.value.response.json()["error"] == "duplicate_order"
    assert too_many.value.response.status_code == 409
    assert "No location can ship all" in too_many.value.response.json()["message"]
    assert unknown.value.response.status_code == 404
    assert counts(shared_ledger) == before


def test_a_customer_given_only_a_city_is_placed_there(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[46]
    accepted = shared_ledger.place_order(
        order("APP-9007", [(sku, 1)], customer={"name": "Ravi", "city": "bengaluru"})
    )
    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["BLR-01"]
    assert "placed in bengaluru" in accepted["explanation"][-1]


def test_an_orders_timeline_shows_where_it_went_and_why(shared_ledger: RunningLedger) -> None:
    sku = tiny_skus(shared_ledger)[47]
    shared_ledger.place_order(order("WEB-9008", [(sku, 1)]))
    admin = {"Authorization": f"Bearer {shared_ledger.admin_token}"}

    timeline = requests.get(f"{shared_ledger.url}/v1/orders/WEB-9008", headers=admin, timeout=10)

    body = timeline.json()
    assert body["states"] == {"MUM-01": "routed"}
    assert [(e["location"], e["state"], e["actor"]) for e in body["events"]] == [
        ("MUM-01", "routed", "ledger:routing")
    ]
    assert "MUM-01" in body["events"][0]["note"]
    missing = requests.get(f"{shared_ledger.url}/v1/orders/NOPE", headers=admin, timeout=10)
    assert missing.status_code == 404
    assert requests.get(f"{shared_ledger.url}/v1/orders/WEB-9008", timeout=10).status_code == 401
