"""Seeding: idempotent, fast bulk inserts, a plausible demo retailer; migrations match models."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import Engine, select, text, update

from app.domain.badges import parse_badge_hash, salted_badge_hash
from app.domain.gtin import is_gtin
from app.domain.pickup_codes import pickup_code_matches
from app.ledger.audit import verify_chain
from app.ledger.db import make_engine
from app.ledger.migrate import upgrade
from app.ledger.models import Base, Location, table_of
from app.ledger.seed import seed

locations = table_of(Location)
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
        salted = parse_badge_hash(badge)
        assert salted is not None and salted.salt  # salted, per staff member
        assert salted_badge_hash("BADGE-A100", salted.salt) == badge
        # Stock is the sum of movements, also after orders reserved some of it.
        drift = q(
            "SELECT count(*) FROM stock_balances b WHERE b.on_hand <> (SELECT coalesce("
            "sum(m.quantity), 0) FROM stock_movements m WHERE m.location_id = b.location_id "
            "AND m.item_id = b.item_id AND m.bucket = b.bucket)"
        )
        assert drift == [(0,)]
        report_chain = verify_chain(conn)
    # one audit entry per order routed, and one for the transfer the seed shipped
    assert report_chain.ok and report_chain.entries == first["orders"] + 1


def test_demo_seed_shows_ship_for_pickup_at_the_demo_store(engine: Engine) -> None:
    report = seed(engine, "demo")
    again = seed(engine, "demo")

    assert "26 orders, 1 transfer(s) shipped" in report
    assert "0 orders, 0 transfer(s) shipped" in again  # shipped once, not on every seed
    with engine.connect() as conn:
        q = lambda sql: conn.execute(text(sql)).all()  # noqa: E731
        (caps,) = q("SELECT capabilities FROM locations WHERE code = 'BLR-01'")[0]
        assert "ship_for_pickup" in (json.loads(caps) if isinstance(caps, str) else caps)
        transfers = q(
            "SELECT t.order_number, t.status, t.shipped_by, s.code, d.code FROM transfers t "
            "JOIN locations s ON s.id = t.from_location_id "
            "JOIN locations d ON d.id = t.to_location_id ORDER BY t.id"
        )
        assert transfers == [
            ("WEB-240015", "shipped", "WH-BHW dispatch", "WH-BHW", "BLR-01"),
            ("APP-240016", "open", None, "WH-BHW", "BLR-01"),
        ]
        states = q(
            "SELECT order_number, state FROM fulfilment_orders "
            "WHERE order_number IN ('WEB-240015', 'APP-240016') ORDER BY order_number"
        )
        assert states == [("APP-240016", "awaiting_transfer"), ("WEB-240015", "awaiting_transfer")]
        in_transit = q(
            "SELECT i.sku, b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id "
            "JOIN locations l ON l.id = b.location_id "
            "WHERE l.code = 'BLR-01' AND b.bucket = 'in_transit' ORDER BY i.sku"
        )
        assert in_transit == [("APP-00237", 2), ("PCR-00225", 1)]
        held = q(
            "SELECT l.code, r.quantity, r.status FROM reservations r "
            "JOIN locations l ON l.id = r.location_id JOIN fulfilment_orders f "
            "ON f.id = r.fulfilment_order_id WHERE f.order_number = 'APP-240016'"
        )
        assert held == [("WH-BHW", 1, "active")]  # still reserved at the warehouse
        codes = q(
            "SELECT f.order_number, f.pickup_code_hash, f.pickup_code_salt FROM fulfilment_orders "
            "f WHERE f.order_number IN ('WEB-240015', 'APP-240016') ORDER BY f.order_number"
        )
    assert [(n, pickup_code_matches(n[-6:], salt, digest)) for n, digest, salt in codes] == [
        ("APP-240016", True),
        ("WEB-240015", True),
    ]


def test_a_store_seeded_before_it_allowed_ship_for_pickup_gets_it_on_the_next_seed(
    engine: Engine,
) -> None:
    seed(engine, "tiny")
    with engine.begin() as conn:
        conn.execute(
            update(locations)
            .where(locations.c.code == "BLR-01")
            .values(capabilities=["bopis", "ship_from_store", "returns"])
        )
        head = conn.execute(text("SELECT last_seq FROM ledger_head")).scalar_one()

    report = seed(engine, "tiny")

    assert "0 locations" in report and "0 orders" in report
    with engine.connect() as conn:
        caps = conn.execute(
            select(locations.c.capabilities).where(locations.c.code == "BLR-01")
        ).scalar_one()
        changes = conn.execute(
            text("SELECT data FROM change_log WHERE scope = 'locations' AND ledger_seq > :h"),
            {"h": head},
        ).all()
    assert caps == ["bopis", "ship_from_store", "returns", "ship_for_pickup"]
    (change,) = changes  # the stations hear of it
    assert json.loads(change[0])["capabilities"] == caps


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
