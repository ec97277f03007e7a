"""The protocol version header, the ledger's tolerant reading of a newer station, and 426.

A station says ``Counterbench-Protocol: N``; one without the header is version 1 (the
stations from before it). The ledger sends its version on every answer, reads sync
messages with fields it does not know, and answers 426 below its minimum.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from app.errors import BadInput
from app.ledger.api.versions import MIN_PROTOCOL_ENV, TOO_OLD, min_protocol_from_env
from app.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.ledger.conftest import DeviceClient
from tests.support.ledger import ADMIN_TOKEN, RunningLedger, tiny_ledger


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """SQLite only: the protocol header is read and sent before any SQL; a PostgreSQL
    variant would repeat the same answers."""
    yield from tiny_ledger(tmp_path_factory.mktemp("ledger"))


def test_every_answer_says_the_ledgers_protocol(shared_ledger: RunningLedger) -> None:
    device = DeviceClient(shared_ledger, "BLR-01")
    url = shared_ledger.url
    answers = [
        requests.get(f"{url}/v1/health", timeout=10),
        requests.get(f"{url}/v1/sync/pull", timeout=10),  # 401: no token
        requests.get(f"{url}/v1/no-such-thing", timeout=10),
        device.http.get(f"{url}/v1/sync/pull", timeout=10),  # no header: version 1, served
    ]
    assert [a.status_code for a in answers] == [200, 401, 404, 200]
    assert {a.headers[PROTOCOL_HEADER] for a in answers} == {str(PROTOCOL_VERSION)}
    assert answers[0].json()["protocol"] == PROTOCOL_VERSION


def test_an_unreadable_version_is_refused_with_what_to_send(shared_ledger: RunningLedger) -> None:
    device = DeviceClient(shared_ledger, "BLR-01")
    answer = device.http.get(
        f"{shared_ledger.url}/v1/sync/pull", headers={PROTOCOL_HEADER: "two"}, timeout=10
    )
    assert answer.status_code == 422
    assert PROTOCOL_HEADER in answer.json()["message"]


def test_a_newer_station_is_read_tolerantly(shared_ledger: RunningLedger) -> None:
    """Fields the ledger does not know are ignored on enrolment and push; a scope it does
    not know is one empty snapshot page; the op's fingerprint is what the ledger reads."""
    ahead = {PROTOCOL_HEADER: str(PROTOCOL_VERSION + 1)}
    body = {
        "code": shared_ledger.enrol_code("BLR-01"),
        "station_name": "Counter from the future",
        "station_kind": "counter",
        "screen_size": "15in",
    }
    enrolled = requests.post(f"{shared_ledger.url}/v1/enrol", json=body, headers=ahead, timeout=10)
    assert enrolled.status_code == 200, enrolled.text
    device = DeviceClient(shared_ledger, "BLR-01")
    device.http.headers.update(ahead)
    sku = str(shared_ledger.sql("SELECT sku FROM items WHERE id = 41")[0][0])
    op = device.count_op(sku, 6, base=device.head())
    newer = {**op, "priority": "high", "approval": None, "geo": {"lat": 12.9}}
    answer = device.http.post(
        f"{shared_ledger.url}/v1/sync/push",
        json={"device_id": device.device_id, "ops": [newer], "compression": "none"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"
    # the same op without the new fields is a replay, not a reuse
    replay = device.push([op])["results"][0]
    assert replay["replayed"] and replay["status"] == "applied"
    page = device.snapshot("promotions")
    assert (page["rows"], page["next_after"], page["columns"]) == ([], None, [])


def test_order_intake_still_refuses_a_misspelt_field(shared_ledger: RunningLedger) -> None:
    sku = str(shared_ledger.sql("SELECT sku FROM items WHERE id = 42")[0][0])
    order = {
        "order_number": "WEB-MISSPELT-1",
        "channel": "web",
        "method": "ship",
        "customer": {"name": "Asha Kumar", "cty": "Bengaluru"},
        "lines": [{"sku": sku, "quantity": 1}],
    }
    answer = requests.post(
        f"{shared_ledger.url}/v1/orders",
        json=order,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        timeout=10,
    )
    assert answer.status_code == 422 and "cty" in answer.text


@pytest.fixture
def strict_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningLedger]:
    """A ledger that serves protocol 2 and up only (``COUNTERBENCH_MIN_PROTOCOL=2``)."""
    monkeypatch.setenv(MIN_PROTOCOL_ENV, "2")
    yield from tiny_ledger(tmp_path)


def test_a_station_below_the_minimum_gets_426_and_is_told_to_update(
    strict_ledger: RunningLedger,
) -> None:
    url = strict_ledger.url
    body = {"code": strict_ledger.enrol_code("BLR-01"), "station_name": "Old counter"}
    old = [  # stations from before the header: version 1
        requests.post(f"{url}/v1/enrol", json=body, timeout=10),
        requests.get(f"{url}/v1/sync/pull", timeout=10),
        requests.get(f"{url}/v1/sync/snapshot", params={"scope": "stock"}, timeout=10),
        requests.get(f"{url}/v1/sync/pull", headers={PROTOCOL_HEADER: "1"}, timeout=10),
    ]
    for answer in old:
        assert answer.status_code == 426
        assert answer.json()["message"] == TOO_OLD
        assert answer.json()["min_protocol"] == 2
        assert answer.headers["Upgrade"] == f"{PROTOCOL_HEADER}/2"
    assert requests.get(f"{url}/v1/health", timeout=10).status_code == 200  # health: anyone
    current = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    enrolled = requests.post(f"{url}/v1/enrol", json=body, headers=current, timeout=10)
    assert enrolled.status_code == 200, enrolled.text  # the code was not used up by the 426


def test_the_minimum_must_be_a_protocol_the_ledger_speaks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MIN_PROTOCOL_ENV, raising=False)
    assert min_protocol_from_env() == 1
    for wrong in ("0", str(PROTOCOL_VERSION + 1), "two"):
        monkeypatch.setenv(MIN_PROTOCOL_ENV, wrong)
        with pytest.raises(BadInput, match=MIN_PROTOCOL_ENV):
            min_protocol_from_env()
