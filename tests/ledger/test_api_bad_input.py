"""Bad input gets a 4xx with the one error body, never a 500 (issue #9 §4).

Each request here answered 500 before: a huge id in an admin path, a lone surrogate in
text, ``GET /v1/admin/messages?limit=4553``, and ``{"now": 0}`` was taken as 1970.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import RunningLedger

HUGE = 2**64


def call(
    ledger: RunningLedger, method: str, path: str, body: Any = None, *, token: str = ""
) -> requests.Response:
    """``body`` goes as written (a str is sent as it is, so it may hold any escape)."""
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    return requests.request(
        method,
        f"{ledger.url}/v1{path}",
        data=data.encode() if data is not None else None,
        headers={
            "Authorization": f"Bearer {token or ledger.admin_token}",
            "Content-Type": "application/json",
        },
        timeout=30,
    )


def refused(response: requests.Response, status: int, error: str = "") -> dict[str, Any]:
    """The ErrorBody of ``response``, checked to be ``status`` (and ``error``)."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["message"] and "next_step" in body
    if error:
        assert body["error"] == error, body
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/transfers/{HUGE}"),
        ("POST", f"/transfers/{HUGE}/ship"),
        ("POST", f"/admin/messages/{HUGE}/requeue"),
        ("GET", f"/transfers/{2**31}"),
    ],
)
def test_a_huge_id_in_an_admin_path_is_422(
    shared_ledger: RunningLedger, method: str, path: str
) -> None:
    body = refused(call(shared_ledger, method, path, {} if method == "POST" else None), 422)
    assert body["error"] == "invalid_request" and body["detail"][0]["loc"][0] == "path"


@pytest.mark.parametrize("path", ["/transfers/2147483647", "/admin/messages/2147483647/requeue"])
def test_the_largest_id_taken_is_404_when_absent(shared_ledger: RunningLedger, path: str) -> None:
    method = "POST" if path.endswith("requeue") else "GET"
    refused(call(shared_ledger, method, path), 404, "not_found")


def test_message_list_limit_is_bounded(shared_ledger: RunningLedger) -> None:
    too_many = refused(call(shared_ledger, "GET", "/admin/messages?limit=4553"), 422)
    assert "limit" in too_many["message"] and "500" in too_many["message"]
    assert call(shared_ledger, "GET", "/admin/messages?limit=500").status_code == 200


@pytest.mark.parametrize("path", ["/admin/expire-holds", "/admin/remind-pickups"])
@pytest.mark.parametrize(
    "now",
    [0, 1733479200, "0", "1970-01-01T00:00:00Z", "2100-01-01T00:00:00Z", "2026-12-06T10:00:00"],
    ids=["zero", "epoch-seconds", "text-zero", "1970", "2100", "no-zone"],
)
def test_an_implausible_server_time_is_refused(
    shared_ledger: RunningLedger, path: str, now: object
) -> None:
    body = refused(call(shared_ledger, "POST", path, {"now": now}), 422, "invalid_request")
    assert "2000" in body["message"] and "zone" in body["message"]


