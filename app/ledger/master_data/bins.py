"""Shelf bins from a planogram file: where each item sits at each location, home bin first.

**A file replaces the bins of every location it mentions.** That is what a store planner
expects of a planogram: the file for a store is that store's shelves, so a bin of an item
there that the file leaves out is removed (it reaches the stations as a deletion), and a
location the file does not mention keeps its bins as they are. A rank change is a change
of the bin's row; moving an item to another bin is the old bin removed and the new one
added. With ``--skip-bad-rows`` the bad rows are left out like any other, so an item whose
only row was bad loses its bins at that location: fix and import again.

The admin API (``PUT /v1/admin/bins/{location}/{sku}``) replaces the bins of one item at
one location the same way (:class:`BinWriter` with ``item``); an empty list removes them.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from app.domain.master_records import BinRecord
from app.domain.master_rows import MasterKind, RowProblem, same_ranks
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Item, Location, ShelfBin, table_of
from app.ledger.scopes import id_column, row_data, scope_rows
from app.ledger.sql_lists import one_of
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

shelf_bins = table_of(ShelfBin)
locations = table_of(Location)
items = table_of(Item)
CHUNK = 500

Place = tuple[int, int, str]  # (location_id, item_id, bin_code)


class BinWriter:
    """The bins kind of the import (see :class:`~.importing.KindWriter`). ``item``
    (location code, SKU): replace that item's bins only, even with no rows."""

    kind = MasterKind.BINS

    def __init__(self, item: tuple[str, str] | None = None) -> None:
        self._item = item
        self._locations: dict[str, int] = {}
        self._items: dict[str, int] = {}
        self.removed = 0  # bins the last write removed

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        """Unknown locations and SKUs, by line; two bins of an item with one rank."""
        self._locations = dict(conn.execute(select(locations.c.code, locations.c.id)).all())
        skus = sorted({rec.sku for _, rec in rows} | ({self._item[1]} if self._item else set()))
        for start in range(0, len(skus), CHUNK):
            chunk = skus[start : start + CHUNK]
            found = conn.execute(select(items.c.sku, items.c.id).where(items.c.sku.in_(chunk)))
            self._items.update((sku, int(item_id)) for sku, item_id in found)
        problems = same_ranks(rows)
        if self._item is not None:
            problems += [RowProblem(1, *p) for p in [self._problem(*self._item)] if p]
        for line, rec in rows:
            problem = self._problem(rec.location, rec.sku)
            if problem:
                problems.append(RowProblem(line, *problem))
        return problems

    def _problem(self, location: str, sku: str) -> tuple[str, str] | None:
        if location not in self._locations:
            return f"There is no location {location}.", "Import the locations first."
        if sku not in self._items:
            return f"There is no item {sku}.", "Import the items first."
        return None

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        wanted: dict[Place, int] = {}
        for _, rec in rows:
            wanted[self._place(rec)] = rec.rank
        have = self._have(conn, rows)
        counts = Counts()
        new = [p for p in wanted if p not in have]
        moved = [(have[p][0], wanted[p]) for p in wanted if p in have and have[p][1] != wanted[p]]
        gone = [(p[0], have[p][0]) for p in have if p not in wanted]
        counts.added, counts.changed = len(new), len(moved)
        counts.unchanged = len(wanted) - len(new) - len(moved)
        self.removed = len(gone)
        if gone:
            counts.notes.append(f"{len(gone)} bin(s) the file leaves out removed")
        added_ids = self._insert(conn, new, wanted)
        if moved:
            conn.execute(
                update(shelf_bins)
                .where(shelf_bins.c.id == bindparam("b_id"))
                .values(sort_order=bindparam("b_order")),
                [{"b_id": bin_id, "b_order": rank} for bin_id, rank in moved],
            )
        for start in range(0, len(gone), CHUNK):
            ids = [bin_id for _, bin_id in gone[start : start + CHUNK]]
            conn.execute(delete(shelf_bins).where(shelf_bins.c.id.in_(ids)))
        self._send(conn, batch, added_ids + [bin_id for bin_id, _ in moved], gone)
        return counts

    def _place(self, rec: BinRecord) -> Place:
        return (self._locations[rec.location], self._items[rec.sku], rec.bin_code)

    def _have(self, conn: Connection, rows: Rows) -> dict[Place, tuple[int, int]]:
        """(id, sort_order) of the bins the write replaces: every bin of each location
        in the file, or of the one item."""
        c = shelf_bins.c
        stmt = select(c.id, c.location_id, c.item_id, c.bin_code, c.sort_order)
        if self._item is not None:
            code, sku = self._item
            stmt = stmt.where(c.location_id == self._locations[code], c.item_id == self._items[sku])
        else:
            places = sorted({self._locations[rec.location] for _, rec in rows})
            if not places:
                return {}
            stmt = stmt.where(one_of(conn, c.location_id, places))
        return {
            (int(loc), int(item), str(code)): (int(bin_id), int(order))
            for bin_id, loc, item, code, order in conn.execute(stmt)
        }

    def _insert(self, conn: Connection, new: list[Place], wanted: dict[Place, int]) -> list[int]:
        ids: list[int] = []
        for start in range(0, len(new), CHUNK):
            values = [
                {"location_id": p[0], "item_id": p[1], "bin_code": p[2], "sort_order": wanted[p]}
                for p in new[start : start + CHUNK]
            ]
            found = conn.execute(insert(shelf_bins).returning(shelf_bins.c.id), values)
            ids += [int(i) for i in found.scalars()]
        return ids

    def _send(
        self, conn: Connection, batch: WriteBatch, changed: list[int], gone: list[tuple[int, int]]
    ) -> None:
        """A change row for each bin added or changed, and a deletion for each removed,
        to the stations of its location."""
        key = id_column(Scope.SHELF_BINS)
        sent: list[tuple[int, int, dict[str, Any] | None]] = [
            (loc, bin_id, None) for loc, bin_id in gone
        ]
        ordered = sorted(changed)
        for start in range(0, len(ordered), CHUNK):
            stmt = scope_rows(Scope.SHELF_BINS, None).add_columns(shelf_bins.c.location_id)
            stmt = stmt.where(key.in_(ordered[start : start + CHUNK]))
            for row in conn.execute(stmt):
                sent.append((int(row[-1]), int(row[0]), row_data(row[:-1], Scope.SHELF_BINS)))
        by_location: dict[int, list[tuple[int, dict[str, Any] | None]]] = defaultdict(list)
        for loc, bin_id, data in sent:
            by_location[loc].append((bin_id, data))
        for loc in sorted(by_location):
            for bin_id, data in sorted(by_location[loc], key=lambda b: b[0]):
                batch.change(Scope.SHELF_BINS, loc, bin_id, data)
