"""Who may call what, checked before the body is read; bodies capped; tokens kept out of
``ps`` (issue #9 §4 and §5)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.ledger.conftest import DeviceClient, tiny_skus
from tests.support.ledger import INTAKE_TOKEN, RunningLedger, tiny_ledger
from tests.support.ship_terms import with_ship_terms


@pytest.fixture(scope="module")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """SQLite only: tokens, body caps and limits are checked before the database is asked
    anything; a PostgreSQL variant would repeat the same answers. Started as the command
    itself, not forked, so that ``/proc/PID/cmdline`` is the ledger's own command line."""
    yield from tiny_ledger(tmp_path_factory.mktemp("ledger"), forked=False)


def ship_order(ledger: RunningLedger, number: str) -> dict[str, Any]:
    sku = tiny_skus(ledger)[41]
    return with_ship_terms(
        {
            "order_number": number,
            "channel": "marketplace",
            "method": "ship",
            "customer": {"name": "Ravi", "city": "Bengaluru"},
            "lines": [{"sku": sku, "quantity": 1}],
        }
    )


def as_(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def raw_request(ledger: RunningLedger, head: str, body: bytes = b"") -> bytes:
    """Send ``head`` (and only ``body``, however long the Content-Length says it is);
    the first bytes of the answer. The ledger must answer without the rest of the body."""
    answer = b""
    with socket.create_connection(("127.0.0.1", ledger.port), timeout=30) as sock:
        sock.sendall(f"{head}Connection: close\n".replace("\n", "\r\n").encode() + b"\r\n" + body)
        while chunk := sock.recv(65536):  # the ledger closes once it has answered
            answer += chunk
    return answer


def test_an_unauthenticated_body_is_never_read(shared_ledger: RunningLedger) -> None:
    huge = raw_request(
        shared_ledger,
        "POST /v1/orders HTTP/1.1\nHost: ledger\nContent-Type: application/json\n"
        "Content-Length: 104857600\n",
        b'{"order_number": ',
    )
    garbage = requests.post(
        f"{shared_ledger.url}/v1/admin/expire-holds",
        data=b"\xff not json",
        headers={**as_("nobody-knows-this"), "Content-Type": "application/json"},
        timeout=30,
    )

    assert huge.startswith(b"HTTP/1.1 401"), huge[:200]
    assert b'"error":"unauthorized"' in huge
    assert garbage.status_code == 401 and garbage.json()["error"] == "unauthorized"


def test_a_body_over_the_cap_is_413(shared_ledger: RunningLedger) -> None:
    declared = raw_request(
        shared_ledger,
        "POST /v1/orders HTTP/1.1\nHost: ledger\nContent-Type: application/json\n"
        f"Authorization: Bearer {shared_ledger.admin_token}\nContent-Length: 1048577\n",
    )
    chunked = requests.post(
        f"{shared_ledger.url}/v1/orders",
        data=(b" " * 65536 for _ in range(17)),  # no Content-Length: counted as it comes
        headers={**as_(shared_ledger.admin_token), "Content-Type": "application/json"},
        timeout=30,
    )

    assert declared.startswith(b"HTTP/1.1 413"), declared[:200]
    assert b"1024 KiB" in declared
    assert chunked.status_code == 413 and chunked.json()["error"] == "too_large"


def test_the_order_intake_token_places_orders_and_nothing_else(
    shared_ledger: RunningLedger,
) -> None:
    intake = as_(INTAKE_TOKEN)
    url = f"{shared_ledger.url}/v1"

    placed = requests.post(f"{url}/orders", json=ship_order(shared_ledger, "MKT-1"), headers=intake)
    timeline = requests.get(f"{url}/orders/MKT-1", headers=intake, timeout=30)
    refused = [
        requests.post(f"{url}/admin/expire-holds", json={}, headers=intake, timeout=30),
        requests.get(f"{url}/transfers", headers=intake, timeout=30),
        requests.post(f"{url}/orders/MKT-1/cancel", json={"reason": "x"}, headers=intake),
        requests.get(f"{url}/admin/messages", headers=intake, timeout=30),
        requests.get(f"{url}/sync/pull", headers=intake, timeout=30),
    ]

    assert placed.status_code == 200, placed.text
    assert timeline.status_code == 200, timeline.text
    assert [r.status_code for r in refused] == [403] * 5
    assert "order-intake token may only place and read orders" in refused[0].json()["message"]


def test_the_admin_token_still_does_everything(shared_ledger: RunningLedger) -> None:
    admin = as_(shared_ledger.admin_token)
    url = f"{shared_ledger.url}/v1"

    placed = requests.post(f"{url}/orders", json=ship_order(shared_ledger, "ADM-1"), headers=admin)
    cancelled = requests.post(f"{url}/orders/ADM-1/cancel", json={"reason": "test"}, headers=admin)
    listed = requests.get(f"{url}/transfers", headers=admin, timeout=30)

    assert [placed.status_code, cancelled.status_code, listed.status_code] == [200] * 3


def test_a_station_token_is_not_an_order_token(shared_ledger: RunningLedger) -> None:
    station = DeviceClient(shared_ledger, "BLR-01")
    answer = station.http.post(
        f"{shared_ledger.url}/v1/orders", json=ship_order(shared_ledger, "DEV-1"), timeout=30
    )
    assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"


def test_no_token_is_on_the_ledgers_command_line(shared_ledger: RunningLedger) -> None:
    assert shared_ledger.process is not None
    command_line = Path(f"/proc/{shared_ledger.process.pid}/cmdline").read_bytes()
    assert b"serve" in command_line
    assert shared_ledger.admin_token.encode() not in command_line
    assert INTAKE_TOKEN.encode() not in command_line


@pytest.fixture
def limited_ledger(tmp_path: Path) -> Iterator[RunningLedger]:
    """A ledger that takes 3 enrolment attempts and 2 unknown tokens, refilled at 1 a
    minute (the options come after the tests' generous defaults, so they win)."""
    yield from tiny_ledger(
        tmp_path, serve_args=("--enrol-limit", "3/1", "--bad-token-limit", "2/1")
    )


def test_enrolment_attempts_are_rate_limited(limited_ledger: RunningLedger) -> None:
    url = f"{limited_ledger.url}/v1/enrol"
    body = {"code": "WRONG-CODE-1", "station_name": "guess"}

    answers = [requests.post(url, json=body, timeout=30) for _ in range(4)]

    assert [a.status_code for a in answers] == [403, 403, 403, 429]
    assert int(answers[3].headers["Retry-After"]) >= 1
    assert answers[3].json()["error"] == "too_many_requests"
    assert "Wait" in answers[3].json()["next_step"]


def test_unknown_tokens_are_rate_limited_not_missing_ones(limited_ledger: RunningLedger) -> None:
    url = f"{limited_ledger.url}/v1/transfers"

    guesses = [requests.get(url, headers=as_(f"guess-{n}"), timeout=30) for n in range(3)]
    after = requests.get(url, headers=as_(limited_ledger.admin_token), timeout=30)
    without = requests.get(url, timeout=30)
    station = requests.get(f"{limited_ledger.url}/v1/sync/pull", headers=as_("revoked"))

    assert [g.status_code for g in guesses] == [401, 401, 429]
    assert after.status_code == 429  # even a right token waits: checking is what is limited
    assert without.status_code == 401  # no token: nothing guessed, nothing counted
    assert station.status_code == 401  # a station's own endpoints: never held up
