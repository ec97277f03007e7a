from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.station import Station
from tests.support.ledger import RunningLedger, tiny_ledger
from tests.sync.stations import enrolled_station


@pytest.fixture(scope="session")
def shared_ledger(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningLedger]:
    """One tiny SQLite ledger for the sync tests; each test enrols its own station and
    counts items no other test counts (by item id), so tests do not see each other."""
    yield from tiny_ledger(tmp_path_factory.mktemp("shared-ledger"))


@pytest.fixture
def station(shared_ledger: RunningLedger, tmp_path: Path) -> Iterator[Station]:
    built = enrolled_station(shared_ledger, tmp_path / "station")
    yield built
    built.close()
