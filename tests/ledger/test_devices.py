"""Enrolment with one-time codes, authentication of every request, revocation."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from app.ledger.devices import revoke_device
from tests.ledger.conftest import DeviceClient
from tests.support.ledger import ROOT, RunningLedger


def _enrol(ledger: RunningLedger, code: str) -> requests.Response:
    body = {"code": code, "station_name": "Counter 1", "station_kind": "counter"}
    return requests.post(f"{ledger.url}/v1/enrol", json=body, timeout=30)


def test_an_enrol_code_works_once(shared_ledger: RunningLedger) -> None:
    code = shared_ledger.enrol_code("BLR-01", "bench")

    first = _enrol(shared_ledger, code.lower().replace("-", " "))  # typed loosely
    second = _enrol(shared_ledger, code)

    assert first.status_code == 200
    enrolled = first.json()
    assert enrolled["location_code"] == "BLR-01" and enrolled["station_kind"] == "bench"
    assert second.status_code == 403
    assert "already used" in second.json()["message"]
    stored = shared_ledger.sql(
        "SELECT token_hash FROM devices WHERE device_id = :d", {"d": enrolled["device_id"]}
    )
    assert stored and enrolled["token"] not in stored[0][0]
    assert _enrol(shared_ledger, "ZZZZ-ZZZZ-ZZZZ").status_code == 403


def test_missing_unknown_and_revoked_tokens_get_401(shared_ledger: RunningLedger) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    pull = f"{shared_ledger.url}/v1/sync/pull"
    assert station.http.get(pull, timeout=10).status_code == 200
    assert requests.get(pull, timeout=10).status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert requests.get(pull, headers=bad, timeout=10).status_code == 401

    revoke_device(shared_ledger.engine, station.device_id)

    assert station.http.get(pull, timeout=10).status_code == 401
    response = station.push_raw([station.count_op("GRO-00001", 1, base=0)])
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


def test_a_station_revoked_between_two_pushes_is_refused_at_once(
    shared_ledger: RunningLedger,
) -> None:
    # The first push leaves the device in the ledger's short-lived push cache; the second,
    # right after the revocation, must still be refused and apply nothing.
    station = DeviceClient(shared_ledger, "BLR-01")
    first = station.push([station.count_op("GRO-00001", 3, base=0)])
    assert first["last_applied_seq"] == 1

    revoke_device(shared_ledger.engine, station.device_id)
    refused = [station.push_raw([station.count_op("GRO-00001", 4, base=0)]) for _ in range(3)]

    assert [r.status_code for r in refused] == [401, 401, 401]
    assert refused[0].json()["error"] == "unauthorized"
    stored = shared_ledger.sql(
        "SELECT last_applied_seq FROM devices WHERE device_id = :d", {"d": station.device_id}
    )
    assert stored[0][0] == 1


def test_admin_and_device_tokens_open_only_their_own_doors(shared_ledger: RunningLedger) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    admin = {"Authorization": f"Bearer {shared_ledger.admin_token}"}
    pull = f"{shared_ledger.url}/v1/sync/pull"
    assert requests.get(pull, headers=admin, timeout=10).status_code == 403
    order = {"order_number": "X-1", "channel": "web", "method": "ship", "customer": {"name": "A"},
             "lines": [{"sku": "GRO-00001", "quantity": 1}]}  # fmt: skip
    response = station.http.post(f"{shared_ledger.url}/v1/orders", json=order, timeout=10)
    assert response.status_code == 401


def test_health_needs_no_token_and_openapi_is_served(shared_ledger: RunningLedger) -> None:
    health = requests.get(f"{shared_ledger.url}/v1/health", timeout=10).json()
    assert health["status"] == "ok" and health["ledger_seq"] > 0
    spec = requests.get(f"{shared_ledger.url}/openapi.json", timeout=10).json()
    assert {
        "/v1/sync/push",
        "/v1/sync/pull",
        "/v1/sync/snapshot",
        "/v1/enrol",
        "/v1/orders",
    } <= set(spec["paths"])


def test_enrol_code_command_prints_the_code_last(shared_ledger: RunningLedger) -> None:
    if not shared_ledger.db_url.startswith("sqlite"):
        pytest.skip("the command is the same on every database; SQLite covers it")
    done = subprocess.run(
        [sys.executable, "-m", "app.commands.ledger", "enrol-code", "--db", shared_ledger.db_url,
         "--location", "MUM-01"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    code = done.stdout.strip().splitlines()[-1]
    assert _enrol(shared_ledger, code).json()["location_code"] == "MUM-01"
    unknown = subprocess.run(
        [sys.executable, "-m", "app.commands.ledger", "enrol-code", "--db", shared_ledger.db_url,
         "--location", "NOPE-99"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert unknown.returncode == 2 and "NOPE-99" in unknown.stderr
