"""A small station cache for storage and service tests, made without a ledger."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher

from app.domain.badges import salted_badge_hash
from app.domain.gtin import complete_gtin
from app.domain.reasons import DEFAULT_REASONS
from app.domain.tax.invoice_numbers import NumberBlock
from app.storage import device, invoices
from app.storage.engine import Database, raw_connection
from app.sync import mirror
from app.sync.protocol import Scope

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
SEEDED_INVOICES = NumberBlock(2026, "B0001", 1, 200)  # FY 2026-27, as of T0
SEEDED_CREDIT_NOTES = NumberBlock(2026, "C0001", 1, 200)
LOCATIONS = [
    # id, code, name, city, lat, lon
    (1, "BLR-01", "Bengaluru Indiranagar", "Bengaluru", 12.9784, 77.6408),
    (2, "BLR-02", "Bengaluru Jayanagar", "Bengaluru", 12.9299, 77.5800),
    (3, "CHN-01", "Chennai T Nagar", "Chennai", 13.0418, 80.2341),
    (4, "MUM-01", "Mumbai Bandra", "Mumbai", 19.0596, 72.8295),
]
NAMES = ["Steel water bottle", "Cotton kurta blue", "Basmati rice 5 kg", "Masala tea 250 g"]


def gtin(n: int) -> str:
    return complete_gtin(f"890{n:09d}")


def item_row(n: int) -> dict[str, Any]:
    return {
        "id": n,
        "sku": f"SKU-{n:04d}",
        "gtin": gtin(n),
        "name": NAMES[(n - 1) % len(NAMES)] + f" {n}",
        "price_minor": 10000 + n,
        "currency": "INR",
        "category": "home",
        "weight_g": 500,
        "return_days": 30,
        "returnable": True,
    }


PINS = {"A100": "1111", "L200": "2222", "M300": "3333"}


def seed(db: Database, *, items: int = 20, on_hand: int = 10) -> None:
    """Enrol at BLR-01 and fill the cache with items, stock, staff and network stock."""
    hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    staff = [
        (1, "A100", "Asha Rao", "associate"),
        (2, "L200", "Lakshmi Iyer", "lead"),
        (3, "M300", "Mohan Das", "manager"),
    ]
    changes: list[tuple[Scope, str, dict[str, Any] | None]] = []
    for i, code, name, city, lat, lon in LOCATIONS:
        row = {
            "id": i,
            "code": code,
            "name": name,
            "kind": "store",
            "city": city,
            "latitude": lat,
            "longitude": lon,
            "timezone": "Asia/Kolkata",
            "capabilities": ["bopis", "returns"],
        }
        changes.append((Scope.LOCATIONS, str(i), row))
    for n in range(1, items + 1):
        changes.append((Scope.CATALOG, str(n), item_row(n)))
        stock = {
            "id": n,
            "item_id": n,
            "bucket": "sellable",
            "on_hand": on_hand,
            "reserved": 0,
            "safety_stock": 0,
        }
        changes.append((Scope.STOCK, str(n), stock))
        for loc in (2, 3, 4):
            nid = 1000 * loc + n
            data: dict[str, Any] = {"id": nid, "location_id": loc, "item_id": n, "available": loc}
            changes.append((Scope.NETWORK_STOCK, str(nid), data))
    for i, code, name, role in staff:
        member = {
            "id": i,
            "code": code,
            "name": name,
            "role": role,
            "pin_hash": hasher.hash(PINS[code]),
            "badge_hash": salted_badge_hash(f"BADGE-{code}"),
            "active": 1,
        }
        changes.append((Scope.STAFF, str(i), member))
    for i, reason in enumerate(DEFAULT_REASONS, start=1):
        row = {
            "id": i,
            "code": reason.code,
            "label": reason.label,
            "effect": reason.effect.value,
            "applies_to": ",".join(u.value for u in reason.applies_to),
            "active": 1,
            "sort_order": reason.sort_order,
        }
        changes.append((Scope.REASONS, str(i), row))
    with db.writing() as session:
        device.save_enrolment(
            session,
            device.Enrolment(
                ledger_url="http://127.0.0.1:9",
                device_id="dev-test",
                location_code="BLR-01",
                location_name="Bengaluru Indiranagar",
                station_name="Counter 1",
                station_kind="counter",
                enrolled_at=T0,
            ),
        )
        mirror.apply_changes(raw_connection(session), changes)
        # The invoice and credit note numbers a station's sync fetches (this year's first
        # blocks), so packing and returns here number as they would after a sync; tests of
        # running out take them away.
        invoices.keep_blocks(raw_connection(session), [SEEDED_INVOICES, SEEDED_CREDIT_NOTES])
