"""Helpers for the migration tests: move a ledger database between revisions, and look
at what its data looks like on the way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from sqlalchemy import Connection, Engine, text

from app.ledger.db import make_engine
from app.ledger.migrate import alembic_config, upgrade
from app.ledger.seed import seed

COUNTED = ("locations", "items", "fulfilment_orders", "stock_movements", "stock_balances")


def migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


@contextmanager
def seeded_ledger(url: str, *, down_to: str | None = None) -> Iterator[Engine]:
    """A ledger at the newest revision seeded with the tiny profile (stores, stock and
    orders), then taken down to revision ``down_to`` if given; closed afterwards."""
    engine = make_engine(url, pool_size=1)
    try:
        upgrade(engine)
        seed(engine, "tiny")
        if down_to is not None:
            migrate(engine, down_to, down=True)
        yield engine
    finally:
        engine.dispose()


def counts(conn: Connection) -> dict[str, int]:
    return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in COUNTED}


def broken_links(conn: Connection) -> list[tuple[object, ...]]:
    """Rows pointing at nothing (SQLite checks on demand; PostgreSQL never lets them in)."""
    if conn.dialect.name != "sqlite":
        return []
    return [tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")]
