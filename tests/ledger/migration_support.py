"""Helpers for the migration tests: move a ledger database between revisions, and look
at what its data looks like on the way."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Connection, Engine, text

from app.ledger.migrate import alembic_config

COUNTED = ("locations", "items", "fulfilment_orders", "stock_movements", "stock_balances")


def migrate(engine: Engine, target: str, *, down: bool = False) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def counts(conn: Connection) -> dict[str, int]:
    return {t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in COUNTED}


def broken_links(conn: Connection) -> list[tuple[object, ...]]:
    """Rows pointing at nothing (SQLite checks on demand; PostgreSQL never lets them in)."""
    if conn.dialect.name != "sqlite":
        return []
    return [tuple(row) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")]
