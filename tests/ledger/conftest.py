"""Ledger test fixtures: one seeded ledger per test module and backend, and a device client.

Tests in a module share the ledger; each enrols its own devices, so they do not see each
other's operations (device_seq and op_ids are per device).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from tests.support.ledger import RunningLedger, backend_params, ledger_on


@pytest.fixture(scope="module", params=backend_params())
def shared_ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    yield from ledger_on(request.param, tmp_path_factory.mktemp("ledger"))


class DeviceClient:
    """A minimal station speaking the wire protocol with ``requests``."""

    def __init__(self, ledger: RunningLedger, location: str, kind: str = "counter") -> None:
        self.ledger = ledger
        enrolled = ledger.enrol(location, kind)
        self.device_id: str = enrolled["device_id"]
        self.token: str = enrolled["token"]
        self.location = location
        self.next_seq = 1
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def count_op(
        self,
        sku: str,
        observed: int,
        *,
        base: int,
        location: str | None = None,
        bucket: str = "sellable",
        seq: int | None = None,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """A stock.count operation; takes the next device_seq unless one is given."""
        if seq is None:
            seq = self.next_seq
            self.next_seq += 1
        return {
            "op_id": op_id or uuid.uuid4().hex,
            "device_seq": seq,
            "type": "stock.count",
            "payload": {
                "location": location or self.location,
                "sku": sku,
                "bucket": bucket,
                "observed": observed,
            },
            "actor": "A100",
            "device_time": datetime.now(UTC).isoformat(),
            "base_ledger_seq": base,
        }

    def push_raw(
        self, ops: list[dict[str, Any]], device_id: str | None = None
    ) -> requests.Response:
        body = {"device_id": device_id or self.device_id, "ops": ops}
        return self.http.post(f"{self.ledger.url}/v1/sync/push", json=body, timeout=60)

    def push(self, ops: list[dict[str, Any]]) -> dict[str, Any]:
        response = self.push_raw(ops)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def pull(self, cursor: int = 0, limit: int = 5000) -> dict[str, Any]:
        response = self.http.get(
            f"{self.ledger.url}/v1/sync/pull", params={"cursor": cursor, "limit": limit}, timeout=60
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def pull_all(
        self, cursor: int = 0, limit: int = 5000
    ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """Every change after ``cursor``; returns the changes and the last page."""
        changes: list[dict[str, Any]] = []
        while True:
            page = self.pull(cursor, limit)
            changes.extend(page["changes"])
            cursor = page["cursor"]
            if not page["has_more"]:
                return changes, page

    def head(self) -> int:
        """The ledger's current ledger_seq (what a fully synced station holds as base)."""
        return int(requests.get(f"{self.ledger.url}/v1/health", timeout=10).json()["ledger_seq"])

    def snapshot(self, scope: str, after: int = 0, limit: int = 20000) -> dict[str, Any]:
        response = self.http.get(
            f"{self.ledger.url}/v1/sync/snapshot",
            params={"scope": scope, "after": str(after), "limit": str(limit)},
            timeout=60,
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result


def on_hand(ledger: RunningLedger, location: str, sku: str, bucket: str = "sellable") -> int:
    rows = ledger.sql(
        "SELECT b.on_hand FROM stock_balances b JOIN locations l ON l.id = b.location_id "
        "JOIN items i ON i.id = b.item_id WHERE l.code = :loc AND i.sku = :sku AND b.bucket = :b",
        {"loc": location, "sku": sku, "b": bucket},
    )
    return int(rows[0][0]) if rows else 0


def movement_sum(ledger: RunningLedger, location: str, sku: str, bucket: str = "sellable") -> int:
    rows = ledger.sql(
        "SELECT coalesce(sum(m.quantity), 0) FROM stock_movements m "
        "JOIN locations l ON l.id = m.location_id JOIN items i ON i.id = m.item_id "
        "WHERE l.code = :loc AND i.sku = :sku AND m.bucket = :b",
        {"loc": location, "sku": sku, "b": bucket},
    )
    return int(rows[0][0])


def tiny_skus(ledger: RunningLedger) -> list[str]:
    """The tiny catalog's SKUs in id order (items 0-3 carry the tiny orders' reservations)."""
    return [str(row[0]) for row in ledger.sql("SELECT sku FROM items ORDER BY id")]
