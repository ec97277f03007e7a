"""Seed data: ``--demo`` retailer, ``--bench`` volume, ``--tiny`` for tests. Idempotent.

Every profile inserts only what is missing (locations by code, items by SKU, balances by
location/item/bucket, staff by code, orders by number), so seeding twice adds nothing.
Opening stock is posted as ``receipt`` movements, so stock is still the sum of movements.
Demo orders go through the same intake and routing as ``POST /v1/orders``.

Demo staff (PIN / badge; badges are scanned as the text shown):

=====  ===================  =========  ====  ==========  ==================================
code   name                 role       PIN   badge       home location
=====  ===================  =========  ====  ==========  ==================================
A100   Arjun Rao            associate  1111  BADGE-A100  BLR-01 (terminal demo store)
A190   Kavya Menon          associate  1111  BADGE-A190  BLR-01
L200   Lakshmi Nair         lead       2222  BADGE-L200  BLR-01
M300   Meera Iyer           manager    3333  BADGE-M300  none; regional: BLR-01 BLR-02 MUM-01
A1nn   one per other place  associate  1111  BADGE-A1nn  BLR-02, MUM-01 … WH-BHW
L2nn   one per other place  lead       2222  BADGE-L2nn  BLR-02, MUM-01 … WH-BHW
=====  ===================  =========  ====  ==========  ==================================

``--tiny`` has WH-BHW, BLR-01 and MUM-01, the first 50 demo items (GRO-00001 …) with
10 sellable at BLR-01, 20 at MUM-01 and 100 at WH-BHW, staff A100, L200, M300 and three
orders (T-1001 pickup at BLR-01, T-1002 and T-1003 shipped).

BLR-01 and MUM-01 allow ship-for-pickup (capability ``ship_for_pickup``): a pickup they
cannot fill is sent from WH-BHW on a transfer (``counterbench ledger transfers`` /
``ship-transfer``), unless the intake says ``ship_for_pickup: false``. A location seeded
before a capability was added to its spec gets it on the next seed.

Every store has hold-shelf bins H-01 … H-24. Demo and tiny pickup orders have fixed
pickup codes (the QR text is ``CBPU1:<order number>:<code>``):

==========  ======  ======  ====================================================
order       code    store   state after seeding
==========  ======  ======  ====================================================
T-1001      100101  BLR-01  to pick (tiny)
WEB-240001  240001  BLR-01  to pick
WEB-240002  240002  BLR-01  to pick
APP-240003  240003  BLR-01  to pick
MKT-240004  240004  BLR-01  to pick
APP-240014  240014  BLR-01  to pick
WEB-240015  240015  BLR-01  ship-for-pickup, shipped by WH-BHW: receive it by scan
APP-240016  240016  BLR-01  ship-for-pickup, not shipped yet (transfer open)
==========  ======  ======  ====================================================

WEB-240015 (PCR-00225 ×1, APP-00237 ×2) and APP-240016 (SPO-00240 ×1) hold items
BLR-01 has none of; the seed ships WEB-240015's transfer as "WH-BHW dispatch" through
the warehouse's own step (:func:`app.ledger.transfers.ship_transfer`) once, after the
orders are placed. Ship APP-240016's with ``counterbench ledger ship-transfer N``.

``--bench`` has BENCH-01 with 200,000 items stocked (50 each) and BENCH-WH with 1,000;
staff B100 (1111) and B200 (2222) at BENCH-01.
"""

from __future__ import annotations

import time

from sqlalchemy import Connection, Engine, insert, select, update

