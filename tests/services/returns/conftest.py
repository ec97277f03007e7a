"""A real ledger on loopback for the return counter's tests, and a till sale to return."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from app.services.station import Station
from tests.support.ledger import INTAKE_TOKEN, RunningLedger, backend_params, ledger_on
from tests.sync.stations import enrolled_station

INTAKE = {"Authorization": f"Bearer {INTAKE_TOKEN}"}


@pytest.fixture(scope="module", params=backend_params())
def return_ledger(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningLedger]:
    """One tiny ledger per module and backend (SQLite, PostgreSQL); each test sells its
    own receipt of its own items."""
    yield from ledger_on(request.param, tmp_path_factory.mktemp("return-ledger"))


def skus(ledger: RunningLedger) -> list[str]:
    return [str(row[0]) for row in ledger.sql("SELECT sku FROM items ORDER BY id")]


def till_sale(
    ledger: RunningLedger, receipt: str, lines: list[tuple[str, int]], **extra: Any
) -> None:
    """A walk-in sale at BLR-01 two days ago (inside any return window) as the till sends
    it: (SKU, quantity) at ₹1,234.50 each."""
    body = {
        "receipt": receipt,
        "location": "BLR-01",
        "sold_at": (datetime.now(UTC) - timedelta(days=2)).isoformat(),
        "lines": [{"sku": s, "quantity": q, "unit_paid_minor": 123450} for s, q in lines],
        "payment": "card",
        "customer_phone": "+91 99000 43210",
        "customer_email": "Priya.Rao@Example.com",
        "customer_name": "Priya Rao Sharma",
        **extra,
    }
    answer = requests.post(f"{ledger.url}/v1/sales", json=body, headers=INTAKE, timeout=30)
    assert answer.status_code == 200, answer.text


@pytest.fixture
def counter(return_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    """A counter at MUM-01 (another store than the one that sold), enrolled and synced."""
    built = enrolled_station(return_ledger, tmp_path / "station", location="MUM-01")
    yield built
    built.close()