def test_a_plausible_server_time_is_taken(shared_ledger: RunningLedger) -> None:
    answer = call(shared_ledger, "POST", "/admin/expire-holds", {"now": "2026-12-06T10:00:00Z"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["now"] == "2026-12-06T10:00:00+00:00"


def order_text(ledger: RunningLedger, number: str, name: str) -> str:
    """An order intake body as JSON text, the customer's name written as given."""
    sku = tiny_skus(ledger)[40]
    return (
        f'{{"order_number": "{number}", "channel": "web", "method": "ship",'
        f' "customer": {{"name": "{name}", "city": "Bengaluru"}},'
        f' "lines": [{{"sku": "{sku}", "quantity": 1, "paid_minor": 100}}],'
        f' "ship_to": {{"name": "{name}", "line1": "1 Road", "city": "Bengaluru",'
        f' "state": "Karnataka", "pincode": "560034", "phone": "98450"}}, "payment": "prepaid"}}'
    )


@pytest.mark.parametrize("bad", ["\\udcff", "A\\ud800B", "\\udc00\\ud800", "nul\\u0000"])
def test_text_the_ledger_cannot_store_is_422_in_order_intake(
    shared_ledger: RunningLedger, bad: str
) -> None:
    body = refused(
        call(shared_ledger, "POST", "/orders", order_text(shared_ledger, "SUR-1", bad)), 422
    )
    assert body["error"] == "unstorable_text"
    assert body["detail"][0]["loc"] == ["body", "customer", "name"]
    assert "customer.name" in body["message"]
    assert not shared_ledger.sql("SELECT 1 FROM orders WHERE order_number = 'SUR-1'")


def test_a_surrogate_pair_is_text_and_taken(shared_ledger: RunningLedger) -> None:
    answer = call(
        shared_ledger, "POST", "/orders", order_text(shared_ledger, "SUR-2", "\\ud83d\\ude00")
    )
    assert answer.status_code == 200, answer.text


def test_a_lone_surrogate_is_422_in_enrolment_and_admin_bodies(
    shared_ledger: RunningLedger,
) -> None:
    code = shared_ledger.enrol_code("BLR-01")
    enrol = call(
        shared_ledger, "POST", "/enrol", f'{{"code": "{code}", "station_name": "T\\udcff"}}'
    )
    assert refused(enrol, 422, "unstorable_text")["detail"][0]["loc"] == ["body", "station_name"]
    cancel = call(shared_ledger, "POST", "/orders/T-1001/cancel", '{"reason": "\\udcff"}')
    refused(cancel, 422, "unstorable_text")
    key = call(shared_ledger, "POST", "/admin/expire-holds", '{"\\udcff": 1}')
    refused(key, 422, "unstorable_text")


def test_a_push_is_not_refused_whole_for_bad_text_in_an_op_payload(
    shared_ledger: RunningLedger,
) -> None:
    """An op's payload is the push's to deal with, op by op (quarantine): a 422 for the
    whole push would wedge the station's queue. Its envelope is checked like any body."""
    station = DeviceClient(shared_ledger, "BLR-01")
    in_payload = station.count_op("\udcff", 1, base=0)
    in_envelope = {**station.count_op("ok", 1, base=0, seq=1), "actor": "\udcff"}

    def push(op: dict[str, Any]) -> requests.Response:
        body = json.dumps({"device_id": station.device_id, "ops": [op]})
        return call(shared_ledger, "POST", "/sync/push", body, token=station.token)

    envelope = refused(push(in_envelope), 422, "unstorable_text")
    assert envelope["detail"][0]["loc"] == ["body", "ops", 0, "actor"]
    payload = push(in_payload)
    assert payload.status_code != 422, payload.text
    assert "unstorable" not in payload.text
    sku = tiny_skus(shared_ledger)[42]
    newer = {**station.count_op(sku, 1, base=0, seq=2), "from_a_newer_station": "\u0000"}
    assert push(newer).status_code == 200  # an unknown envelope field is ignored, not refused


def test_a_whole_number_beyond_what_the_ledger_takes_is_422(shared_ledger: RunningLedger) -> None:
    text = order_text(shared_ledger, "BIG-1", "Asha").replace(
        '"quantity": 1', f'"quantity": {HUGE}'
    )
    body = refused(call(shared_ledger, "POST", "/orders", text), 422, "unstorable_number")
    assert body["detail"][0]["loc"] == ["body", "lines", 0, "quantity"]


def test_unreadable_json_is_one_error_body(shared_ledger: RunningLedger) -> None:
    not_utf8 = requests.post(
        f"{shared_ledger.url}/v1/admin/expire-holds",
        data=b"\xff\xfe{",
        headers={
            "Authorization": f"Bearer {shared_ledger.admin_token}",
            "Content-Type": "application/json",
        },
        timeout=30,
    )
    refused(not_utf8, 400, "bad_request")
    refused(call(shared_ledger, "POST", "/admin/expire-holds", "{"), 422, "invalid_request")


def test_a_nul_in_a_path_or_query_is_422(shared_ledger: RunningLedger) -> None:
    """PostgreSQL refuses NUL in text: these were 500s there."""
    station = DeviceClient(shared_ledger, "MUM-01")
    locate = station.http.get(f"{shared_ledger.url}/v1/pickups/locate?q=A%00B", timeout=30)
    timeline = call(shared_ledger, "GET", "/orders/T-1001%00")

    assert refused(locate, 422, "unstorable_text")["detail"][0]["loc"] == ["query", "q"]
    assert refused(timeline, 422, "unstorable_text")["detail"][0]["loc"] == [
        "path",
        "order_number",
    ]


@pytest.mark.parametrize("quantity", ["true", '"1"', "1.0"])
def test_a_body_is_held_to_its_documented_json_types(
    shared_ledger: RunningLedger, quantity: str
) -> None:
    """Lax reading took true or "1" for a whole number: what the contract refuses is refused."""
    text = order_text(shared_ledger, "TYPE-1", "Asha").replace(
        '"quantity": 1', f'"quantity": {quantity}'
    )
    body = refused(call(shared_ledger, "POST", "/orders", text), 422, "invalid_request")
    assert body["detail"][0]["loc"] == ["body", "lines", 0, "quantity"]
    assert not shared_ledger.sql("SELECT 1 FROM orders WHERE order_number = 'TYPE-1'")
