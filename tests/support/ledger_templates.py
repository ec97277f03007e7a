"""Seeded ledger databases made once per test process and copied for each ledger.

Migrating a ledger from scratch and seeding it costs about a second for ``tiny`` and ten
or more for ``demo`` on a busy 2-core machine; the suite starts a few hundred ledgers.
The first ledger of each profile and backend migrates and seeds a template for real
(so every run still migrates from nothing and seeds through ``app.ledger.seed``); the
others start from a copy of it: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on
PostgreSQL. Only an empty database (a SQLite file not there yet, a PostgreSQL database
without tables) is filled from a template; anything else is seeded as before.

Seeding is deterministic apart from its clock: a copy carries the template's creation
times (minutes old at most), as a ledger seeded a few minutes before the test would.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import make_url

if TYPE_CHECKING:
    import psycopg

SQLITE_PREFIX = "sqlite:///"
PG_PREFIX = "cbtest_"

# (backend key, profile) -> (template: a SQLite file path or a PostgreSQL database name,
# the seed's report)
_made: dict[tuple[str, str], tuple[str, str]] = {}


def fill_from_template(db_url: str, profile: str) -> str | None:
    """Make the empty database at ``db_url`` a migrated ledger seeded with ``profile``
    by copying a template; returns the seed's report, or None when the database is not
    empty (the caller seeds it as usual)."""
    if db_url.startswith(SQLITE_PREFIX):
        return _fill_sqlite(Path(db_url.removeprefix(SQLITE_PREFIX)), profile)
    if db_url.startswith("postgresql") and _pg_is_empty(db_url):
        return _fill_pg(db_url, profile)
    return None


def _fill_sqlite(path: Path, profile: str) -> str | None:
    if path.exists() or Path(f"{path}-wal").exists():
        return None
    template, report = _template(("sqlite", profile), profile)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return report


def _fill_pg(db_url: str, profile: str) -> str:
    url = make_url(db_url)
    server = url.set(database="postgres").render_as_string(hide_password=False)
    template, report = _template((server, profile), profile)
    with _admin(db_url) as conn:
        conn.execute(f'DROP DATABASE "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}" TEMPLATE "{template}"')
    return report


def _template(key: tuple[str, str], profile: str) -> tuple[str, str]:
    if key not in _made:
        _made[key] = _make_sqlite(profile) if key[0] == "sqlite" else _make_pg(key[0], profile)
    return _made[key]


def _make_sqlite(profile: str) -> tuple[str, str]:
    folder = tempfile.mkdtemp(prefix="cbtest-templates-")
    atexit.register(shutil.rmtree, folder, True)
    path = Path(folder) / f"{profile}.sqlite3"
    report = _migrate_and_seed(f"{SQLITE_PREFIX}{path}", profile)
    with contextlib.closing(sqlite3.connect(path)) as conn:  # one file to copy, no WAL beside
        conn.execute("PRAGMA journal_mode=DELETE")
    return str(path), report


def _make_pg(server_url: str, profile: str) -> tuple[str, str]:
    name = f"{PG_PREFIX}template_{os.getpid()}_{profile}_{uuid.uuid4().hex[:8]}"
    with _admin(server_url) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    atexit.register(_drop_pg, server_url, name)
    db_url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    report = _migrate_and_seed(db_url.render_as_string(hide_password=False), profile)
    return name, report


def _migrate_and_seed(db_url: str, profile: str) -> str:
    from app.ledger.db import make_engine
    from app.ledger.migrate import upgrade
    from app.ledger.seed import seed

    engine = make_engine(db_url, pool_size=1)
    try:
        upgrade(engine)
        return seed(engine, profile)
    finally:
        engine.dispose()  # CREATE DATABASE … TEMPLATE needs nobody connected to it


def _pg_is_empty(db_url: str) -> bool:
    import psycopg

    conninfo = make_url(db_url).set(drivername="postgresql")
    with psycopg.connect(conninfo.render_as_string(hide_password=False)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()
    return row is not None and row[0] == 0


@contextlib.contextmanager
def _admin(db_url: str) -> Iterator[psycopg.Connection[Any]]:
    import psycopg

    conninfo = make_url(db_url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn


def _drop_pg(server_url: str, name: str) -> None:
    with contextlib.suppress(Exception), _admin(server_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
