"""Opening stock, to go live: a receipt movement per (location, item, bucket) that holds
nothing yet, so stock stays the sum of its movements.

A place that already holds stock of the item is not overwritten (that is a count's job):
the row is refused unless it says the same quantity, which counts as already imported.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select, tuple_

from app.domain.master_records import StockRecord
from app.domain.master_rows import MasterKind, RowProblem
from app.domain.stock import Bucket, MovementKind
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Item, Location, StockBalance, table_of
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch

locations = table_of(Location)
items = table_of(Item)
balances = table_of(StockBalance)
CHUNK = 500


class StockWriter:
    """The opening stock kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.STOCK

    def __init__(self) -> None:
        self._locations: dict[str, int] = {}
        self._items: dict[str, int] = {}
        self._on_hand: dict[tuple[int, int, str], int] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        """Unknown locations and SKUs; places that already hold other stock."""
        self._locations = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
        skus = sorted({rec.sku for _, rec in rows})
        for start in range(0, len(skus), CHUNK):
            chunk = skus[start : start + CHUNK]
            found = conn.execute(select(items.c.sku, items.c.id).where(items.c.sku.in_(chunk)))
            self._items.update((sku, int(item_id)) for sku, item_id in found)
        self._read_on_hand(conn, rows)
        problems = []
        for line, rec in rows:
            problem = self._problem(rec)
            if problem:
                problems.append(RowProblem(line, *problem))
        return problems

    def _read_on_hand(self, conn: Connection, rows: Rows) -> None:
        keys = sorted(
            {
                (self._locations[rec.location], self._items[rec.sku], rec.bucket)
                for _, rec in rows
                if rec.location in self._locations and rec.sku in self._items
            }
        )
        c = balances.c
        for start in range(0, len(keys), CHUNK):
            found = conn.execute(
                select(c.location_id, c.item_id, c.bucket, c.on_hand).where(
                    tuple_(c.location_id, c.item_id, c.bucket).in_(keys[start : start + CHUNK])
                )
            )
            for loc, item, bucket, on_hand in found:
                self._on_hand[(loc, item, bucket)] = int(on_hand)

    def _problem(self, rec: StockRecord) -> tuple[str, str] | None:
        if rec.location not in self._locations:
            return f"There is no location {rec.location}.", "Import the locations first."
        if rec.sku not in self._items:
            return f"There is no item {rec.sku}.", "Import the items first."
        have = self._on_hand.get(self._key(rec), 0)
        if have not in (0, rec.quantity):
            return (
                f"{rec.location} already holds {have} of {rec.sku} ({rec.bucket}).",
                "Opening stock is for going live; count the shelf to correct it.",
            )
        return None

    def _key(self, rec: StockRecord) -> tuple[int, int, str]:
        return (self._locations[rec.location], self._items[rec.sku], rec.bucket)

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        by_location: dict[int, list[StockRecord]] = defaultdict(list)
        for _, rec in rows:
            if self._on_hand.get(self._key(rec), 0) == rec.quantity:
                counts.unchanged += 1
            else:
                by_location[self._locations[rec.location]].append(rec)
        for location_id, recs in by_location.items():
            book = StockBook(conn, batch, location_id)
            book.load([self._items[rec.sku] for rec in recs])
            for rec in recs:
                book.post(
                    self._items[rec.sku],
                    quantity=rec.quantity,
                    kind=MovementKind.RECEIPT,
                    bucket=Bucket(rec.bucket),
                )
                counts.added += 1
            book.flush()
        return counts
