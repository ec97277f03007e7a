"""The demo retailer's carriers and boxes: our own fleet and two courier partners, the
pincodes they deliver to, who collects where, and a box catalogue at every location
that ships. Idempotent: only what is missing is inserted.

======== ========= ================ ======= ============================ =============
code     kind      service          cut-off rate local/regional/national days
======== ========= ================ ======= ============================ =============
LOCAL    own_fleet Local courier    18:00   ₹20 / — / —                  1 (local)
SWIFT    partner   Express          16:00   ₹60 / ₹90 / ₹140             1 / 1 / 2
INDPOST  partner   Economy          17:00   ₹35 / ₹50 / ₹70              2 / 4 / 6
======== ========= ================ ======= ============================ =============

LOCAL serves the pincodes sharing the first three digits (the sorting district) with a
location that ships; SWIFT and INDPOST serve every pincode (prefixes 1 … 8). All three
collect at every location that ships.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert, select

from app.domain.master_shipping import CarrierRecord
from app.domain.ship_offers import ALWAYS_SHIP, SHIP_FROM_STORE
from app.ledger.master_data.carriers import carrier_values
from app.ledger.master_data.locations import feed_locations
from app.ledger.models import BoxType, CarrierPincode, Location, LocationCarrier, table_of
from app.ledger.models import Carrier as CarrierRow
from app.ledger.writes import WriteBatch

carriers = table_of(CarrierRow)
carrier_pincodes = table_of(CarrierPincode)
location_carriers = table_of(LocationCarrier)
box_types = table_of(BoxType)
locations = table_of(Location)
LOCAL_PREFIX_DIGITS = 3
NATIONAL = tuple(str(digit) for digit in range(1, 9))


DEMO_CARRIERS = (
    CarrierRecord("LOCAL", "Counterbench Riders", "Local courier", "own_fleet", "18:00",
                (2000, None, None), (1, 2, 4), True),
    CarrierRecord("SWIFT", "Swift Express", "Express", "partner", "16:00",
                (6000, 9000, 14000), (1, 1, 2), True),
    CarrierRecord("INDPOST", "India Parcel Post", "Economy", "partner", "17:00",
                (3500, 5000, 7000), (2, 4, 6), True),
)  # fmt: skip

# code, name, inner length × width × height mm, tare g, max weight g
DEMO_BOXES = (
    ("MAILER", "Padded mailer", 250, 180, 50, 40, 1000),
    ("BOX-S", "Box small", 300, 200, 120, 150, 3000),
    ("BOX-M", "Box medium", 400, 300, 200, 300, 8000),
    ("BOX-L", "Box large", 500, 400, 300, 500, 15000),
    ("BOX-XL", "Box extra large", 650, 450, 400, 800, 25000),
)


def seed_carriers(conn: Connection, batch: WriteBatch | None = None) -> int:
    """Insert the demo carriers, their pincodes, who collects where and the boxes, where
    missing; the number of rows inserted. With ``batch``, a locations change row for each
    location that got boxes (the seed is the only writer of boxes today)."""
    before = len(_carrier_ids(conn))
    ids = _carrier_ids(conn, insert_missing=True)
    shippers = [
        row
        for row in conn.execute(
            select(locations.c.id, locations.c.kind, locations.c.capabilities, locations.c.pincode)
        )
        if row.kind in ALWAYS_SHIP or SHIP_FROM_STORE in row.capabilities
    ]
    local = {row.pincode[:LOCAL_PREFIX_DIGITS] for row in shippers if row.pincode}
    wanted_prefixes = {"LOCAL": sorted(local), "SWIFT": NATIONAL, "INDPOST": NATIONAL}
    added = len(ids) - before
    added += _insert_missing(
        conn,
        carrier_pincodes,
        ("carrier_id", "prefix"),
        [(ids[code], p) for code, prefixes in wanted_prefixes.items() for p in prefixes],
    )
    added += _insert_missing(
        conn,
        location_carriers,
        ("location_id", "carrier_id"),
        [(row.id, ids[spec.code]) for row in shippers for spec in DEMO_CARRIERS],
    )
    boxes = {(row.id, box[0]): box for row in shippers for box in DEMO_BOXES}
    have = set(conn.execute(select(box_types.c.location_id, box_types.c.code)).all())
    new_boxes = [
        dict(zip(_BOX_COLUMNS, (loc_id, *box), strict=True))
        for (loc_id, _), box in boxes.items()
        if (loc_id, box[0]) not in have
    ]
    if new_boxes:
        conn.execute(insert(box_types), new_boxes)
        if batch is not None:
            feed_locations(conn, batch, sorted({int(b["location_id"]) for b in new_boxes}))
    return added + len(new_boxes)


_BOX_COLUMNS = (
    "location_id", "code", "name", "length_mm", "width_mm", "height_mm", "tare_g",
    "max_weight_g",
)  # fmt: skip


def _carrier_ids(conn: Connection, *, insert_missing: bool = False) -> dict[str, int]:
    have = dict(conn.execute(select(carriers.c.code, carriers.c.id)).all())
    missing = [spec for spec in DEMO_CARRIERS if spec.code not in have]
    if insert_missing and missing:
        conn.execute(insert(carriers), [_carrier_row(spec) for spec in missing])
        have = dict(conn.execute(select(carriers.c.code, carriers.c.id)).all())
    return have


def _carrier_row(spec: CarrierRecord) -> dict[str, object]:
    return {"code": spec.code, **carrier_values(spec)}


def _insert_missing(
    conn: Connection, table: Table, columns: tuple[str, str], pairs: Sequence[tuple[Any, Any]]
) -> int:
    have = set(conn.execute(select(*(table.c[c] for c in columns))).all())
    new = [
        dict(zip(columns, pair, strict=True)) for pair in dict.fromkeys(pairs) if pair not in have
    ]
    if new:
        conn.execute(insert(table), new)
    return len(new)
