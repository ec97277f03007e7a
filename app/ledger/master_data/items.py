"""Items: added or changed by SKU, in bulk; one change row per item that changed.

New items go in with :func:`app.ledger.bulk.bulk_insert` (COPY on PostgreSQL, raw
executemany on SQLite) and changed ones with one executemany per chunk, so a 200,000-row
catalog imports in seconds. An unchanged row writes nothing and sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update

from app.domain.master_records import ItemRecord
from app.domain.master_rows import MasterKind, RowProblem, same_gtins
from app.errors import NotFound
from app.ledger.bulk import bulk_insert
from app.ledger.db import reader
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Item, table_of
from app.ledger.writes import WriteBatch
from app.sync.protocol import SCOPE_COLUMNS, Scope

items = table_of(Item)
CHUNK = 5000
# The columns an item row sets, as the records name them (final_sale -> returnable).
_COLUMNS = (
    "gtin", "name", "price_minor", "currency", "category", "hsn_code", "gst_rate_bp",
    "weight_g", "length_mm", "width_mm", "height_mm", "return_category", "return_days",
    "returnable",
)  # fmt: skip


# The catalog scope's columns a written row carries as they are (id, returnable: mapped).
_SCOPE_SOURCES = tuple(c for c in SCOPE_COLUMNS[Scope.CATALOG] if c not in ("id", "returnable"))


def _values(record: ItemRecord) -> tuple[Any, ...]:
    return (
        record.gtin, record.name, record.price_minor, record.currency, record.category,
        record.hsn_code, record.gst_rate_bp, record.weight_g, record.length_mm,
        record.width_mm, record.height_mm, record.return_category, record.return_days,
        not record.final_sale,
    )  # fmt: skip


def _gtin_key(gtin: str) -> str:
    return gtin.zfill(14)  # a GTIN-13 and its GTIN-14 padding name one product


class ItemWriter:
    """The items kind of the import (see :class:`~.importing.KindWriter`)."""

    kind = MasterKind.ITEMS

    def __init__(self) -> None:
        self._have: dict[str, tuple[int, tuple[Any, ...]]] = {}  # sku -> (id, values)
        self._sku_of: dict[int, str] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        """GTINs shared within the file or held by another item on the ledger."""
        cols = [items.c[c] for c in _COLUMNS]
        owner: dict[str, str] = {}
        for row in conn.execute(select(items.c.id, items.c.sku, *cols)):
            values = tuple(row[2:])
            self._have[row.sku] = (row.id, (*values[:-1], bool(values[-1])))
            owner[_gtin_key(row.gtin)] = row.sku
            self._sku_of[row.id] = row.sku
        problems = same_gtins(rows)
        for line, item in rows:
            other = owner.get(_gtin_key(item.gtin))
            if other is not None and other != item.sku:
                problems.append(
                    RowProblem(
                        line,
                        f"GTIN {item.gtin} belongs to {other} on the ledger.",
                        f"Check the GTIN of {item.sku}; each item has its own.",
                    )
                )
        return problems

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        changed_prices: list[str] = []
        for _, item in rows:
            values = _values(item)
            have = self._have.get(item.sku)
            if have is None:
                new.append({"sku": item.sku, **dict(zip(_COLUMNS, values, strict=True))})
            elif have[1] != values:
                changed.append({"b_id": have[0], **dict(zip(_COLUMNS, values, strict=True))})
                if have[1][2] != item.price_minor:
                    changed_prices.append(item.sku)
            else:
                counts.unchanged += 1
        if new:
            last = conn.execute(select(items.c.id).order_by(items.c.id.desc()).limit(1)).scalar()
            for start in range(0, len(new), CHUNK * 10):
                bulk_insert(conn, items, new[start : start + CHUNK * 10])
            added = select(items.c.sku, items.c.id).where(items.c.id > (last or 0))
            new_ids = {sku: item_id for sku, item_id in conn.execute(added)}
            for row in new:
                row["b_id"] = new_ids[row["sku"]]
        stmt = update(items).where(items.c.id == bindparam("b_id"))
        for start in range(0, len(changed), CHUNK):
            conn.execute(stmt, changed[start : start + CHUNK])
        for row in changed:
            row["sku"] = self._sku_of[row["b_id"]]
        for row in sorted(new + changed, key=_id_of):
            batch.change(Scope.CATALOG, None, row["b_id"], _catalog_row(row))
        counts.added, counts.changed = len(new), len(changed)
        if changed_prices:
            counts.notes.append(f"{len(changed_prices)} price change(s)")
        return counts


def _id_of(row: dict[str, Any]) -> int:
    return int(row["b_id"])


def _catalog_row(row: dict[str, Any]) -> dict[str, Any]:
    """A written row as the catalog scope shows it (what ``scopes.scope_rows`` would read
    back, without reading it back: an import feeds 200,000 rows)."""
    data = {c: row[c] for c in _SCOPE_SOURCES}
    data["id"] = row["b_id"]
    data["returnable"] = 1 if row["returnable"] else 0
    return data


@dataclass(frozen=True)
class ItemOut(ItemRecord):
    """An item as the admin API shows it: its record and its id on the ledger."""

    id: int


def item_view(engine: Engine, sku: str) -> ItemOut:
    """One item by SKU; ``NotFound`` when the ledger has none."""
    cols = [items.c[c] for c in _COLUMNS]
    with reader(engine).connect() as conn:
        row = conn.execute(
            select(items.c.id, items.c.sku, *cols).where(items.c.sku == sku.strip().upper())
        ).first()
    if row is None:
        raise NotFound(f"There is no item {sku}.", next_step="Check the SKU, or add the item.")
    values = dict(zip(_COLUMNS, row[2:], strict=True))
    final_sale = not values.pop("returnable")
    return ItemOut(id=row.id, sku=row.sku, final_sale=final_sale, **values)
