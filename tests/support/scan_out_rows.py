"""Packed ship orders with their parcels as the ledger sends them to a bench, for the
scan-out tests: two SWIFT parcels of one order, one of our riders', a SWIFT parcel of a
₹60,000 order, a void SWIFT label beside a live one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.domain.gtin import make_sscc
from app.services.station import Station
from app.storage.engine import raw_connection
from tests.support.ship_rows import ship_row, store_pulled

SSCC = [make_sscc(0, "8901234", n) for n in range(1, 7)]


def out_parcel(sscc: str, carrier: str, *, void: bool = False, **extra: Any) -> dict[str, Any]:
    return {"sscc": sscc, "lines": [["SKU-0001", 1]], "void": void, "box": "BX-S",
            "weight_g": 900, "carrier": carrier, "tracking": f"T{sscc[-6:]}", **extra}  # fmt: skip


def packed_orders(station: Station, **first: Any) -> None:
    """The four packed orders WEB-SO1 … WEB-SO4 (``first``: fields of WEB-SO1's parcels)."""
    now = datetime.now(UTC)
    wanted = [
        (9301, "WEB-SO1", [out_parcel(SSCC[0], "SWIFT", **first),
                           out_parcel(SSCC[1], "SWIFT", **first)], 2, 49900),
        (9302, "WEB-SO2", [out_parcel(SSCC[2], "own_fleet")], 1, 49900),
        (9303, "WEB-SO3", [out_parcel(SSCC[3], "SWIFT")], 1, 6_000_000),
        (9304, "WEB-SO4", [out_parcel(SSCC[4], "SWIFT", void=True),
                           out_parcel(SSCC[5], "SWIFT")], 1, 49900),
    ]  # fmt: skip
    rows = []
    for fid, number, parcels, units, price in wanted:
        leave, made = now - timedelta(hours=1), now - timedelta(hours=5)
        row = ship_row(fid, number, ship_by=leave, created_at=made, state="packed", parcels=parcels)
        row["lines"] = [{**row["lines"][0], "quantity": units, "picked": units,
                         "packed": units, "price_minor": price}]  # fmt: skip
        rows.append(row)
    with station.db.writing() as session:
        store_pulled(raw_connection(session), rows)
