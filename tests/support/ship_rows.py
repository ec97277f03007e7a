"""Ship orders as the ledger sends them to a station: rows for the bench's cache tests.

Until routing fills ship orders on the ledger, the bench tests store these rows the way
a sync does (``mirror.apply_changes`` on the fulfilment scope) into a real cache file.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from typing import Any

from app.storage.types import to_text
from app.sync import mirror
from app.sync.protocol import Scope

ADDRESS = {
    "name": "Meera Pillai",
    "line1": "14, 3rd Cross, Domlur Layout",
    "line2": "Near the water tank",
    "city": "Bengaluru",
    "state": "Karnataka",
    "pincode": "560071",
    "phone": "+91 98860 55512",
}


def ship_row(
    fid: int,
    number: str,
    *,
    ship_by: datetime | None,
    created_at: datetime,
    state: str = "routed",
    units: tuple[int, ...] = (1,),
    promised_by: date | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A ship fulfilment order of BLR-01 with one line per entry of ``units``."""
    lines = [
        {"sku": f"SKU-{n + 1:04d}", "item_id": n + 1, "name": f"Steel water bottle {n + 1}",
         "quantity": q, "price_minor": 49900}
        for n, q in enumerate(units)
    ]  # fmt: skip
    return {
        "id": fid, "order_number": number, "channel": "web", "method": "ship",
        "state": state, "customer_name": ADDRESS["name"], "customer_phone": ADDRESS["phone"],
        "lines": lines, "created_at": to_text(created_at), "updated_at": to_text(created_at),
        "location_code": "BLR-01", "bin": None, "pickup_by": None, "pickup_code_hash": None,
        "pickup_code_salt": None, "pickup_log": {}, "ship_to": ADDRESS, "payment": "prepaid",
        "cod_minor": 0, "carrier": "DLV", "carrier_service": "Surface",
        "promised_by": promised_by.isoformat() if promised_by else None,
        "ship_by": to_text(ship_by) if ship_by else None,
        "route_note": "Nearest store with stock: 3.1 km.\nRunner-up BLR-02 is 7.9 km away.",
        **extra,
    }  # fmt: skip


def store_pulled(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    """Store ``rows`` as pulled fulfilment changes, as a sync does."""
    mirror.apply_changes(conn, [(Scope.FULFILMENT, str(row["id"]), row) for row in rows])
