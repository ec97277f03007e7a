"""Helpers for the customer message tests: a ledger whose clock only the test moves.

The ledger runs with ``--expire-every 0`` (no background round), so reminders, expiry
and sending happen only when a test calls the admin endpoints, commands or functions.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ledger.pickup_support import KORAMANGALA, Counter, lines
from tests.support.ledger import RunningLedger, ledger_on

MESSAGES_FILE = "customer-messages.jsonl"


def quiet_ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    """A seeded (tiny) ledger on the fixture's backend, without the background round."""
    workdir = tmp_path_factory.mktemp("ledger")
    serve = ("--expire-every", "0", "--messages-file", str(workdir / MESSAGES_FILE))
    yield from ledger_on(request.param, workdir, serve_args=serve)


def served_file(ledger: RunningLedger) -> Path:
    """The file the ledger server's own sender writes to."""
    return ledger.workdir / MESSAGES_FILE


def place(
    ledger: RunningLedger, number: str, items: list[tuple[str, int]], *, email: str = ""
) -> int:
    """Place a pickup order at BLR-01; its fulfilment order id."""
    accepted = ledger.place_order(
        {
            "order_number": number,
            "channel": "web",
            "method": "pickup",
            "pickup_location": "BLR-01",
            "customer": {**KORAMANGALA, "email": email},
            "lines": lines(*items),
        }
    )
    return int(accepted["fulfilment_orders"][0]["id"])


def make_ready(
    counter: Counter, fo: int, items: list[tuple[str, int]], *, channel: str = "sms"
) -> dict[str, Any]:
    """Pick, stage and ready every line; returns the ready operation."""
    pick = counter.op("pickup.pick", fo, lines=lines(*items))
    stage = counter.op("pickup.stage", fo, bin="H-09")
    ready = counter.op("pickup.ready", fo, lines=lines(*items), channel=channel)
    results = counter.send(pick, stage, ready)
    assert [r["status"] for r in results] == ["applied"] * 3, results
    return ready


def admin_get(ledger: RunningLedger, path: str, **params: Any) -> Any:
    response = requests.get(
        f"{ledger.url}/v1{path}",
        params=params,
        headers={"Authorization": f"Bearer {ledger.admin_token}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


def messages_of(ledger: RunningLedger, number: str) -> list[dict[str, Any]]:
    """The order's customer messages through ``GET /v1/admin/messages``, oldest first."""
    found: list[dict[str, Any]] = admin_get(ledger, "/admin/messages", order=number)
    return found


def stored_time(value: Any) -> datetime:
    """A time read with raw SQL (text on SQLite, naive means UTC) as an aware datetime."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def ready_at(ledger: RunningLedger, fo: int) -> datetime:
    rows = ledger.sql(
        "SELECT min(at) FROM fulfilment_events WHERE fulfilment_order_id = :f "
        "AND kind = 'pickup.ready'",
        {"f": fo},
    )
    return stored_time(rows[0][0])


def later(start: datetime, *, days: float = 0, minutes: float = 0) -> str:
    return (start + timedelta(days=days, minutes=minutes)).isoformat()