from app.ledger import seed_data as data
from app.ledger.bulk import bulk_insert
from app.ledger.credentials import hash_badge, hash_pin, pin_hasher
from app.ledger.master_data.gst_rates import add_missing_rates
from app.ledger.models import (
    Item,
    Location,
    Staff,
    Transfer,
    table_of,
)
from app.ledger.orders import record_order
from app.ledger.reasons import seed_defaults
from app.ledger.seed_bins import seed_bins
from app.ledger.seed_carriers import seed_carriers
from app.ledger.seed_feed import feed_seeded
from app.ledger.seed_master import DEMO_GST_RATES, item_master, place_master
from app.ledger.seed_profiles import profile_for
from app.ledger.seed_reasons import SEEDED_REASONS
from app.ledger.seed_stock import insert_opening_stock
from app.ledger.staff_places import assign_stores
from app.ledger.transfers import ship_transfer
from app.ledger.writes import WriteBatch

locations = table_of(Location)
items = table_of(Item)
staff_table = table_of(Staff)
transfers = table_of(Transfer)
SEED_SHIPPER = "WH-BHW dispatch"  # who shipped the seeded transfers, in the order's timeline


def seed(engine: Engine, profile_name: str) -> str:
    """Insert what ``profile_name`` needs and is missing; returns a one-line report."""
    started = time.perf_counter()
    profile = profile_for(profile_name)
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        new_locs = _insert_locations(conn, profile.places)
        widened = _add_missing_capabilities(conn, profile.places)
        new_items = _insert_items(conn, profile.catalog)
        new_staff = _insert_staff(conn, profile.staff)
        new_bals = insert_opening_stock(conn, batch, profile)
        if profile.feed:
            feed_seeded(conn, batch, new_locs + widened, new_items, new_staff, new_bals)
        seed_defaults(conn, batch, feed=profile.feed, reasons=SEEDED_REASONS)
        seed_carriers(conn, batch if profile.feed else None)
        seed_bins(conn, batch, feed=profile.feed)
        add_missing_rates(conn, DEMO_GST_RATES, batch if profile.feed else None)
        placed = 0
        for intake in profile.orders:
            if _order_exists(conn, intake.order_number):
                continue
            record_order(
                conn, batch, intake, pickup_code=data.DEMO_PICKUP_CODES.get(intake.order_number)
            )
            placed += 1
        batch.flush()
    shipped = _ship_open_transfers(engine, profile.shipped)
    took = time.perf_counter() - started
    people = ", ".join(f"{p.code} {p.role} PIN {p.pin}" for p in profile.staff[:3])
    transfers_note = f", {shipped} transfer(s) shipped" if profile.shipped else ""
    return (
        f"Seeded {profile_name}: {len(new_locs)} locations, {len(new_items)} items, "
        f"{len(new_staff)} staff, {len(new_bals)} stock rows, {placed} orders"
        f"{transfers_note} ({took:.1f} s). Staff include {people}; badges are BADGE-<code>."
    )


def _ship_open_transfers(engine: Engine, order_numbers: tuple[str, ...]) -> int:
    """Ship the still open transfers of these orders as the warehouse would; how many.

    Each ship is the warehouse's own step in its own transaction, after the orders are
    committed; a transfer already shipped, received or cancelled is left as it is.
    """
    if not order_numbers:
        return 0
    with engine.connect() as conn:
        open_ids = list(
            conn.execute(
                select(transfers.c.id)
                .where(transfers.c.order_number.in_(order_numbers), transfers.c.status == "open")
                .order_by(transfers.c.id)
            ).scalars()
        )
    for transfer_id in open_ids:
        ship_transfer(engine, transfer_id, SEED_SHIPPER)
    return len(open_ids)


def _order_exists(conn: Connection, number: str) -> bool:
    from app.ledger.orders import orders

    return (
        conn.execute(select(orders.c.id).where(orders.c.order_number == number)).first() is not None
    )


