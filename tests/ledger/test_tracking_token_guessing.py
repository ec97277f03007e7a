"""A carrier token guessed in the webhook's URL is slowed down like any other guessed
token: after the burst of bad tokens an address may send, it is answered 429."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.ledger.tracking_support import TOKEN
from tests.support.carrier_sim import CODE
from tests.support.ledger import RunningLedger


def test_guessing_a_carriers_token_in_the_url_is_slowed_down(tmp_path: Path) -> None:
    tokens = tmp_path / "carrier-tokens"
    tokens.write_text(f"{CODE} {TOKEN}\n")
    tokens.chmod(0o600)
    ledger = RunningLedger(
        f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
        tmp_path,
        serve_args=("--carrier-tokens-file", str(tokens), "--bad-token-limit", "2/1"),
    )
    event = {"tracking": "SW1", "idempotency_key": "1", "event": "shipped",
             "at": "2026-12-06T10:00:00+00:00"}  # fmt: skip
    try:
        ledger.seed("tiny")
        ledger.start()
        url = f"{ledger.url}/v1/carriers/{CODE}/events"
        answers = [
            requests.post(
                url, params={"token": f"guess-number-{n:04d}-xxxx"}, json=event, timeout=30
            )
            for n in range(3)
        ]
    finally:
        ledger.close()

    assert [a.status_code for a in answers] == [401, 401, 429]
    assert answers[2].headers.get("Retry-After")
