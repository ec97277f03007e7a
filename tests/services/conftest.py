from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.services.station import Station, build_station
from tests.storage.seed import T0, seed


class Clock:
    """A hand-moved clock for time rules (lockout expiry, pending age)."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def station(tmp_path: Path, clock: Clock) -> Iterator[Station]:
    built = build_station(tmp_path / "station", clock=clock)
    seed(built.db)
    yield built
    built.close()
