"""Ship order intake on the demo geography: the delivery terms are required field by
field, routing picks the nearest able location with stock and a carrier for the pincode,
overflows at capacity, splits only when it must, and keeps why; the fulfilment orders
carry what the bench needs, down to the row a station pulls."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy import insert

from app.domain.ship_offers import IST
from app.ledger.seed_ship_orders import MYSURU
from tests.ledger.conftest import DeviceClient
from tests.ledger.ship_support import (
    PRICE_MINOR,
    demo_ledger,
    fulfilments_of,
    locations,
    ship_order,
    stock_item,
)
from tests.support.ledger import RunningLedger, backend_params


@pytest.fixture(scope="module", params=backend_params())
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from demo_ledger(request.param, tmp_path_factory.mktemp("demo"))


def counts(ledger: RunningLedger) -> tuple[Any, ...]:
    return ledger.sql(
        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM fulfilment_orders), "
        "(SELECT count(*) FROM reservations), (SELECT count(*) FROM route_decisions), "
        "(SELECT coalesce(sum(reserved), 0) FROM stock_balances)"
    )[0]


def refusal(ledger: RunningLedger, body: dict[str, Any]) -> requests.Response:
    with pytest.raises(requests.HTTPError) as refused:
        ledger.place_order(body)
    return refused.value.response


def test_the_nearest_location_with_stock_and_a_carrier_for_the_pincode_wins(
    demo: RunningLedger,
) -> None:
    sku = stock_item(demo, "SHIP-T01", {"BLR-01": 5, "BLR-02": 5, "MUM-01": 5, "BLR-09": 5})

    accepted = demo.place_order(ship_order("WEB-T01", [(sku, 2)]))

    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["BLR-01"]
    why = accepted["explanation"]
    assert why[0].startswith("Ship from BLR-01") and "Counterbench Riders" in why[0]
    assert why[1].startswith("Runner-up BLR-02") and "not chosen: farther" in why[1]
    assert any(
        "Passed over BLR-09" in s and "no carrier that collects there serves pincode 560095" in s
        for s in why
    )
    assert demo.sql(
        "SELECT b.reserved FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id WHERE i.sku = :s AND l.code = 'BLR-01'",
        {"s": sku},
    ) == [(2,)]


@pytest.fixture(scope="module", autouse=True)
def dark_store_without_carriers(demo: RunningLedger) -> None:
    """BLR-09, a dark store nearer the Koramangala customer than BLR-01, with no carrier
    collecting there."""
    with demo.engine.begin() as conn:
        conn.execute(
            insert(locations).values(
                code="BLR-09", name="Koramangala Dark Store", kind="dark_store",
                city="Bengaluru", latitude=12.9280, longitude=77.6270, capabilities=[],
                pincode="560095",
            )
        )  # fmt: skip


def test_a_ship_fulfilment_order_carries_what_the_bench_needs(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-T02", {"BLR-01": 5})
    bench = DeviceClient(demo, "BLR-01", "bench")
    cursor = bench.head()
    body = ship_order("WEB-T02", [(sku, 2)], payment="cod", shipping_minor=4900)
    body["cod_minor"] += 4900
    before = datetime.now(UTC)

    demo.place_order(body)

    (fo,) = fulfilments_of(demo, "WEB-T02")
    assert fo["ship_to"]["pincode"] == "560095" and fo["ship_to"]["state"] == "Karnataka"
    assert (fo["payment"], fo["cod_minor"]) == ("cod", 2 * PRICE_MINOR + 4900)
    assert (fo["carrier"], fo["carrier_service"]) == ("LOCAL", "Local courier")
    today = before.astimezone(IST).date()
    assert fo["promised_by"] == today + timedelta(days=4)  # the standard promise
    ship_by = fo["ship_by"].replace(tzinfo=fo["ship_by"].tzinfo or UTC)
    local = ship_by.astimezone(IST)
    assert (local.hour, local.minute) == (18, 0) and ship_by > before
    assert local.date() in (today, today + timedelta(days=1))
    assert fo["route_note"].splitlines()[0].startswith("Ship from BLR-01")
    order = demo.sql(
        "SELECT payment, cod_minor, shipping_minor, discount_minor FROM orders "
        "WHERE order_number = 'WEB-T02'"
    )
    assert order == [("cod", 2 * PRICE_MINOR + 4900, 4900, 0)]
    assert demo.sql(
        "SELECT l.paid_minor FROM order_lines l JOIN orders o ON o.id = l.order_id "
        "WHERE o.order_number = 'WEB-T02'"
    ) == [(PRICE_MINOR,)]
    pulled, _ = bench.pull_all(cursor)
    (row,) = [c["data"] for c in pulled if c["scope"] == "fulfilment"]
    assert row["ship_to"]["line1"] and row["payment"] == "cod"
    assert row["cod_minor"] == 2 * PRICE_MINOR + 4900 and row["carrier"] == "LOCAL"
    assert row["carrier_service"] == "Local courier"
    assert row["promised_by"] == (today + timedelta(days=4)).isoformat()
    assert datetime.fromisoformat(row["ship_by"]) == ship_by
    assert row["route_note"] == fo["route_note"]
    page = bench.snapshot("fulfilment")
    (snap,) = [dict(zip(page["columns"], r, strict=True)) for r in page["rows"] if r[0] == fo["id"]]
    assert {k: snap[k] for k in SHIP_COLUMNS} == {k: row[k] for k in SHIP_COLUMNS}


def test_a_ship_line_carries_the_price_paid_not_the_list_price(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-T90", {"BLR-01": 5})
    demo.place_order(ship_order("WEB-T90", [(sku, 1)], paid_minor=PRICE_MINOR - 5000))

    (fo,) = fulfilments_of(demo, "WEB-T90")
    assert demo.sql(
        "SELECT price_minor FROM fulfilment_lines WHERE fulfilment_order_id = :f", {"f": fo["id"]}
    ) == [(PRICE_MINOR - 5000,)]  # what the tax invoice and the e-way bill value read


SHIP_COLUMNS = (
    "ship_to", "payment", "cod_minor", "carrier", "carrier_service", "promised_by", "ship_by",
    "route_note",
)  # fmt: skip


def test_a_location_at_capacity_overflows_to_the_next(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-T03", {"BLR-01": 5, "BLR-02": 5})
    demo.sql("UPDATE locations SET daily_capacity = 0 WHERE code = 'BLR-01'")
    try:
        accepted = demo.place_order(ship_order("WEB-T03", [(sku, 1)]))
    finally:
        demo.sql("UPDATE locations SET daily_capacity = 120 WHERE code = 'BLR-01'")

    assert [f["location"] for f in accepted["fulfilment_orders"]] == ["BLR-02"]
    assert any(
        s.startswith("Passed over BLR-01") and "at capacity today" in s
        for s in accepted["explanation"]
    )


def test_a_split_happens_only_when_no_single_location_can_fill_the_order(
    demo: RunningLedger,
) -> None:
    whole = stock_item(demo, "SHIP-T04", {"BLR-01": 3, "BLR-02": 2, "MUM-01": 4})
    parts = stock_item(demo, "SHIP-T05", {"BLR-01": 3, "BLR-02": 2})

    far = demo.place_order(ship_order("WEB-T04", [(whole, 4)]))
    split = demo.place_order(ship_order("WEB-T05", [(parts, 4)], payment="cod"))

    assert [f["location"] for f in far["fulfilment_orders"]] == ["MUM-01"]  # one parcel
    went = {f["location"]: f["lines"][0]["quantity"] for f in split["fulfilment_orders"]}
    assert went == {"BLR-01": 3, "BLR-02": 1}
    assert split["explanation"][0].startswith("Split into 2 parcels")
    cod = {f["location"]: f["cod_minor"] for f in fulfilments_of(demo, "WEB-T05")}
    assert cod == {"BLR-01": 3 * PRICE_MINOR, "BLR-02": PRICE_MINOR}


def test_every_decision_is_stored_with_its_explanation(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-T06", {"BLR-02": 4})
    accepted = demo.place_order(ship_order("WEB-T06", [(sku, 1)]))

    rows = demo.sql(
        "SELECT d.kind, d.locations, d.explanation FROM route_decisions d "
        "JOIN orders o ON o.id = d.order_id WHERE o.order_number = 'WEB-T06'"
    )
    assert len(rows) == 1 and rows[0][0] == "routed"
    stored = [json.loads(v) if isinstance(v, str) else v for v in rows[0][1:]]
    assert stored == [["BLR-02"], accepted["explanation"]]
    ship_orders = demo.sql("SELECT count(*) FROM orders WHERE method = 'ship'")[0][0]
    decided = demo.sql("SELECT count(DISTINCT order_id) FROM route_decisions")[0][0]
    assert decided == ship_orders  # the seeded demo orders too


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(body: dict[str, Any]) -> None:
        if path == "lines[0].paid_minor":
            del body["lines"][0]["paid_minor"]
        elif "." in path:
            part, key = path.split(".")
            body[part][key] = ""
        else:
            del body[path]

    return change


MISSING = ["ship_to", *(f"ship_to.{p}" for p in ("name", "line1", "city", "state", "pincode",
           "phone")), "lines[0].paid_minor", "payment"]  # fmt: skip


@pytest.mark.parametrize("field", MISSING)
def test_a_ship_order_lacking_a_field_is_refused_by_name_and_creates_nothing(
    demo: RunningLedger, field: str
) -> None:
    sku = stock_item(demo, f"SHIP-M{MISSING.index(field):02d}", {"BLR-01": 5})
    body = ship_order(f"WEB-M{MISSING.index(field):02d}", [(sku, 1)])
    _drop(field)(body)
    before = counts(demo)

    answer = refusal(demo, body)

    assert answer.status_code == 422
    said = answer.json()
    assert said["error"] == "bad_input" and said["message"].startswith(f"{field} is missing")
    assert said["next_step"]
    assert counts(demo) == before


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"ship_to": {"pincode": "56009"}}, "ship_to.pincode", "not a pincode"),
        ({"payment": "cod"}, "cod_minor", "is missing"),
        ({"payment": "cod", "cod_minor": 12_345}, "cod_minor", "₹123.45"),
        ({"payment": "prepaid", "cod_minor": 100}, "cod_minor", "prepaid order collects"),
        ({"discount_minor": 10**7}, "discount_minor", "more than the lines"),
        ({"payment": "cod", "cod_minor": 3 * 10**7}, "cod_minor", "above the"),
    ],
)
def test_wrong_delivery_terms_are_refused_naming_the_field(
    demo: RunningLedger, change: dict[str, Any], field: str, words: str
) -> None:
    sku = stock_item(demo, f"SHIP-W{len(words):02d}{field[:3]}", {"BLR-01": 5})
    body = ship_order(f"WEB-W{len(words):02d}{field[:3]}", [(sku, 1)])
    for key, value in change.items():
        body[key] = {**body[key], **value} if isinstance(value, dict) else value
    before = counts(demo)

    answer = refusal(demo, body)

    assert answer.status_code == 422
    assert answer.json()["message"].startswith(f"{field}:") or field in answer.json()["message"]
    assert words in answer.json()["message"]
    if field == "cod_minor" and "₹123.45" in words:
        assert "owes ₹500.00" in answer.json()["message"]  # both figures
    assert counts(demo) == before


def test_a_negative_paid_price_is_refused_by_the_wire_shape(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-N01", {"BLR-01": 5})
    answer = refusal(demo, ship_order("WEB-N01", [(sku, 1)], paid_minor=-1))
    assert answer.status_code == 422 and "lines.0.paid_minor" in answer.json()["message"]


def test_a_promise_in_the_past_is_refused_and_a_given_one_is_kept(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-P01", {"BLR-01": 5})
    today = datetime.now(IST).date()
    past = refusal(demo, ship_order("WEB-P01", [(sku, 1)], promised_by="2020-01-01"))
    demo.place_order(ship_order("WEB-P02", [(sku, 1)], promised_by=str(today)))

    assert past.status_code == 422 and past.json()["message"].startswith("promised_by:")
    assert fulfilments_of(demo, "WEB-P02")[0]["promised_by"] == today


def test_pickup_intake_is_unchanged(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-K01", {"BLR-01": 5})
    accepted = demo.place_order(
        {
            "order_number": "WEB-K01",
            "channel": "web",
            "method": "pickup",
            "pickup_location": "BLR-01",
            "customer": {"name": "Ravi", "city": "Bengaluru"},
            "lines": [{"sku": sku, "quantity": 1}],
        }
    )
    (fo,) = fulfilments_of(demo, "WEB-K01")
    assert accepted["pickup_code"] and fo["location"] == "BLR-01" and fo["method"] == "pickup"
    assert (fo["ship_to"], fo["carrier"], fo["ship_by"], fo["route_note"]) == (None,) * 4
    assert demo.sql(
        "SELECT count(*) FROM route_decisions d JOIN orders o ON o.id = d.order_id "
        "WHERE o.order_number = 'WEB-K01'"
    ) == [(0,)]


def test_the_demo_bench_store_has_open_ship_orders_some_late(demo: RunningLedger) -> None:
    rows = demo.sql(
        "SELECT f.carrier, f.promised_by, f.ship_by, f.route_note, f.payment "
        "FROM fulfilment_orders f JOIN locations l ON l.id = f.location_id "
        "WHERE l.code = 'BLR-01' AND f.method = 'ship' AND f.order_number LIKE 'WEB-2402%'"
    )
    assert len(rows) == 10 and all(all(v is not None for v in r[:5]) for r in rows)
    today = datetime.now(IST).date()
    promised = [r[1] if isinstance(r[1], date) else date.fromisoformat(r[1]) for r in rows]
    assert sum(p == today for p in promised) >= 2  # promised today: they will be late
    assert {r[0] for r in rows} >= {"LOCAL"} and len({r[0] for r in rows}) >= 2
    assert {r[4] for r in rows} == {"cod", "prepaid"}


def test_stores_carriers_and_boxes_are_master_data(demo: RunningLedger) -> None:
    carriers = demo.sql("SELECT code, kind, cutoff FROM carriers ORDER BY code")
    assert carriers == [
        ("INDPOST", "partner", "17:00"),
        ("LOCAL", "own_fleet", "18:00"),
        ("SWIFT", "partner", "16:00"),
    ]
    boxes = demo.sql(
        "SELECT count(*) FROM box_types b JOIN locations l ON l.id = b.location_id "
        "WHERE l.code = 'BLR-01'"
    )
    assert boxes == [(5,)]
    collecting = demo.sql(
        "SELECT count(*) FROM location_carriers c JOIN locations l ON l.id = c.location_id "
        "WHERE l.code = 'BLR-09'"
    )
    assert collecting == [(0,)]


def test_a_customer_without_coordinates_is_placed_by_city_or_refused(demo: RunningLedger) -> None:
    sku = stock_item(demo, "SHIP-C01", {"BLR-01": 5})
    in_city = ship_order("WEB-C01", [(sku, 1)])
    in_city["customer"] = {"name": "Asha Kumar", "city": "Bengaluru"}
    far = ship_order("WEB-C02", [(sku, 1)], where=MYSURU)
    far["customer"] = {"name": "Divya Shetty"}
    before = counts(demo)

    placed = demo.place_order(in_city)
    after = counts(demo)
    nowhere = refusal(demo, far)

    assert placed["explanation"][-1] == (
        "No coordinates given: the customer is placed in Bengaluru."
    )
    assert nowhere.status_code == 422
    assert nowhere.json()["message"].startswith("customer.latitude: pincode 570002 in Mysuru")
    assert after != before and counts(demo) == after
