"""Sync parameters and sequence numbers out of range are a 422 that names them, never a 500
or a refused operation (issue #9 §4)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ledger.conftest import DeviceClient
from tests.support.ledger import RunningLedger

TOO_BIG = 2**64  # 18446744073709551616: past a BIGINT, it made SQLite overflow (500)
BIGINT = 2**63 - 1

BAD: list[tuple[str, dict[str, Any]]] = [
    ("pull", {"cursor": TOO_BIG}),
    ("pull", {"cursor": 2**63}),
    ("pull", {"cursor": -1}),
    ("pull", {"cursor": "12abc"}),
    ("pull", {"limit": TOO_BIG}),
    ("pull", {"limit": 10**6}),
    ("pull", {"limit": 0}),
    ("pull", {"limit": -5}),
    ("snapshot", {"scope": "stock", "after": TOO_BIG}),
    ("snapshot", {"scope": "stock", "after": -1}),
    ("snapshot", {"scope": "stock", "limit": TOO_BIG}),
    ("snapshot", {"scope": "stock", "limit": 10**6}),
    ("snapshot", {"scope": "stock", "limit": -1}),
    ("snapshot", {"scope": "x" * 65}),
]


@pytest.fixture(scope="module")
def device(shared_ledger: RunningLedger) -> DeviceClient:
    return DeviceClient(shared_ledger, "BLR-01")


@pytest.mark.parametrize(("path", "params"), BAD, ids=[f"{p}-{q}" for p, q in BAD])
def test_out_of_range_sync_parameters_are_422(
    device: DeviceClient, path: str, params: dict[str, Any]
) -> None:
    answer = device.http.get(f"{device.ledger.url}/v1/sync/{path}", params=params, timeout=10)
    assert answer.status_code == 422, answer.text
    (name,) = (k for k in params if k != "scope" or len(params) == 1)
    assert answer.headers["content-type"].startswith("application/json")
    assert name in answer.text  # the answer says which parameter is wrong


@pytest.mark.parametrize("field", ["device_seq", "base_ledger_seq"])
@pytest.mark.parametrize("value", [TOO_BIG, 2**63, -1])
def test_out_of_range_sequence_numbers_in_a_push_are_422(
    device: DeviceClient, field: str, value: int
) -> None:
    item = str(device.ledger.sql("SELECT sku FROM items WHERE id = 43")[0][0])
    op = {**device.count_op(item, 3, base=0, seq=1), field: value}
    answer = device.push_raw([op])
    assert answer.status_code == 422, answer.text
    assert field in answer.text


def test_the_largest_cursor_and_after_are_answered(device: DeviceClient) -> None:
    url = device.ledger.url
    pulled = device.http.get(f"{url}/v1/sync/pull", params={"cursor": BIGINT}, timeout=10)
    assert pulled.status_code == 200 and pulled.json()["changes"] == []
    last: dict[str, Any] = {"scope": "stock", "after": BIGINT}
    page = device.http.get(f"{url}/v1/sync/snapshot", params=last, timeout=10)
    assert page.status_code == 200
    assert page.json()["rows"] == [] and page.json()["next_after"] is None
