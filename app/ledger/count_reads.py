"""What a push's counts need before any is posted, for one station or a group of them.

Counting needs, for each shelf counted: the item, its balance at the station's store, and
the movements others made there after the station's base (conflict rule 3,
:mod:`app.ledger.counts`). :func:`prepare_counts` reads them in three statements (more for
huge batches), whether for one station's push or for a group of stations' pushes applied
together (:mod:`app.ledger.push_together`), each at its own store, and opens at 0, in one
more statement, the balances that will be posted to and do not exist yet.

Only counts that will post are prepared: one that does not parse, or is for another
store, is refused by :class:`~app.ledger.counts.CountPoster` without reading anything (a
balance opened for it would be a row no station hears of, and every station's checksum
would then send it to a snapshot).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, or_, select, text

from app.domain.counting import LaterMove
from app.domain.operations import OperationType, StockCount
from app.domain.stock import MovementKind
from app.errors import KnownError
from app.ledger.devices import DeviceRef
from app.ledger.models import Item, StockMovement, table_of
from app.ledger.sql_lists import one_of_param
from app.ledger.stockbook import balances, balances_of
from app.sync.protocol import PushOp

items = table_of(Item)
movements = table_of(StockMovement)
CHUNK = 500  # values in one IN list
# Movements after each (store, item)'s own base, for a group's many stores at once.
_LATER_MOVES_PG = text(
    "SELECT m.location_id, m.item_id, m.bucket, m.ledger_seq, m.quantity, m.device_id,"
    " m.kind, m.base_ledger_seq FROM stock_movements m"
    " JOIN unnest(CAST(:locations AS integer[]), CAST(:ids AS integer[]),"
    " CAST(:bases AS bigint[])) AS w(location_id, item_id, base)"
    " ON m.location_id = w.location_id AND m.item_id = w.item_id AND m.ledger_seq > w.base"
    " ORDER BY m.ledger_seq"
)


@dataclass(frozen=True)
class ItemRef:
    id: int
    sku: str
    name: str


@dataclass(frozen=True)
class CountWant:
    """One station's counts that will post: at ``location_id`` by ``device_id``, of the
    shelves ``shelves`` (sku or gtin, bucket), the oldest base among its ops ``min_base``."""

    location_id: int
    device_id: str
    shelves: list[tuple[str, str]]
    min_base: int

    @property
    def skus(self) -> list[str]:
        return sorted({sku for sku, _ in self.shelves})


def counts_wanted(device: DeviceRef, ops: list[PushOp]) -> CountWant:
    """What the counts among ``ops`` by ``device`` need: those that parse and are for
    its own store."""
    shelves: set[tuple[str, str]] = set()
    for op in ops:
        count = _parsed_count(op)
        if count is not None and count.location == device.location_code:
            shelves.add((count.sku, count.bucket.value))
    first_base = min((op.base_ledger_seq for op in ops), default=0)
    return CountWant(device.location_id, device.device_id, sorted(shelves), first_base)


def _parsed_count(op: PushOp) -> StockCount | None:
    if op.type != OperationType.STOCK_COUNT:
        return None
    try:
        return StockCount.from_payload(op.payload)
    except (KnownError, TypeError, ValueError):  # refused when applied, with the reason
        return None


@dataclass
class CountReads:
    """Items by sku and gtin, balance rows by location, and later movements by
    (location, item, bucket) in seq order, each with the device that made it."""

    wants: dict[str, CountWant] = field(default_factory=dict)  # by device id
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


def prepare_counts(conn: Connection, wants: list[CountWant]) -> CountReads:
    """Everything ``wants``' counts read, and their missing balances opened at 0."""
    read = CountReads(wants={want.device_id: want for want in wants})
    _read_items(conn, wants, read)
    _read_balances(conn, wants, read)
    _read_later_moves(conn, wants, read)
    _open_missing(conn, read, wants)
    return read


