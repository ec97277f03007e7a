"""Walk-in sales from the till system, kept as orders so they can be returned like any.

A till sale becomes an order (channel ``store``, method ``walkin``) whose number is the
receipt number, its lines at the price paid, and a ``till_receipts`` row with the store,
the payment method and the digest of the sale. It moves no stock: the till already sold
the units off the shelf, and the store's book learns of shelf sales by its counts
(DESIGN §4 rule 3: a count is posted against the book at its base), not from here. No
reservation, no fulfilment order, nothing for a station to pick.

The same receipt again is answered as before and changes nothing; another sale under a
receipt number already used is refused (409) with what to do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, insert, select

from app.domain.master_rows import MasterKind, RowProblem
from app.domain.till_receipts import receipts_of, whole_receipts
from app.domain.till_sales import TillSale, sale_digest, stored_time
from app.errors import BadInput, NotFound, RuleRefused
from app.ledger.master_data.importing import Counts, Rows
from app.ledger.models import Item, Location, Order, OrderLine, TillReceipt, table_of
from app.ledger.returns.sold_rows import publish_sold
from app.ledger.writes import WriteBatch, utcnow
from app.sync.return_orders import SaleRecorded

orders = table_of(Order)
order_lines = table_of(OrderLine)
receipts = table_of(TillReceipt)
items = table_of(Item)
locations = table_of(Location)

WALKIN = "walkin"


class ReceiptTaken(RuleRefused):
    """Another sale already holds this receipt number."""

    code = "receipt_taken"


@dataclass(frozen=True)
class Store:
    id: int
    code: str
    kind: str
    zone: ZoneInfo


@dataclass(frozen=True)
class Priced:
    id: int
    price_minor: int


def take_sale(engine: Engine, sale: TillSale, *, by: str = "till") -> SaleRecorded:
    """Keep ``sale`` as an order (or answer the one kept for its receipt before)."""
    with engine.begin() as conn:
        store = _store(conn, sale.location)
        batch = WriteBatch(conn, locations=[store.id])
        sold_at = stored_time(sale.sold_at, store.zone, batch.now)
        digest = sale_digest(sale, sold_at)
        held = held_digests(conn, [sale.receipt])
        if sale.receipt in held:
            if held[sale.receipt] != digest:
                raise _taken(sale.receipt, held[sale.receipt])
            return answer(sale, sold_at)
        known = priced_items(conn, [line.sku for line in sale.lines])
        unknown = sorted({line.sku for line in sale.lines} - known.keys())
        if unknown:
            raise NotFound(
                f"Receipt {sale.receipt}: unknown SKU(s) {', '.join(unknown)}.",
                next_step="Import the items first, or correct the till's SKUs.",
            )
        insert_sale(conn, batch, sale, store, known, sold_at=sold_at, digest=digest, by=by)
        batch.audit(
            actor=f"till:{by}",
            approver=None,
            action="sale.recorded",
            subject={"receipt": sale.receipt, "location": store.code, "total": sale.total_minor},
        )
        batch.flush()
    return answer(sale, sold_at)


def answer(sale: TillSale, sold_at: datetime) -> SaleRecorded:
    return SaleRecorded(
        order_number=sale.receipt,
        location=sale.location,
        sold_at=sold_at,
        payment=sale.payment,  # type: ignore[arg-type]  # checked by TillSaleIn / the row
        lines=len(sale.lines),
        total_minor=sale.total_minor,
    )


def insert_sale(
    conn: Connection,
    batch: WriteBatch,
    sale: TillSale,
    store: Store,
    known: dict[str, Priced],
    *,
    sold_at: datetime,
    digest: str,
    by: str,
    source: str = "api",
) -> None:
    """The order, its lines and its till receipt (the order's time is the time of sale)."""
    order_id = conn.execute(
        insert(orders)
        .values(
            order_number=sale.receipt,
            channel="store",
            method=WALKIN,
            customer_name=sale.name,
            customer_phone=sale.phone,
            customer_email=sale.email,
            total_minor=sale.total_minor,
            created_at=sold_at,
        )
        .returning(orders.c.id)
    ).scalar_one()
    conn.execute(
        insert(order_lines),
        [
            {
                "order_id": order_id,
                "item_id": known[line.sku].id,
                "sku": line.sku,
                "quantity": line.quantity,
                "price_minor": known[line.sku].price_minor,
                "paid_minor": line.unit_paid_minor,
            }
            for line in sale.lines
        ],
    )
    conn.execute(
        insert(receipts).values(
            order_id=order_id,
            location_id=store.id,
            payment=sale.payment,
            digest=digest,
            source=source,
            received_by=by,
            received_at=batch.now,
        )
    )
    publish_sold(conn, batch, [order_id])  # the store's stations keep it for returns


def _store(conn: Connection, code: str) -> Store:
    found = stores(conn, [code])
    if code not in found:
        raise NotFound(f"There is no location {code}.", next_step="Check the till's store code.")
    store = found[code]
    if store.kind != "store":
        raise RuleRefused(
            f"{code} is a {store.kind.replace('_', ' ')}, not a store: it has no till.",
            next_step="Send the sale with the code of the store that sold it.",
        )
    return store


def stores(conn: Connection, codes: Iterable[str]) -> dict[str, Store]:
    c = locations.c
    rows = conn.execute(
        select(c.id, c.code, c.kind, c.timezone).where(c.code.in_(sorted(set(codes))))
    )
    return {r.code: Store(r.id, r.code, r.kind, ZoneInfo(r.timezone)) for r in rows}


def priced_items(conn: Connection, skus: Iterable[str]) -> dict[str, Priced]:
    c = items.c
    rows = conn.execute(select(c.id, c.sku, c.price_minor).where(c.sku.in_(sorted(set(skus)))))
    return {r.sku: Priced(r.id, r.price_minor) for r in rows}


def held_digests(conn: Connection, numbers: Iterable[str]) -> dict[str, str]:
    """Order number -> the digest of its till sale ("" for an order from another channel)."""
    rows = conn.execute(
        select(orders.c.order_number, receipts.c.digest)
        .select_from(orders.outerjoin(receipts, receipts.c.order_id == orders.c.id))
        .where(orders.c.order_number.in_(sorted(set(numbers))))
    )
    return {number: digest or "" for number, digest in rows}


def _taken(receipt: str, held: str) -> ReceiptTaken:
    if not held:
        return ReceiptTaken(
            f"{receipt} is the number of an order from another channel; the sale was not taken in.",
            next_step="Give the till's receipts numbers no web or marketplace order uses "
            "(e.g. with the store's code in front).",
        )
    return ReceiptTaken(
        f"Receipt {receipt} was taken in before with other lines, store, time, payment or "
        "customer; nothing was changed.",
        next_step="Send the receipt exactly as before, or give a new sale its own receipt number.",
    )


class SaleWriter:
    """The ``sales`` kind of the import (see :class:`~app.ledger.master_data.importing.
    KindWriter`): one row per receipt line; a receipt is taken in whole or not at all."""

    kind = MasterKind.SALES

    def __init__(self) -> None:
        self._stores: dict[str, Store] = {}
        self._items: dict[str, Priced] = {}
        self._held: dict[str, str] = {}

    def check(self, conn: Connection, rows: Rows) -> list[RowProblem]:
        found, problems = receipts_of(rows)
        self._stores = stores(conn, [sale.location for _, sale in found])
        self._items = priced_items(conn, [row.line.sku for _, row in rows])
        self._held = held_digests(conn, [sale.receipt for _, sale in found])
        problems += [
            RowProblem(line, f"There is no item {row.line.sku}.", "Import the items first.")
            for line, row in rows
            if not row.problem and row.line.sku not in self._items
        ]
        bad = {p.line for p in problems}
        for lines, sale in found:
            if bad.intersection(lines):
                continue
            said = self._receipt_problem(sale)
            problems += [RowProblem(n, *said) for n in lines] if said else []
        bad = {p.line for p in problems}
        return problems + whole_receipts(found, bad)

    def _receipt_problem(self, sale: TillSale) -> tuple[str, str] | None:
        store = self._stores.get(sale.location)
        if store is None:
            return f"There is no location {sale.location}.", "Check the till's store code."
        if store.kind != "store":
            return f"{sale.location} is not a store: it has no till.", "Use the store's code."
        try:
            sold_at = stored_time(sale.sold_at, store.zone, utcnow())
        except BadInput as exc:  # a time of sale later than now
            return exc.message, exc.next_step
        held = self._held.get(sale.receipt)
        if held is not None and held != sale_digest(sale, sold_at):
            taken = _taken(sale.receipt, held)
            return taken.message, taken.next_step
        return None

    def write(self, conn: Connection, batch: WriteBatch, rows: Rows, actor: str) -> Counts:
        counts = Counts()
        found, _ = receipts_of(rows)
        for _, sale in found:
            if sale.receipt in self._held:
                counts.unchanged += 1
                continue
            store = self._stores[sale.location]
            sold_at = stored_time(sale.sold_at, store.zone, batch.now)
            digest = sale_digest(sale, sold_at)
            insert_sale(
                conn, batch, sale, store, self._items,
                sold_at=sold_at, digest=digest, by=actor, source="import",
            )  # fmt: skip
            counts.added += 1
        return counts
