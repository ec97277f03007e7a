"""What a push's counts read before any is posted, for one station or a group of them.

Counting needs, for each item counted: the item, its balances at the station's store, and
the movements others made there after the station's base (conflict rule 3,
:mod:`app.ledger.counts`). :func:`read_counts` reads them in three statements, whether for
one station's push or for a group of stations' pushes applied together
(:mod:`app.ledger.push_together`), each at its own store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, or_, select

from app.domain.counting import LaterMove
from app.domain.operations import OperationType
from app.domain.stock import Bucket, MovementKind
from app.ledger.models import Item, StockMovement, table_of
from app.ledger.sql_lists import one_of_param
from app.ledger.stockbook import balances
from app.sync.protocol import PushOp

items = table_of(Item)
movements = table_of(StockMovement)
CHUNK = 500  # values in one IN list
BUCKETS = frozenset(bucket.value for bucket in Bucket)


@dataclass(frozen=True)
class ItemRef:
    id: int
    sku: str
    name: str


@dataclass(frozen=True)
class CountWant:
    """One station's counts: at ``location_id`` by ``device_id``, of the shelves
    ``shelves`` (sku or gtin, bucket), the oldest base among them ``min_base``."""

    location_id: int
    device_id: str
    shelves: list[tuple[str, str]]
    min_base: int

    @property
    def skus(self) -> list[str]:
        return sorted({sku for sku, _ in self.shelves})


def counts_wanted(location_id: int, device_id: str, ops: list[PushOp]) -> CountWant:
    """What the counts among ``ops``, by ``device_id`` at ``location_id``, read."""
    shelves = {
        (str(op.payload.get("sku", "")), str(op.payload.get("bucket", "")))
        for op in ops
        if op.type == OperationType.STOCK_COUNT
    }
    first_base = min((op.base_ledger_seq for op in ops), default=0)
    return CountWant(location_id, device_id, sorted(shelves), first_base)


@dataclass
class CountReads:
    """Items by sku and gtin, balance rows by location, and later movements by
    (location, item, bucket) in seq order, each with the device that made it."""

    items: dict[str, ItemRef] = field(default_factory=dict)
    balances: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))
    moves: dict[tuple[int, int, str], list[LaterMove]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def others_for(self, want: CountWant) -> dict[tuple[int, str], list[LaterMove]]:
        """The movements ``want``'s station did not make, after its oldest base, by
        (item, bucket)."""
        found: dict[tuple[int, str], list[LaterMove]] = {}
        for (location_id, item_id, bucket), moved in self.moves.items():
            if location_id != want.location_id:
                continue
            theirs = [m for m in moved if m.device_id != want.device_id and m.seq > want.min_base]
            if theirs:
                found[(item_id, bucket)] = theirs
        return found


@cache
def _items_by_code(dialect: str) -> Select[int, str, str, str]:
    return select(items.c.id, items.c.sku, items.c.gtin, items.c.name).where(
        or_(
            one_of_param(dialect, items.c.sku, "codes"),
            one_of_param(dialect, items.c.gtin, "codes"),
        )
    )


@cache
def _balances_at(dialect: str) -> Select[Any]:
    return select(balances).where(
        one_of_param(dialect, balances.c.location_id, "locations"),
        one_of_param(dialect, balances.c.item_id, "ids"),
    )


@cache
def _moves_after(dialect: str) -> Select[int, int, str, int, int, str | None, str, int | None]:
    m = movements.c
    return (
        select(
            m.location_id, m.item_id, m.bucket, m.ledger_seq, m.quantity, m.device_id, m.kind,
            m.base_ledger_seq,
        )
        .where(
            one_of_param(dialect, m.location_id, "locations"),
            one_of_param(dialect, m.item_id, "ids"),
            m.ledger_seq > bindparam("base"),
        )
        .order_by(m.ledger_seq)
    )  # fmt: skip


def read_counts(conn: Connection, wants: list[CountWant]) -> CountReads:
    """Everything ``wants``' counts read, in three statements (more for huge batches)."""
    dialect = conn.dialect.name
    read = CountReads()
    codes = sorted({sku for want in wants for sku in want.skus})
    for start in range(0, len(codes), CHUNK):
        rows = conn.execute(_items_by_code(dialect), {"codes": codes[start : start + CHUNK]})
        for item_id, sku, gtin, name in rows:
            read.items[sku] = read.items[gtin] = ItemRef(item_id, sku, name)
    ids = sorted({ref.id for ref in read.items.values()})
    where = {"locations": sorted({want.location_id for want in wants})}
    base = min((want.min_base for want in wants), default=0)
    for start in range(0, len(ids), CHUNK):
        chunk = {**where, "ids": ids[start : start + CHUNK]}
        for row in conn.execute(_balances_at(dialect), chunk):
            read.balances[row.location_id].append(row)
        for location, item_id, bucket, seq, quantity, device, kind, counted_base in conn.execute(
            _moves_after(dialect), {**chunk, "base": base}
        ):
            counted = kind == MovementKind.COUNT.value
            move = LaterMove(seq, quantity, device, (counted_base or 0) if counted else None)
            read.moves[(location, item_id, bucket)].append(move)
    _open_missing(conn, read, wants)
    return read


def _open_missing(conn: Connection, read: CountReads, wants: list[CountWant]) -> None:
    """Insert at 0, in one statement, the balances the counts will post to that do not
    exist yet (each would otherwise cost a round trip of its own while the stores are
    locked)."""
    held = {
        (row.location_id, row.item_id, row.bucket)
        for rows in read.balances.values()
        for row in rows
    }
    missing: set[tuple[int, int, str]] = set()
    for want in wants:
        for sku, bucket in want.shelves:
            item = read.items.get(sku)
            key = (want.location_id, item.id, bucket) if item else None
            if key and bucket in BUCKETS and key not in held:
                missing.add(key)
    if not missing:
        return
    rows = [
        {"location_id": loc, "item_id": item, "bucket": bucket, "on_hand": 0, "reserved": 0,
         "safety_stock": 0}
        for loc, item, bucket in sorted(missing)
    ]  # fmt: skip
    for row in conn.execute(insert(balances).returning(*balances.c), rows):
        read.balances[row.location_id].append(row)
