"""Migration 0002 upgrades a ledger that already holds data, and the seed adds bins."""

from __future__ import annotations

import json

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from app.ledger.db import make_engine
from app.ledger.migrate import alembic_config, upgrade
from app.ledger.seed import seed


def test_a_0001_ledger_upgrades_and_gets_bins(ledger_db_url: str) -> None:
    engine = make_engine(ledger_db_url, pool_size=1)
    try:
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.execute(
                text(
                    "INSERT INTO locations (code, name, kind, city, address, latitude, "
                    "longitude, timezone, capabilities, pickup_hold_days, daily_capacity, "
                    "carrier_cutoff) VALUES ('BLR-01', 'Old name', 'store', 'Bengaluru', '', "
                    "12.9, 77.6, 'Asia/Kolkata', '[\"bopis\"]', 3, 100, '16:00')"
                )
            )

        upgrade(engine)
        seed(engine, "tiny")

        with engine.connect() as conn:
            rows = conn.execute(text("SELECT code, bins FROM locations ORDER BY code")).all()
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        bins = {code: b if isinstance(b, list) else json.loads(b) for code, b in rows}
        assert version == ScriptDirectory.from_config(config).get_current_head()  # the newest
        assert bins["BLR-01"] == [f"H-{n:02d}" for n in range(1, 25)]
        assert bins["MUM-01"][-1] == "H-24" and bins["WH-BHW"] == []
    finally:
        engine.dispose()
