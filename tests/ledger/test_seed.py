"""Seeding: idempotent, fast bulk inserts, a plausible demo retailer; migrations match models."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from app.domain.gtin import is_gtin
from app.ledger.audit import verify_chain
from app.ledger.db import make_engine
from app.ledger.migrate import upgrade
from app.ledger.models import Base
from app.ledger.seed import seed
from app.sync.protocol import badge_hash

TABLES = ("locations", "items", "stock_balances", "stock_movements", "staff", "orders",
          "fulfilment_orders", "reservations", "change_log", "audit_log")  # fmt: skip


@pytest.fixture
def engine(ledger_db_url: str) -> Iterator[Engine]:
    engine = make_engine(ledger_db_url, pool_size=2)
    upgrade(engine)
    yield engine
    engine.dispose()


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        }


def test_migrations_create_exactly_the_models_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    upgrade(engine)  # a second upgrade is a no-op
    with engine.connect() as conn:
        assert conn.execute(text("SELECT last_seq FROM ledger_head")).scalar_one() == 0


def test_demo_seed_is_a_plausible_retailer_and_seeding_twice_adds_nothing(engine: Engine) -> None:
    report = seed(engine, "demo")
    first = table_counts(engine)

    again = seed(engine, "demo")

    assert "0 locations, 0 items, 0 staff, 0 stock rows, 0 orders" in again, report
    assert table_counts(engine) == first
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        kinds: dict[str, int] = dict(q("SELECT kind, count(*) FROM locations GROUP BY kind"))
        assert kinds["store"] >= 8 and kinds["warehouse"] == 1
        assert ("BLR-01", "Bengaluru") in q("SELECT code, city FROM locations")
        gtins = [g for (g,) in q("SELECT gtin FROM items")]
        assert len(gtins) >= 2000 and all(is_gtin(g) and g.startswith("890") for g in gtins)
        assert q("SELECT DISTINCT currency FROM items") == [("INR",)]
        stocked = q("SELECT count(DISTINCT location_id) FROM stock_balances WHERE on_hand > 0")[0][
            0
        ]
        assert stocked == kinds["store"] + kinds["warehouse"]
        routed: dict[str, int] = dict(
            q(
                "SELECT f.method, count(*) FROM fulfilment_orders f JOIN locations l "
                "ON l.id = f.location_id WHERE l.code = 'BLR-01' GROUP BY f.method"
            )
        )
        assert routed["pickup"] >= 3 and routed["ship"] >= 1
        reserved = q("SELECT sum(reserved) FROM stock_balances")[0][0]
        assert reserved == q("SELECT sum(quantity) FROM reservations")[0][0]
        staff = {code: (role, pin, badge) for code, role, pin, badge in
                 q("SELECT code, role, pin_hash, badge_hash FROM staff")}  # fmt: skip
        role, pin_hash, badge = staff["A100"]
        assert role == "associate" and PasswordHasher().verify(pin_hash, "1111")
        assert staff["L200"][0] == "lead" and PasswordHasher().verify(staff["L200"][1], "2222")
        assert staff["M300"][0] == "manager" and PasswordHasher().verify(staff["M300"][1], "3333")
        assert badge == badge_hash("BADGE-A100")
        # Stock is the sum of movements, also after orders reserved some of it.
        drift = q(
            "SELECT count(*) FROM stock_balances b WHERE b.on_hand <> (SELECT coalesce("
            "sum(m.quantity), 0) FROM stock_movements m WHERE m.location_id = b.location_id "
            "AND m.item_id = b.item_id AND m.bucket = b.bucket)"
        )
        assert drift == [(0,)]
        report_chain = verify_chain(conn)
    assert report_chain.ok and report_chain.entries == first["orders"]


def test_audit_chain_detects_a_rewritten_entry(engine: Engine) -> None:
    seed(engine, "tiny")
    with engine.begin() as conn:
        assert verify_chain(conn).ok
        conn.execute(
            text("UPDATE audit_log SET body = replace(body, 'T-1002', 'T-6666') WHERE id = 2")
        )
    with engine.connect() as conn:
        report = verify_chain(conn)
    assert not report.ok and report.broken_at == 2
