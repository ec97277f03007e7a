"""Helpers for the pickup tests: a counter that pushes pickup operations, and SQL probes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import requests

from tests.ledger.conftest import DeviceClient
from tests.support.ledger import RunningLedger

KORAMANGALA = {
    "name": "Asha Kumar",
    "phone": "+91 98450 12345",
    "city": "Bengaluru",
    "latitude": 12.9279,
    "longitude": 77.6271,
}
CODE_PROOF = {"method": "pickup_code", "collected_by": "Asha Kumar"}


class Counter(DeviceClient):
    """A store counter that pushes pickup operations for its store."""

    def op(
        self, op_type: str, fulfilment_id: int, *, base: int = 0, **payload: Any
    ) -> dict[str, Any]:
        seq = self.next_seq
        self.next_seq += 1
        return {
            "op_id": uuid.uuid4().hex,
            "device_seq": seq,
            "type": op_type,
            "payload": {"location": self.location, "fulfilment_id": fulfilment_id, **payload},
            "actor": "A100",
            "device_time": datetime.now(UTC).isoformat(),
            "base_ledger_seq": base,
        }

    def send(self, *ops: dict[str, Any]) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = self.push(list(ops))["results"]
        return results

    def locate(self, query: str) -> requests.Response:
        return self.http.get(
            f"{self.ledger.url}/v1/pickups/locate", params={"q": query}, timeout=30
        )


def lines(*pairs: tuple[str, int]) -> list[dict[str, Any]]:
    return [{"sku": sku, "quantity": q} for sku, q in pairs]


def place_pickup(
    ledger: RunningLedger, number: str, items: list[tuple[str, int]], store: str = "BLR-01"
) -> dict[str, Any]:
    return ledger.place_order(
        {
            "order_number": number,
            "channel": "web",
            "method": "pickup",
            "pickup_location": store,
            "customer": KORAMANGALA,
            "lines": lines(*items),
        }
    )


def admin(ledger: RunningLedger, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = requests.post(
        f"{ledger.url}/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def timeline(ledger: RunningLedger, number: str) -> dict[str, Any]:
    response = requests.get(
        f"{ledger.url}/v1/orders/{number}",
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def stock(ledger: RunningLedger, location: str, sku: str) -> tuple[int, int]:
    """(on hand, reserved) of a sellable balance."""
    rows = ledger.sql(
        "SELECT b.on_hand, b.reserved FROM stock_balances b JOIN locations l "
        "ON l.id = b.location_id JOIN items i ON i.id = b.item_id "
        "WHERE l.code = :l AND i.sku = :s AND b.bucket = 'sellable'",
        {"l": location, "s": sku},
    )
    return int(rows[0][0]), int(rows[0][1])


def state(ledger: RunningLedger, fulfilment_id: int) -> str:
    rows = ledger.sql("SELECT state FROM fulfilment_orders WHERE id = :i", {"i": fulfilment_id})
    return str(rows[0][0])


def movements(ledger: RunningLedger, fulfilment_ops: list[str]) -> list[tuple[str, int]]:
    """(kind, quantity) of the movements posted by these op_ids, in ledger order."""
    found = []
    for op_id in fulfilment_ops:
        found += ledger.sql(
            "SELECT kind, quantity, ledger_seq FROM stock_movements WHERE op_id = :o", {"o": op_id}
        )
    return [(str(k), int(q)) for k, q, _ in sorted(found, key=lambda r: r[2])]
