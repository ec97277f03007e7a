"""Closing cuts a sync request in flight: a ledger that never answers cannot hold a
station open until its read timeout."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.config import SyncSettings
from app.errors import Offline
from app.services.station import Station, build_station
from app.sync.client import LedgerClient
from tests.sync.silent import SilentLedger
from tests.sync.stations import FAST

SLOW_READ = replace(FAST, read_timeout_s=60.0)
CLOSE_BOUND_S = 2.0  # generous: without abort() the request would wait 60 s


@pytest.fixture
def silent() -> Iterator[SilentLedger]:
    ledger = SilentLedger()
    yield ledger
    ledger.close()


def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_abort_ends_a_request_waiting_for_an_answer(silent: SilentLedger) -> None:
    client = LedgerClient(silent.url, settings=SLOW_READ)
    raised: list[BaseException] = []

    def ask() -> None:
        try:
            client.health()
        except BaseException as exc:
            raised.append(exc)

    asking = threading.Thread(target=ask)
    asking.start()
    _wait_for(lambda: silent.held)
    started = time.monotonic()
    client.abort()
    asking.join(CLOSE_BOUND_S)
    assert not asking.is_alive() and time.monotonic() - started < CLOSE_BOUND_S
    assert len(raised) == 1 and isinstance(raised[0], Offline)
    with pytest.raises(Offline, match="stopping"):
        client.pull(0)  # an aborted client asks nothing more


def test_closing_a_station_whose_ledger_never_answers(
    station: Station, silent: SilentLedger
) -> None:
    def silent_ledger(_url: str, token: str | None, settings: SyncSettings) -> LedgerClient:
        return LedgerClient(silent.url, token=token, settings=settings)

    hung = build_station(station.data_dir, sync_settings=SLOW_READ, client_factory=silent_ledger)
    try:
        hung.sync.start()
        _wait_for(lambda: silent.held)
        assert hung.sync.running  # a request is in flight and nobody answers it
        started = time.monotonic()
        assert hung.sync.close(CLOSE_BOUND_S) is True
        assert time.monotonic() - started < CLOSE_BOUND_S
        assert not hung.sync.running
    finally:
        hung.close()


def test_close_without_a_running_sync_returns_at_once(tmp_path: Path) -> None:
    idle = build_station(tmp_path / "station")
    try:
        assert idle.sync.close(0.1) is True
    finally:
        idle.close()
