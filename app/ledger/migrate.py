"""Bring a ledger database to the newest schema (``alembic upgrade head``), in code."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, insert, select

from app.ledger.models import LedgerHead

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Run every pending migration, then make sure the ledger head row exists."""
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with engine.begin() as conn:
        if conn.execute(select(LedgerHead.id)).first() is None:
            conn.execute(insert(LedgerHead).values(id=1, last_seq=0))
