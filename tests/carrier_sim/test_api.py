"""The simulator's HTTP API as a caller sees it, controls and webhook included."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.support.carrier_sim import RunningSim, closed_port, serve_carrier_sim

CONSIGNEE = {"name": "R", "address": "A", "city": "Pune", "pincode": "411001", "phone": "1"}
BODY = {
    "reference": "WEB-7",
    "consignee": CONSIGNEE,
    "weight_g": 700,
    "value_paise": 99_900,
}


def call(
    sim: RunningSim, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    url = urlsplit(sim.url)
    conn = HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        data = None if body is None else json.dumps(body).encode()
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"}
                     | (headers or {}))  # fmt: skip
        answer = conn.getresponse()
        return answer.status, json.loads(answer.read())
    finally:
        conn.close()


def book(sim: RunningSim, key: str) -> tuple[int, Any]:
    return call(sim, "POST", "/v1/shipments", BODY, {"Idempotency-Key": key})


def test_booking_answers_201_then_200_replayed(sim: RunningSim) -> None:
    status, first = book(sim, "K1")
    assert status == 201 and first["replayed"] is False
    assert first["label"] == {"service": "Express", "routing_code": "PNQ/411", "sort_code": "S00",
                              "barcode": first["tracking"]}  # fmt: skip
    status, again = book(sim, "K1")
    assert status == 200 and again == first | {"replayed": True}
    assert call(sim, "GET", "/v1/shipments?idempotency_key=K1") == (200, first)
    listed = call(sim, "GET", "/sim/shipments")[1]
    assert listed["issued"] == 1 and [s["tracking"] for s in listed["shipments"]] == [
        first["tracking"]
    ]


def test_a_booking_without_its_key_or_with_a_bad_pincode_books_nothing(sim: RunningSim) -> None:
    status, answer = call(sim, "POST", "/v1/shipments", BODY)
    assert status == 422 and answer["detail"][0]["loc"] == ["header", "idempotency-key"]
    bad = BODY | {"consignee": CONSIGNEE | {"pincode": "012345"}}
    status, answer = call(sim, "POST", "/v1/shipments", bad, {"Idempotency-Key": "K1"})
    assert status == 422 and answer["detail"][0]["loc"][-1] == "pincode"
    assert sim.carrier.issued == 0


def test_unknown_shipments_are_404_with_a_reason(sim: RunningSim) -> None:
    assert call(sim, "GET", "/v1/shipments/SW0000000404") == (
        404, {"reason": "we have no shipment SW0000000404."}
    )  # fmt: skip
    assert call(sim, "GET", "/v1/shipments?idempotency_key=K9")[0] == 404


def test_the_mode_is_set_and_read_and_runs_out(sim: RunningSim) -> None:
    status, mode = call(sim, "POST", "/sim/mode", {"fault": "down", "times": 2})
    assert status == 200 and (mode["fault"], mode["times"]) == ("down", 2)
    assert call(sim, "GET", "/sim/mode")[1]["fault"] == "down"  # /sim is never faulty
    assert book(sim, "K1") == (503, {"reason": "the booking service is down for maintenance."})
    assert call(sim, "GET", "/v1/pincodes/411001")[0] == 503
    assert call(sim, "GET", "/sim/mode")[1] == {
        "fault": "none", "delay_ms": 0, "reason": "bookings are paused at your pickup point today.",
        "times": None,
    }  # fmt: skip
    assert call(sim, "GET", "/v1/pincodes/411001") == (
        200, {"pincode": "411001", "serviceable": True}
    )  # fmt: skip
    assert call(sim, "POST", "/sim/mode", {"fault": "sideways"})[0] == 422


def test_refuse_touches_bookings_only(sim: RunningSim) -> None:
    call(sim, "POST", "/sim/mode", {"fault": "refuse", "reason": "festival backlog."})
    assert book(sim, "K1") == (422, {"reason": "festival backlog."})
    assert call(sim, "GET", "/v1/events")[0] == 200


def test_advance_refuses_what_cannot_come_next(sim: RunningSim) -> None:
    tracking = book(sim, "K1")[1]["tracking"]
    status, answer = call(sim, "POST", "/sim/advance", {"tracking": tracking, "to": "delivered"})
    assert (status, answer) == (422, {"reason": "a booked shipment cannot become delivered."})
    status, event = call(sim, "POST", "/sim/advance", {"tracking": tracking})
    assert status == 200 and (event["seq"], event["event"]) == (1, "shipped")


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict[str, Any]], threading.Event]]:
    """A real HTTP server on loopback that keeps what is POSTed to it."""
    received: list[dict[str, Any]] = []
    arrived = threading.Event()

    class Keep(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()
            arrived.set()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Keep)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/events", received, arrived
    finally:
        server.shutdown()
        server.server_close()


def test_events_are_pushed_to_the_webhook() -> None:
    with webhook_receiver() as (url, received, arrived), serve_carrier_sim(webhook=url) as sim:
        tracking = book(sim, "K1")[1]["tracking"]
        status, event = call(sim, "POST", "/sim/advance", {"tracking": tracking})
        assert status == 200
        assert arrived.wait(10)
    assert received == [event]
    assert event["idempotency_key"] == "K1" and event["event"] == "shipped"


def test_an_unreachable_webhook_loses_no_event() -> None:
    with serve_carrier_sim(webhook=f"http://127.0.0.1:{closed_port()}/events") as sim:
        tracking = book(sim, "K1")[1]["tracking"]
        assert call(sim, "POST", "/sim/advance", {"tracking": tracking})[0] == 200
        feed = call(sim, "GET", "/v1/events?after=0")[1]
    assert [e["event"] for e in feed["events"]] == ["shipped"] and feed["cursor"] == 1