def _read_items(conn: Connection, wants: list[CountWant], read: CountReads) -> None:
    codes = sorted({sku for want in wants for sku in want.skus})
    for start in range(0, len(codes), CHUNK):
        query = _items_by_code(conn.dialect.name)
        for item_id, sku, gtin, name in conn.execute(
            query, {"codes": codes[start : start + CHUNK]}
        ):
            read.items[sku] = read.items[gtin] = ItemRef(item_id, sku, name)


def _read_balances(conn: Connection, wants: list[CountWant], read: CountReads) -> None:
    """The balances of every counted item at every store of ``wants`` (a few more rows
    than asked for in a group, each kept by its own store's book)."""
    ids = sorted({ref.id for ref in read.items.values()})
    where = {"locations": sorted({want.location_id for want in wants})}
    for start in range(0, len(ids), CHUNK):
        chunk = {**where, "ids": ids[start : start + CHUNK]}
        for row in conn.execute(balances_of(conn.dialect.name), chunk):
            read.balances[row.location_id].append(row)


def _read_later_moves(conn: Connection, wants: list[CountWant], read: CountReads) -> None:
    """Movements at each want's store of the items it counts, after its oldest base."""
    keys = sorted(
        {
            (want.location_id, read.items[sku].id, want.min_base)
            for want in wants
            for sku in want.skus
            if sku in read.items
        }
    )
    for start in range(0, len(keys), CHUNK):
        for row in _later_moves(conn, keys[start : start + CHUNK]):
            location, item_id, bucket, seq, quantity, device, kind, counted_base = row
            counted = kind == MovementKind.COUNT.value
            move = LaterMove(seq, quantity, device, (counted_base or 0) if counted else None)
            read.moves[(location, item_id, bucket)].append(move)


def _later_moves(conn: Connection, keys: list[tuple[int, int, int]]) -> list[Any]:
    """The movements after each (store, item, base) of ``keys``, in seq order: one
    statement on PostgreSQL, one per store elsewhere (where pushes are never grouped)."""
    if conn.dialect.name == "postgresql":
        locations, ids, bases = (list(column) for column in zip(*keys, strict=True))
        every: dict[str, Any] = {"locations": locations, "ids": ids, "bases": bases}
        return list(conn.execute(_LATER_MOVES_PG, every))
    found: list[Any] = []
    for location, base in sorted({(k[0], k[2]) for k in keys}):
        ids = [k[1] for k in keys if (k[0], k[2]) == (location, base)]
        one: dict[str, Any] = {"location": location, "ids": ids, "base": base}
        found.extend(conn.execute(_moves_at(conn.dialect.name), one))
    return sorted(found, key=lambda row: row[3])


@cache
def _moves_at(dialect: str) -> Select[int, int, str, int, int, str | None, str, int | None]:
    m = movements.c
    return (
        select(
            m.location_id, m.item_id, m.bucket, m.ledger_seq, m.quantity, m.device_id, m.kind,
            m.base_ledger_seq,
        )
        .where(
            m.location_id == bindparam("location"),
            one_of_param(dialect, m.item_id, "ids"),
            m.ledger_seq > bindparam("base"),
        )
        .order_by(m.ledger_seq)
    )  # fmt: skip


def _open_missing(conn: Connection, read: CountReads, wants: list[CountWant]) -> None:
    """Insert at 0, in one statement, the balances the counts will post to that do not
    exist yet (each would otherwise cost a round trip of its own while the stores are
    locked)."""
    held = {
        (row.location_id, row.item_id, row.bucket)
        for rows in read.balances.values()
        for row in rows
    }
    missing = {
        (want.location_id, read.items[sku].id, bucket)
        for want in wants
        for sku, bucket in want.shelves
        if sku in read.items
    } - held
    if not missing:
        return
    rows = [
        {"location_id": loc, "item_id": item, "bucket": bucket, "on_hand": 0, "reserved": 0,
         "safety_stock": 0}
        for loc, item, bucket in sorted(missing)
    ]  # fmt: skip
    for row in conn.execute(insert(balances).returning(*balances.c), rows):
        read.balances[row.location_id].append(row)
