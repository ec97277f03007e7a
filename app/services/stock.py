"""Stock at this station: find items, show their stock here and nearby, count them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from app.domain.geo import haversine_km
from app.domain.gtin import gtin_forms
from app.domain.money import Money
from app.domain.operations import StockCount
from app.domain.reasons import ReasonUse, RecountRule
from app.domain.stock import Bucket, available_to_promise
from app.errors import BadInput, NotEnrolled, NotFound
from app.services.results import (
    BucketStock,
    CountCheck,
    CountRecorded,
    ItemStock,
    ItemSummary,
    NearbyStock,
    StaffSession,
)
from app.storage import catalog, device, outbox, reasons
from app.storage.engine import Database, raw_connection

NEARBY_LIMIT = 10


def items_for_code(conn: sqlite3.Connection, query: str) -> list[catalog.ItemRow]:
    """The items a scanned barcode (any GTIN form) or a typed SKU names."""
    forms = sorted(gtin_forms(query))
    if forms:
        found = catalog.by_gtin(conn, forms)
        if found:
            return found
    return catalog.by_sku(conn, query)


class StockService:
    """Lookups and counts over the station cache; every call is one transaction."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Callable[[], datetime],
        on_committed: Callable[[], None] = lambda: None,
        recount: RecountRule | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._on_committed = on_committed
        self._recount = recount or RecountRule()

    def lookup(self, query: str, limit: int = 50) -> list[ItemSummary]:
        """Items for a scan or typed text: GTIN or SKU exact first, else name words."""
        query = query.strip()
        if not query:
            return []
        with self._db.raw_reader() as conn:
            rows = items_for_code(conn, query) or catalog.by_name_words(conn, query, limit)
        return [_summary(r) for r in rows[:limit]]

    def item_stock(self, item_id: int) -> ItemStock:
        """An item's stock by bucket here, and what nearby locations can promise."""
        with self._db.reading() as session:
            conn = raw_connection(session)
            row = catalog.by_id(conn, item_id)
            if row is None:
                raise NotFound(f"Item {item_id} is not in this station's catalog.")
            stock = catalog.buckets(conn, item_id)
            enrolment = device.enrolment(session)
            here = catalog.location(conn, enrolment.location_code) if enrolment else None
            network = catalog.network(conn, item_id)
        by_bucket = {b.bucket: b for b in stock}
        buckets = []
        for bucket in Bucket:
            b = by_bucket.get(bucket.value)
            if b is None and bucket is not Bucket.SELLABLE:
                continue
            on_hand = b.on_hand if b else 0
            reserved = b.reserved if b else 0
            buckets.append(
                BucketStock(
                    bucket=bucket,
                    on_hand=on_hand,
                    reserved=reserved,
                    available=available_to_promise(
                        on_hand, reserved, b.safety_stock if b else 0, count_due=row.count_due
                    )
                    if bucket is Bucket.SELLABLE
                    else max(0, on_hand - reserved),
                    pending_change=b.pending if b else 0,
                )
            )
        nearby = []
        for n in network:
            if n.available <= 0 or (here is not None and n.location_code == here.code):
                continue
            distance = float("inf")
            if (
                here is not None
                and None not in (here.latitude, here.longitude)
                and n.latitude is not None
                and n.longitude is not None
            ):
                assert here.latitude is not None and here.longitude is not None
                distance = haversine_km(here.latitude, here.longitude, n.latitude, n.longitude)
            nearby.append(
                NearbyStock(
                    location_code=n.location_code,
                    location_name=n.location_name,
                    city=n.city,
                    distance_km=round(distance, 1),
                    available=n.available,
                )
            )
        nearby.sort(key=lambda n: (n.distance_km, n.location_code))
        return ItemStock(
            item=_summary(row),
            category=row.category,
            buckets=tuple(buckets),
            nearby=tuple(nearby[:NEARBY_LIMIT]),
        )

    def count(
        self,
        staff: StaffSession | None,
        sku_or_gtin: str,
        observed: int,
        bucket: Bucket = Bucket.SELLABLE,
        *,
        first_count: int | None = None,
        reason: str = "",
    ) -> CountRecorded | CountCheck:
        """Record "observed N here" in the outbox now; it reaches the ledger with a push.

        A blind count: far from the book (the recount rule), it is not recorded until it
        was counted again (``first_count`` is the first try) and, still far, a ``reason``
        says why; until then a :class:`CountCheck` says which is wanted. A count is a
        physical fact, so it is never limited by availability (DESIGN §4.5). A sellable
        count ends the wait for a count after "not found".
        """
        query = sku_or_gtin.strip()
        with self._db.writing() as session:
            conn = raw_connection(session)
            here = conn.execute(
                "SELECT d.location_code, s.cursor FROM device AS d "
                "JOIN sync_state AS s ON s.id = 1 WHERE d.id = 1"
            ).fetchone()
            if here is None:
                raise NotEnrolled(
                    "This station is not enrolled, so it cannot record counts.",
                    next_step="Ask IT to enrol it.",
                )
            location_code, cursor = here
            rows = items_for_code(conn, query)
            if not rows:
                raise NotFound(
                    f"No item with barcode or SKU '{query}' here.",
                    next_step="Scan the barcode again or search by name.",
                )
            item = rows[0]
            count = StockCount(location_code, item.sku, bucket, observed)  # a sane number?
            shown = catalog.buckets(conn, item.id)
            before = next((b.on_hand for b in shown if b.bucket == bucket.value), 0)
            said = ""
            if self._recount.wants_recount(observed, before):
                if first_count is None:
                    return CountCheck("recount")
                # No reasons here yet (never synced): the recount alone settles it.
                choices = reasons.choices(conn, ReasonUse.COUNT)
                if choices and not reason:
                    return CountCheck("reason", tuple((r.code, r.label) for r in choices))
                chosen = next((r for r in choices if r.code == reason), None)
                if choices and chosen is None:
                    raise BadInput(
                        "That reason is not one of this store's count reasons.",
                        next_step="Choose a reason from the list.",
                    )
                said = chosen.label if chosen else ""
            count = replace(count, first_count=first_count, reason=reason if said else "")
            difference = observed - before
            effects = [outbox.Effect(item.id, bucket.value, difference)]
            cleared = reasons.clear_due(conn, item.id) if bucket is Bucket.SELLABLE else None
            if cleared is not None:
                effects.append(cleared)
            appended = outbox.append(
                session,
                op_type=count.TYPE.value,
                payload=count.to_payload(),
                actor=staff.code if staff else None,
                base_ledger_seq=int(cursor),
                now=self._clock(),
                effects=tuple(effects),
            )
        self._on_committed()
        return CountRecorded(
            op_id=appended.op_id,
            device_seq=appended.device_seq,
            sku=item.sku,
            bucket=bucket,
            observed=observed,
            difference=difference,
            reason=said,
        )


def _summary(row: catalog.ItemRow) -> ItemSummary:
    return ItemSummary(
        item_id=row.id,
        sku=row.sku,
        gtin=row.gtin,
        name=row.name,
        price=Money(row.price_minor, row.currency).format(),
        sellable_available=available_to_promise(
            row.sellable_on_hand,
            row.sellable_reserved,
            row.sellable_safety,
            count_due=row.count_due,
        ),
        count_due=row.count_due,
    )