def _insert_locations(conn: Connection, places: list[data.PlaceSpec]) -> list[int]:
    have = set(conn.execute(select(locations.c.code)).scalars())
    rows = [
        {
            "code": p.code,
            "name": p.name,
            "kind": p.kind,
            "city": p.city,
            "address": p.address,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "timezone": "Asia/Kolkata",
            "capabilities": list(p.capabilities),
            "pickup_hold_days": 5,
            # reminders 2 and 4 days after the order became ready; cancelled after 5
            "pickup_reminder_days": [2, 4] if p.kind == "store" else [],
            "daily_capacity": p.daily_capacity,
            "carrier_cutoff": "16:00",
            "bins": data.hold_bins(p.kind),
            **place_master(p.city, p.address),
        }
        for p in places
        if p.code not in have
    ]
    _add_missing_bins(conn, places)
    if not rows:
        return []
    conn.execute(insert(locations), rows)
    codes = [r["code"] for r in rows]
    return list(conn.execute(select(locations.c.id).where(locations.c.code.in_(codes))).scalars())


def _add_missing_capabilities(conn: Connection, places: list[data.PlaceSpec]) -> list[int]:
    """Give locations seeded before their spec gained a capability (BLR-01's
    ``ship_for_pickup``) that capability; the ids of the locations changed."""
    changed = []
    for loc_id, code, capabilities in conn.execute(
        select(locations.c.id, locations.c.code, locations.c.capabilities)
    ).all():
        spec = next((p for p in places if p.code == code), None)
        have = list(capabilities or [])
        missing = [c for c in spec.capabilities if c not in have] if spec else []
        if missing:
            conn.execute(
                update(locations)
                .where(locations.c.id == loc_id)
                .values(capabilities=have + missing)
            )
            changed.append(loc_id)
    return changed


def _add_missing_bins(conn: Connection, places: list[data.PlaceSpec]) -> None:
    """Give stores seeded before bins existed their hold-shelf bins."""
    have = dict(conn.execute(select(locations.c.code, locations.c.bins)).all())
    for place in places:
        bins = data.hold_bins(place.kind)
        if bins and place.code in have and not have[place.code]:
            conn.execute(update(locations).where(locations.c.code == place.code).values(bins=bins))


def _insert_items(conn: Connection, catalog: list[data.ItemSpec]) -> list[int]:
    # An item already known by SKU or by GTIN is kept as it is.
    have = set(conn.execute(select(items.c.sku)).scalars())
    have.update(conn.execute(select(items.c.gtin)).scalars())
    rows = [
        {
            "sku": i.sku,
            "gtin": i.gtin,
            "name": i.name,
            "price_minor": i.price_minor,
            "currency": "INR",
            "category": i.category,
            "weight_g": i.weight_g,
            "return_days": i.return_days,
            "returnable": i.returnable,
            **item_master(i.category),  # HSN, GST, size, return category
        }
        for i in catalog
        if i.sku not in have and i.gtin not in have
    ]
    if not rows:
        return []
    first = conn.execute(select(items.c.id).order_by(items.c.id.desc()).limit(1)).scalar()
    bulk_insert(conn, items, rows)
    new = select(items.c.id).where(items.c.id > (first or 0)).order_by(items.c.id)
    return list(conn.execute(new).scalars())


def _insert_staff(conn: Connection, people: list[data.StaffSpec]) -> list[int]:
    have = set(conn.execute(select(staff_table.c.code)).scalars())
    loc_ids = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
    hasher = pin_hasher()
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "role": s.role,
            "pin_hash": hash_pin(s.pin, hasher),
            "badge_hash": hash_badge(s.badge),
            "home_location_id": loc_ids.get(s.home or ""),
            "active": True,
        }
        for s in people
        if s.code not in have
    ]
    if not rows:
        return []
    conn.execute(insert(staff_table), rows)
    codes = [r["code"] for r in rows]
    ids = dict(
        conn.execute(
            select(staff_table.c.code, staff_table.c.id).where(staff_table.c.code.in_(codes))
        ).all()
    )
    for s in people:
        if s.code in ids and s.stores:
            assign_stores(conn, ids[s.code], [loc_ids[c] for c in s.stores if c in loc_ids])
    return sorted(ids.values())
