"""Shared fixtures: a real ledger subprocess on SQLite and, when configured, PostgreSQL.

* ``ledger_db_url``: a SQLite file in tmp_path, and a fresh PostgreSQL database when
  ``COUNTERBENCH_TEST_PG`` is set (dropped afterwards).
* ``ledger``: a ``RunningLedger`` seeded with ``--tiny`` on ``ledger_db_url``.
* ``sqlite_ledger``: the same on SQLite only.
* every test gets back the logging it started with (a command configures logging once
  per process).

Two settings for this process and every ledger or station it starts, set before any
test runs:

* ``PYTHON_KEYRING_BACKEND`` is keyring's "none available" backend, so station secrets go
  to their 0600 fallback files and no test ever reads or writes the user's real keyring
  (tests/storage/test_secrets.py installs a file-backed keyring of its own to test that path);
* ``COUNTERBENCH_PIN_COST=test``: the ledger hashes PINs with a cheap argon2 cost.

Property tests run 25 examples without a deadline (the ``counterbench`` hypothesis
profile) unless a test's own ``@settings`` asks for more; ``HYPOTHESIS_PROFILE=thorough``
runs 500 of each for a longer hunt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ["COUNTERBENCH_PIN_COST"] = "test"

from app import log
from tests.support.ledger import (
    RunningLedger,
    backend_params,
    fresh_pg_database,
    tiny_ledger,
)

settings.register_profile("counterbench", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "counterbench"))


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


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """A command configures logging once per process; undo it after the test."""
    root = logging.getLogger(log.ROOT)
    handlers, configured = list(root.handlers), getattr(root, "_counterbench_configured", False)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root._counterbench_configured = configured  # type: ignore[attr-defined]
