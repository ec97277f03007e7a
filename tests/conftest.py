"""Shared fixtures: a real ledger subprocess on SQLite and, when configured, PostgreSQL.

* ``ledger_db_url``: a SQLite file in tmp_path, and a fresh PostgreSQL database when
  ``COUNTERBENCH_TEST_PG`` is set (dropped afterwards).
* ``ledger``: a ``RunningLedger`` seeded with ``--tiny`` on ``ledger_db_url``.
* ``sqlite_ledger``: the same on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.ledger import RunningLedger, backend_params, fresh_pg_database, tiny_ledger


@pytest.fixture(params=backend_params())
def ledger_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
        return
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def ledger(ledger_db_url: str, tmp_path: Path) -> Iterator[RunningLedger]:
    yield from tiny_ledger(tmp_path / "ledger", ledger_db_url)


@pytest.fixture
def sqlite_ledger(tmp_path: Path) -> Iterator[RunningLedger]:
    yield from tiny_ledger(tmp_path / "ledger", f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
