"""Reading items and stock from the cache: lookups by GTIN, SKU and name words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.storage.models import Item, Location, NetworkStock, PendingStock, StockBase


@dataclass(frozen=True)
class ItemRow:
    id: int
    sku: str
    gtin: str
    name: str
    price_minor: int
    currency: str
    category: str


@dataclass(frozen=True)
class BucketRow:
    bucket: str
    on_hand: int  # base + pending
    reserved: int
    safety_stock: int
    pending: int


@dataclass(frozen=True)
class NetworkRow:
    location_code: str
    location_name: str
    city: str
    latitude: float | None
    longitude: float | None
    available: int


_ITEM_COLUMNS = (
    Item.id,
    Item.sku,
    Item.gtin,
    Item.name,
    Item.price_minor,
    Item.currency,
    Item.category,
)


def _item_rows(rows: Sequence[tuple[object, ...]]) -> list[ItemRow]:
    return [
        ItemRow(
            id=int(r[0]),  # type: ignore[call-overload]
            sku=str(r[1]),
            gtin=str(r[2] or ""),
            name=str(r[3]),
            price_minor=int(r[4]),  # type: ignore[call-overload]
            currency=str(r[5]),
            category=str(r[6] or ""),
        )
        for r in rows
    ]


def by_gtin(session: Session, gtins: Sequence[str]) -> list[ItemRow]:
    rows = session.execute(select(*_ITEM_COLUMNS).where(Item.gtin.in_(gtins))).all()
    return _item_rows([tuple(r) for r in rows])


def by_sku(session: Session, sku: str) -> list[ItemRow]:
    rows = session.execute(select(*_ITEM_COLUMNS).where(Item.sku == sku)).all()
    if not rows:
        rows = session.execute(
            select(*_ITEM_COLUMNS).where(func.upper(Item.sku) == sku.upper()).limit(5)
        ).all()
    return _item_rows([tuple(r) for r in rows])


def by_id(session: Session, item_id: int) -> ItemRow | None:
    rows = session.execute(select(*_ITEM_COLUMNS).where(Item.id == item_id)).all()
    found = _item_rows([tuple(r) for r in rows])
    return found[0] if found else None


_WORD = re.compile(r"\w+", re.UNICODE)


def by_name_words(session: Session, query: str, limit: int) -> list[ItemRow]:
    """Items whose name has a word starting with each word of ``query``."""
    words = _WORD.findall(query)
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)
    rows = session.execute(
        text(
            "SELECT i.id, i.sku, i.gtin, i.name, i.price_minor, i.currency, i.category "
            "FROM items_fts JOIN items AS i ON i.id = items_fts.rowid "
            "WHERE items_fts MATCH :match ORDER BY i.name LIMIT :limit"
        ),
        {"match": match, "limit": limit},
    ).all()
    return _item_rows([tuple(r) for r in rows])


def buckets(session: Session, item_ids: Sequence[int]) -> dict[int, list[BucketRow]]:
    """Stock per bucket of each item: confirmed base plus pending local effects."""
    if not item_ids:
        return {}
    base = session.execute(
        select(
            StockBase.item_id,
            StockBase.bucket,
            func.sum(StockBase.on_hand),
            func.sum(StockBase.reserved),
            func.sum(StockBase.safety_stock),
        )
        .where(StockBase.item_id.in_(item_ids))
        .group_by(StockBase.item_id, StockBase.bucket)
    ).all()
    pending = session.execute(
        select(PendingStock.item_id, PendingStock.bucket, func.sum(PendingStock.delta))
        .where(PendingStock.item_id.in_(item_ids))
        .group_by(PendingStock.item_id, PendingStock.bucket)
    ).all()
    merged: dict[tuple[int, str], list[int]] = {}
    for item_id, bucket, on_hand, reserved, safety in base:
        merged[(item_id, bucket)] = [int(on_hand), int(reserved), int(safety), 0]
    for item_id, bucket, delta in pending:
        entry = merged.setdefault((item_id, bucket), [0, 0, 0, 0])
        entry[3] += int(delta)
    out: dict[int, list[BucketRow]] = {}
    for (item_id, bucket), (on_hand, reserved, safety, delta) in merged.items():
        out.setdefault(item_id, []).append(
            BucketRow(
                bucket=bucket,
                on_hand=on_hand + delta,
                reserved=reserved,
                safety_stock=safety,
                pending=delta,
            )
        )
    return out


def network(session: Session, item_id: int) -> list[NetworkRow]:
    rows = session.execute(
        select(
            Location.code,
            Location.name,
            Location.city,
            Location.latitude,
            Location.longitude,
            NetworkStock.available,
        )
        .join(Location, Location.id == NetworkStock.location_id)
        .where(NetworkStock.item_id == item_id)
    ).all()
    return [
        NetworkRow(
            location_code=r[0],
            location_name=r[1],
            city=r[2] or "",
            latitude=r[3],
            longitude=r[4],
            available=int(r[5]),
        )
        for r in rows
    ]


def location(session: Session, code: str) -> Location | None:
    return session.scalars(select(Location).where(Location.code == code)).first()
