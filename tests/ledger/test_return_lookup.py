"""Finding what was bought for a return, at any store that takes returns: by order or
receipt number, phone, e-mail, item and parcel; the customer masked; every lookup in the
audit log; a location without returns refused. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

import requests

from tests.ledger.bench_support import Bench, bin_lines, parcel, placed
from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.ledger.return_support import ReturnCounter, return_line
from tests.ledger.ship_support import stock_item
from tests.support.ledger import ADMIN_TOKEN, INTAKE_TOKEN, RunningLedger

INTAKE = {"Authorization": f"Bearer {INTAKE_TOKEN}"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}


def till_sale(ledger: RunningLedger, receipt: str, skus: list[str], **extra: Any) -> None:
    body = {
        "receipt": receipt,
        "location": "BLR-01",
        "sold_at": "2026-12-01T10:15:00+05:30",
        "lines": [{"sku": s, "quantity": 2, "unit_paid_minor": 12345} for s in skus],
        "payment": "store_credit",
        "customer_phone": "+91 99000 43210",
        "customer_email": "Priya.Rao@Example.com",
        "customer_name": "Priya Rao Sharma",
        **extra,
    }
    answer = requests.post(f"{ledger.url}/v1/sales", json=body, headers=INTAKE, timeout=30)
    assert answer.status_code == 200, answer.text


def look(device: DeviceClient, by: str = "A100", **asked: str) -> requests.Response:
    return device.http.get(
        f"{device.ledger.url}/v1/returns/orders", params={"by": by, **asked}, timeout=30
    )


def found(device: DeviceClient, **asked: str) -> list[dict[str, Any]]:
    answer = look(device, **asked)
    assert answer.status_code == 200, answer.text
    orders: list[dict[str, Any]] = answer.json()["orders"]
    return orders


def test_a_till_receipt_is_found_at_another_store_with_what_a_return_needs_and_no_more(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[11]
    till_sale(shared_ledger, "LK-0001", [sku])
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    answer = look(mumbai, order="LK-0001")

    assert answer.status_code == 200, answer.text
    text = answer.text
    assert "Sharma" not in text and "43210" not in text and "priya.rao" not in text.lower()
    (order,) = answer.json()["orders"]
    item = shared_ledger.sql(
        "SELECT gtin, name, hsn_code, gst_rate_bp, return_days, returnable, return_category "
        "FROM items WHERE sku = :s",
        {"s": sku},
    )[0]
    assert order == {
        "order_number": "LK-0001",
        "channel": "store",
        "method": "walkin",
        "sold_at": "2026-12-01T04:45:00Z",
        "delivered_at": None,
        "from_locations": [{"code": "BLR-01", "state_code": "29", "state": "Karnataka"}],
        "payment": "store_credit",
        "discount_minor": 0,
        "shipping_minor": 0,
        "currency": "INR",
        "customer": {"first_name": "Priya", "phone_last4": "3210"},
        "lines": [
            {
                "line_no": 1,
                "sku": sku,
                "gtin": item[0],
                "name": item[1],
                "quantity": 2,
                "unit_paid_minor": 12345,
                "hsn_code": item[2],
                "gst_rate_bp": item[3],
                "return_days": item[4],
                "returnable": bool(item[5]),
                "return_category": item[6],
                "from_location": "BLR-01",
                "delivered_at": None,
                "earlier": [],
                "invoice": "LK-0001",  # a till sale's receipt is its invoice
                "invoiced_at": "2026-12-01T04:45:00Z",
            }
        ],
        "shipping_refunded": False,
        "parcels": [],
    }


def test_another_stores_station_finds_a_web_order_with_its_paid_prices_and_charges(
    shared_ledger: RunningLedger,
) -> None:
    bengaluru = DeviceClient(shared_ledger, "BLR-01")

    (order,) = found(bengaluru, order="T-1003")  # an app order shipped from MUM-01

    held = shared_ledger.sql(
        "SELECT o.discount_minor, o.shipping_minor, o.payment, ol.paid_minor, ol.quantity "
        "FROM orders o JOIN order_lines ol ON ol.order_id = o.id WHERE o.order_number = 'T-1003'"
    )[0]
    assert (order["channel"], order["method"]) == ("app", "ship")
    assert order["from_locations"] == [
        {"code": "MUM-01", "state_code": "27", "state": "Maharashtra"}
    ]
    assert (order["discount_minor"], order["shipping_minor"], order["payment"]) == held[:3]
    assert [(x["unit_paid_minor"], x["quantity"]) for x in order["lines"]] == [held[3:]]
    assert order["lines"][0]["from_location"] == "MUM-01"
    assert order["customer"] == {"first_name": "Neha", "phone_last4": "1003"}


def test_phone_and_email_find_every_order_of_the_customer_newest_first(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[12]
    first = {"customer_phone": "099001 77777", "customer_email": "Kiran@Shop.example"}
    later = {"customer_phone": "+91-99001-77777", "customer_email": "kiran@shop.example "}
    till_sale(shared_ledger, "LK-0101", [sku], sold_at="2026-11-20T10:00:00+05:30", **first)
    till_sale(shared_ledger, "LK-0102", [sku], sold_at="2026-11-25T10:00:00+05:30", **later)
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    by_phone = found(mumbai, phone="9900177777")
    by_email = found(mumbai, email="KIRAN@shop.EXAMPLE")
    nobody = found(mumbai, phone="+91 90000 00000")
    not_a_phone = look(mumbai, phone="12")

    assert [o["order_number"] for o in by_phone] == ["LK-0102", "LK-0101"]
    assert [o["order_number"] for o in by_email] == ["LK-0102", "LK-0101"]
    assert nobody == []
    assert not_a_phone.status_code == 422 and "10 digits" in not_a_phone.json()["next_step"]


def test_an_item_scan_finds_the_20_newest_orders_containing_it(
    shared_ledger: RunningLedger,
) -> None:
    sku, other = tiny_skus(shared_ledger)[13:15]
    for day in range(1, 23):
        till_sale(shared_ledger, f"LK-02{day:02d}", [sku] if day != 22 else [other],
                  sold_at=f"2026-10-{day:02d}T10:00:00+05:30")  # fmt: skip
    gtin = shared_ledger.sql("SELECT gtin FROM items WHERE sku = :s", {"s": sku})[0][0]
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    orders = found(mumbai, gtin=gtin)

    assert [o["order_number"] for o in orders] == [f"LK-02{d:02d}" for d in range(21, 1, -1)]


def test_a_returned_parcels_sscc_or_tracking_number_finds_its_order_with_delivery_dates(
    shared_ledger: RunningLedger,
) -> None:
    fo_id, location, sku, item_id = shared_ledger.sql(
        "SELECT f.id, l.code, fl.sku, fl.item_id FROM fulfilment_orders f "
        "JOIN fulfilment_lines fl ON fl.fulfilment_order_id = f.id "
        "JOIN locations l ON l.id = f.location_id WHERE f.order_number = 'T-1002'"
    )[0]
    parcel = shared_ledger.sql(
        "INSERT INTO parcels (fulfilment_order_id, sscc, box, weight_g, expected_g, carrier, "
        "tracking, void, created_at, state, delivered_at) VALUES (:f, '389040000000012345', "
        "'B1', 500, 500, 'SWIFT', 'SW123456789IN', false, '2026-11-01T10:00:00+00:00', "
        "'delivered', '2026-11-03T08:00:00+00:00') RETURNING id",
        {"f": fo_id},
    )[0][0]
    shared_ledger.sql(
        "INSERT INTO parcel_lines (parcel_id, sku, item_id, quantity) VALUES (:p, :s, :i, 1)",
        {"p": parcel, "s": sku, "i": item_id},
    )
    warehouse = DeviceClient(shared_ledger, "WH-BHW", "bench")

    by_sscc = found(warehouse, parcel="389040000000012345")
    by_scan = found(warehouse, parcel="00389040000000012345")  # the GS1-128 label's text
    by_tracking = found(warehouse, parcel="SW123456789IN")

    assert by_sscc == by_scan == by_tracking
    (order,) = by_sscc
    assert order["order_number"] == "T-1002"
    assert order["delivered_at"] == "2026-11-03T08:00:00Z"
    assert order["lines"][0]["delivered_at"] == "2026-11-03T08:00:00Z"
    assert order["lines"][0]["from_location"] == location
    assert order["parcels"] == ["389040000000012345", "SW123456789IN"]  # found offline by them


def test_every_lookup_is_audited_with_who_which_station_what_and_how_many(
    shared_ledger: RunningLedger,
) -> None:
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    found(mumbai, by="l200", order="T-1001")
    found(mumbai, by="A100", email="nobody@example.com")

    rows = shared_ledger.sql(
        "SELECT actor, body FROM audit_log WHERE action = 'returns.lookup' ORDER BY id"
    )
    mine = [(a, json.loads(b)["subject"]) for a, b in rows if mumbai.device_id in b]
    assert mine == [
        ("L200", {"device": mumbai.device_id, "location": "MUM-01", "asked": "order",
                  "value": "T-1001", "found": 1, "orders": ["T-1001"]}),
        ("A100", {"device": mumbai.device_id, "location": "MUM-01", "asked": "email",
                  "value": "nobody@example.com", "found": 0, "orders": []}),
    ]  # fmt: skip
    assert shared_ledger.sql(
        "SELECT count(*) FROM audit_log a JOIN locations l ON l.id = a.chain "
        "WHERE a.action = 'returns.lookup' AND l.code = 'MUM-01' AND a.body LIKE :d",
        {"d": f"%{mumbai.device_id}%"},
    ) == [(2,)]


def test_a_location_without_returns_is_refused_and_asking_twice_or_never_is_422(
    shared_ledger: RunningLedger,
) -> None:
    place = {
        "name": "Pune Outlet", "kind": "store", "city": "Pune", "pincode": "411045",
        "latitude": 18.559, "longitude": 73.786, "capabilities": ["bopis"],
    }  # fmt: skip
    put = requests.put(
        f"{shared_ledger.url}/v1/admin/locations/PUN-09", json=place, headers=ADMIN, timeout=30
    )
    assert put.status_code == 200, put.text
    pune = DeviceClient(shared_ledger, "PUN-09")
    mumbai = DeviceClient(shared_ledger, "MUM-01")

    refused = look(pune, order="T-1001")
    two = look(mumbai, order="T-1001", phone="9845001001")
    none = look(mumbai)
    nul = look(mumbai, order="T-\x001001")
    intake_token = requests.get(
        f"{shared_ledger.url}/v1/returns/orders",
        params={"by": "A100", "order": "T-1001"}, headers=INTAKE, timeout=30,
    )  # fmt: skip

    assert refused.status_code == 403
    assert "PUN-09 does not take returns" in refused.json()["message"]
    assert "store that takes returns" in refused.json()["message"]
    assert two.status_code == 422 and none.status_code == 422 and nul.status_code == 422
    assert "not text" in nul.json()["message"]
    assert "exactly one of" in two.json()["message"]
    assert intake_token.status_code == 403
    assert shared_ledger.sql(
        "SELECT count(*) FROM audit_log WHERE action = 'returns.lookup' AND body LIKE :d",
        {"d": f"%{pune.device_id}%"},
    ) == [(0,)]


def test_a_line_returned_at_another_store_shows_where_and_when_it_came_back(
    shared_ledger: RunningLedger,
) -> None:
    sku = tiny_skus(shared_ledger)[12]
    till_sale(shared_ledger, "LK-0777", [sku])  # 2 units
    mumbai = ReturnCounter(shared_ledger, "MUM-01")
    (result,) = mumbai.send(mumbai.return_op("LK-0777", [return_line(1, sku)]))
    assert result["status"] == "applied", result

    (order,) = found(DeviceClient(shared_ledger, "BLR-01"), order="LK-0777")

    (earlier,) = order["lines"][0]["earlier"]
    assert (earlier["quantity"], earlier["location"]) == (1, "MUM-01")
    assert earlier["recorded_at"].startswith("20")
    assert order["shipping_refunded"] is False


def test_an_order_shipped_from_a_bench_names_the_tax_invoice_it_was_packed_under(
    shared_ledger: RunningLedger,
) -> None:
    sku = stock_item(shared_ledger, "RL-INV-1", {"BLR-01": 5})
    fo = int(placed(shared_ledger, "WEB-RL-INV1", [(sku, 2)])["id"])
    bench = Bench(shared_ledger, "BLR-01")
    bench.one(bench.step("ship.pick", fo, lines=bin_lines((sku, 2)), tote="PB-1-T1"))
    pack = bench.step("ship.pack", fo, parcel=parcel((sku, 2)), invoice="B0001/2627/00123")
    pack["device_time"] = "2026-12-01T19:00:00+00:00"  # packed offline, late on 2 Dec in India
    assert bench.one(pack)["status"] == "applied"
    placed(shared_ledger, "WEB-RL-INV2", [(sku, 1)])  # not packed yet

    (order,) = found(DeviceClient(shared_ledger, "MUM-01"), order="WEB-RL-INV1")
    (waiting,) = found(DeviceClient(shared_ledger, "MUM-01"), order="WEB-RL-INV2")

    (line,) = order["lines"]
    assert (line["invoice"], line["invoiced_at"]) == ("B0001/2627/00123", "2026-12-01T19:00:00Z")
    assert (waiting["lines"][0]["invoice"], waiting["lines"][0]["invoiced_at"]) == ("", None)
