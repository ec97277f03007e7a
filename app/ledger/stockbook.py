"""Balances of one location held in memory for one write transaction, with its movements.

Counts and pickup steps of one push batch share a book, so a count and a pick of the
same item in one batch see each other; :meth:`StockBook.flush` writes movements and
changed balances once, before the batch commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, insert, select, update

from app.domain.stock import Bucket, MovementKind, available_to_promise
from app.ledger.models import StockBalance, StockMovement, table_of
from app.ledger.sql_lists import one_of_param
from app.ledger.writes import WriteBatch
from app.sync.protocol import Scope

balances = table_of(StockBalance)
movements = table_of(StockMovement)


@cache
def balances_of(dialect: str) -> Select[Any]:
    """The balances at ``locations`` of the items ``ids`` (built once per database kind)."""
    return select(balances).where(
        one_of_param(dialect, balances.c.location_id, "locations"),
        one_of_param(dialect, balances.c.item_id, "ids"),
    )


@dataclass
class Balance:
    id: int
    location_id: int
    item_id: int
    bucket: str
    on_hand: int
    reserved: int
    safety_stock: int
    count_due: bool = False  # not found: nothing to promise until counted (reasons.py)

    def stock_row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "bucket": self.bucket,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
            "safety_stock": self.safety_stock,
            "count_due": int(self.count_due),
        }

    def network_row(self) -> dict[str, Any]:
        available = available_to_promise(
            self.on_hand, self.reserved, self.safety_stock, count_due=self.count_due
        )
        return {
            "id": self.id,
            "location_id": self.location_id,
            "item_id": self.item_id,
            "available": available,
        }


class StockBook:
    """The balances of ``location_id`` touched by one transaction."""

    def __init__(self, conn: Connection, batch: WriteBatch, location_id: int) -> None:
        self.conn = conn
        self.batch = batch
        self.location_id = location_id
        self.balances: dict[tuple[int, str], Balance] = {}
        self._dirty: set[int] = set()
        self._movements: list[dict[str, Any]] = []
        self._read: set[int] = set()  # items whose balances here were read

    def load(self, item_ids: list[int]) -> None:
        """Read the balances of ``item_ids`` not read yet."""
        wanted = sorted(set(item_ids) - self._read)
        for start in range(0, len(wanted), 500):
            rows = self.conn.execute(
                balances_of(self.conn.dialect.name),
                {"locations": [self.location_id], "ids": wanted[start : start + 500]},
            )
            self.keep_read(wanted[start : start + 500], rows)

    def keep_read(self, item_ids: Iterable[int], rows: Iterable[Any]) -> None:
        """Keep ``rows`` (this location's balance rows, read by the caller) as the
        balances of ``item_ids``, which are then read."""
        self._read.update(item_ids)
        for row in rows:
            bal = Balance(*row)  # columns in field order
            bal.count_due = bool(bal.count_due)
            self.balances.setdefault((bal.item_id, bal.bucket), bal)

    def balance(self, item_id: int, bucket: Bucket = Bucket.SELLABLE) -> Balance:
        """The balance row, read or created (at 0) when it is not held yet."""
        bal = self.balances.get((item_id, bucket.value))
        if bal is None:
            self.load([item_id])
            bal = self.balances.get((item_id, bucket.value))
        if bal is None:
            new_id = self.conn.execute(
                insert(balances)
                .values(
                    location_id=self.location_id,
                    item_id=item_id,
                    bucket=bucket.value,
                    on_hand=0,
                    reserved=0,
                    safety_stock=0,
                )
                .returning(balances.c.id)
            ).scalar_one()
            bal = Balance(new_id, self.location_id, item_id, bucket.value, 0, 0, 0, False)
            self.balances[(item_id, bucket.value)] = bal
        return bal

    def post(
        self,
        item_id: int,
        *,
        quantity: int,
        kind: MovementKind | None,
        reserved: int = 0,
        bucket: Bucket = Bucket.SELLABLE,
        device_id: str | None = None,
        op_id: str | None = None,
        seq: int | None = None,
        base_seq: int | None = None,
    ) -> tuple[Balance, int]:
        """Post a movement (when ``kind``) and a reservation change; emit the stock changes.
        A count gives the ``base_seq`` its station had seen (kept on its movement).

        Returns the balance and the ledger_seq of its stock change.
        """
        bal = self.balance(item_id, bucket)
        seq = seq if seq is not None else self.batch.next_seq()
        if kind is not None:
            self._movements.append(
                {
                    "ledger_seq": seq,
                    "location_id": self.location_id,
                    "item_id": item_id,
                    "bucket": bucket.value,
                    "kind": kind.value,
                    "quantity": quantity,
                    "device_id": device_id,
                    "op_id": op_id,
                    "created_at": self.batch.now,
                    "base_ledger_seq": base_seq,
                }
            )
        bal.on_hand += quantity
        bal.reserved = max(0, bal.reserved + reserved)
        self._changed(bal, seq)
        return bal, seq

    def mark_count_due(self, item_id: int, due: bool) -> None:
        """Set or clear "not found, count it" on the item's sellable balance (when that
        changes it, its stock and network rows are sent again)."""
        bal = self.balance(item_id, Bucket.SELLABLE)
        if bal.count_due == due:
            return
        bal.count_due = due
        self._changed(bal, self.batch.next_seq())

    def _changed(self, bal: Balance, seq: int) -> None:
        self._dirty.add(bal.id)
        self.batch.change(Scope.STOCK, self.location_id, bal.id, bal.stock_row(), seq=seq)
        if bal.bucket == Bucket.SELLABLE.value:
            self.batch.change(Scope.NETWORK_STOCK, self.location_id, bal.id, bal.network_row())

    def write_and_forget(self) -> None:
        """Write what the book holds and read balances afresh from here on: SQL outside
        the book (a new order's reservation) is about to change them."""
        self.flush()
        self.balances.clear()
        self._read.clear()

    def flush(self, *, with_batch: bool = False) -> None:
        """Write the movements and the changed balances. ``with_batch``: the write
        batch is flushed right after, so on PostgreSQL they go in its one round trip."""
        dirty = [b for b in self.balances.values() if b.id in self._dirty]
        self._dirty.clear()
        rows = [
            {"id": b.id, "on_hand": b.on_hand, "reserved": b.reserved, "count_due": b.count_due}
            for b in dirty
        ]
        found, self._movements = self._movements, []
        if with_batch and self.batch.pipelined:
            self.batch.insert_later(movements, found)
            self.batch.update_later(balances, "id", rows)
            return
        if found:
            self.conn.execute(insert(movements), found)
        if rows:
            self.conn.execute(
                update(balances)
                .where(balances.c.id == bindparam("b_id"))
                .values(
                    on_hand=bindparam("b_on_hand"),
                    reserved=bindparam("b_reserved"),
                    count_due=bindparam("b_count_due"),
                ),
                [{f"b_{k}": v for k, v in row.items()} for row in rows],
            )
