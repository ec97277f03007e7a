"""Applying ``stock.count`` operations (conflict rule 3) within one push transaction.

A count says "observed N at base_ledger_seq". The ledger posts observed − book, where the
book is what the station saw: every movement up to base_ledger_seq plus this device's own
movements after it. Movements by others after base_ledger_seq (sales, picks, receipts)
are not in that book, so they survive the count. Counts by others after the base are not
kept as movements: the newer count of a shelf supersedes the older one. The rule and
worked examples are in :mod:`app.domain.counting`.

A count whose base the ledger cannot vouch for (base 0 while the shelf has history, or a
base beyond the ledger's head, seen on a timeline a restore lost) sets the shelf to what
was counted and opens a ``count_needs_check`` exception, instead of posting a difference
against a book nobody saw.
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.domain.counting import CountPosting, LaterMove, base_vouched, post_count, set_to_counted
from app.domain.exception_texts import COUNT_NEEDS_CHECK, OVERSELL, Subject, item_in_words
from app.domain.operations import StockCount
from app.domain.stock import Bucket, MovementKind
from app.ledger.approvals import approved_by
from app.ledger.count_reads import CountReads, CountWant, ItemRef, prepare_counts
from app.ledger.devices import DeviceRef
from app.ledger.flags import open_worded_exception
from app.ledger.outcomes import applied, rejected
from app.ledger.stockbook import Balance, StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp


class CountPoster:
    """Posts the counts of one push batch; balances stay in memory until :meth:`flush`."""

    def __init__(
        self,
        conn: Connection,
        batch: WriteBatch,
        device: DeviceRef,
        want: CountWant,
        *,
        reads: CountReads | None = None,
    ) -> None:
        """``want``: what the batch's counts read (:func:`counts_wanted`); ``reads``:
        what was read for a group of pushes this one is part of, else it reads its own."""
        self.conn = conn
        self.batch = batch
        self.device = device
        if reads is None:
            reads = prepare_counts(conn, [want])
        self._items = reads.items
        self.book = StockBook(conn, batch, device.location_id)
        ids = {ref.id for ref in self._items.values()}
        self.book.keep_read(ids, reads.balances.get(device.location_id, ()))
        # Movements by others after the batch's oldest base, by (item_id, bucket), in seq order.
        self._others = reads.others_for(want)
        self._head: int | None = None

    def _others_after(self, item_id: int, bucket: Bucket, base_seq: int) -> list[LaterMove]:
        """Movements by others since ``base_seq``, which the station could not have seen."""
        moved = self._others.get((item_id, bucket.value), ())
        return [move for move in moved if move.seq > base_seq]

    def _ledger_head(self) -> int:
        """The last ledger_seq committed before this push."""
        if self._head is None:
            self._head = self.batch.head()
        return self._head

    def _decide(self, op: PushOp, count: StockCount, item_id: int, on_hand: int) -> CountPosting:
        """What the count posts: by rule 3, or set to what was counted when the ledger
        cannot vouch for its base."""
        later = self._others_after(item_id, count.bucket, op.base_ledger_seq)
        if not base_vouched(op.base_ledger_seq, self._ledger_head(), bool(later)):
            return set_to_counted(count.observed, on_hand)
        return post_count(count.observed, on_hand, later)

    def post(self, op: PushOp, count: StockCount) -> OpResult:
        """Apply one count, or return why it is refused (nothing is raised)."""
        device = self.device
        if count.location != device.location_code:
            return rejected(
                op,
                f"This count is for location {count.location}, but this station belongs to "
                f"{device.location_code}. A station can only count its own store's stock.",
                "Count the item again at this store, or ask the other store to count it.",
            )
        item = self._items.get(count.sku)
        if item is None:
            return rejected(
                op,
                f"Item {count.sku} is not in the catalog, so its count was not recorded.",
                "Scan the barcode again; if it is still unknown, set the item aside and "
                "tell your lead.",
            )
        bal = self.book.balance(item.id, count.bucket)
        was = bal.on_hand
        decided = self._decide(op, count, item.id, was)
        posted = decided.posted
        bal, seq = self.book.post(
            item.id,
            quantity=posted,
            kind=MovementKind.COUNT,
            bucket=count.bucket,
            device_id=device.device_id,
            op_id=op.op_id,
            base_seq=op.base_ledger_seq,
        )
        if count.bucket is Bucket.SELLABLE:  # counted: it can be promised again
            self.book.mark_count_due(item.id, False)
        opened: list[str] = []
        if decided.unvouched:
            self._open_needs_check(op, item, count, was)
            opened.append(COUNT_NEEDS_CHECK)
        if count.bucket is Bucket.SELLABLE and posted < 0 and bal.on_hand < bal.reserved:
            self._open_oversell(op, item, bal)
            opened.append(OVERSELL)
        self.batch.audit(
            actor=op.actor or f"device:{device.device_id}",
            approver=approved_by(self.conn, self.batch, self.device, op),
            action=op.type,
            subject={
                "op_id": op.op_id,
                "device_id": device.device_id,
                "location": device.location_code,
                "sku": item.sku,
                "bucket": count.bucket.value,
                "observed": count.observed,
                "base": op.base_ledger_seq,
                "book": decided.book,
                "posted": posted,
                "ledger_seq": seq,
                **_supersede_words(decided),
                **({"first_count": count.first_count} if count.first_count is not None else {}),
                **({"reason": count.reason} if count.reason else {}),
            },
        )
        return applied(op, seq, opened)

    def _open_oversell(self, op: PushOp, item: ItemRef, bal: Balance) -> None:
        counted = f"It has {bal.on_hand} on hand and {bal.reserved} reserved."
        open_worded_exception(
            self.conn,
            self.batch,
            location_id=bal.location_id,
            kind=OVERSELL,
            subject=Subject(item=item_in_words(item.name, item.sku), detail=counted),
            op_id=op.op_id,
            sku=item.sku,
        )

    def _open_needs_check(self, op: PushOp, item: ItemRef, count: StockCount, was: int) -> None:
        where = "" if count.bucket is Bucket.SELLABLE else f" ({count.bucket.value})"
        detail = (
            f"Counted {count.observed}{where}, but the ledger could not tell what the shelf "
            f"held when it was counted, so it now says {count.observed} on hand "
            f"(it said {was})."
        )
        open_worded_exception(
            self.conn,
            self.batch,
            location_id=self.device.location_id,
            kind=COUNT_NEEDS_CHECK,
            subject=Subject(item=item_in_words(item.name, item.sku), detail=detail),
            op_id=op.op_id,
            sku=item.sku,
        )

    def flush(self, *, with_batch: bool = False) -> None:
        """Write the batch's movements and changed balances (see StockBook.flush)."""
        self.book.flush(with_batch=with_batch)


def _supersede_words(decided: CountPosting) -> dict[str, object]:
    """The audit's note of the counts this one replaced, or the newer one that stood."""
    if decided.unvouched:
        return {"unvouched": True}
    if decided.newer_count is not None:
        return {"newer_count": decided.newer_count}
    return {"superseded": list(decided.superseded)} if decided.superseded else {}
