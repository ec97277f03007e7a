from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.storage.engine import Database
from tests.storage.seed import seed


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "station.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def seeded(db: Database) -> Database:
    seed(db)
    return db
