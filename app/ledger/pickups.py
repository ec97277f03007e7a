"""Applying ``pickup.*`` operations within one push transaction.

Each operation runs the same pure rule as the station (:mod:`app.domain.pickup`) on the
ledger's current view of the fulfilment order, as a step already recorded at a counter:
physical facts (pick, handover, put-back, receipt) are applied and flagged when they do
not add up (units picked or handed over beyond the order). A refused intention comes
back as ``rejected`` with the rule's words and nothing written; an applied step writes
its outcome (see :func:`app.ledger.pickup_rows.save`).
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.domain import pickup as rules
from app.domain.exception_texts import (
    HANDED_OVER_BEYOND_ORDER,
    PICKED_AFTER_MOVE,
    PICKED_BEYOND_ORDER,
    RECEIVED_BEYOND_TRANSFER,
    item_in_words,
)
from app.domain.fulfilment import FulfilmentState
from app.domain.pickup import Outcome, PickupOrder
from app.domain.pickup_effects import handed_beyond, picked_beyond
from app.domain.pickup_ops import (
    PickupHandover,
    PickupPayload,
    PickupPick,
    PickupReceive,
    PickupRestock,
)
from app.domain.pickup_transfer import received_beyond
from app.domain.reasons import ReasonUse
from app.domain.stock import MovementKind
from app.errors import KnownError
from app.ledger.devices import DeviceRef
from app.ledger.flags import close_exception
from app.ledger.outcomes import applied, rejected
from app.ledger.pickup_rows import Held, load, location_rules, picked_beyond_flags, save
from app.ledger.reasons import apply_effect
from app.ledger.step_poster import StepPoster
from app.ledger.step_record import open_order_exception as open_pickup_exception
from app.ledger.step_record import units_in_words
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import OpResult, PushOp

PICKED_BEYOND = PICKED_BEYOND_ORDER


def _beyond_due(restocked: PickupRestock, outcome: Outcome) -> bool:
    """Whether a put-back holds units the book never saw leave the shelf."""
    moved = sum(e.on_hand for e in outcome.effects if e.kind is MovementKind.RELEASE)
    return sum(line.quantity for line in restocked.lines) > moved


class PickupPoster(StepPoster):
    """Applies the pickup operations of one push batch for one device."""

    def __init__(
        self, conn: Connection, batch: WriteBatch, device: DeviceRef, book: StockBook
    ) -> None:
        super().__init__(conn, batch, device, book)
        # Fulfilment id -> "picked beyond the order" exceptions this batch opened.
        self._picked_beyond: dict[int, list[int]] = {}

    def post(self, op: PushOp, payload: PickupPayload) -> OpResult:
        """Apply one pickup operation, or return why it is refused (nothing is raised)."""
        device = self.device
        if payload.location != device.location_code:
            return rejected(
                op,
                f"This step is for store {payload.location}, but this station belongs to "
                f"{device.location_code}.",
                "Record pickup steps only for orders held at this store.",
            )
        held = load(self.conn, payload.fulfilment_id)
        if held is None or held.location_id != device.location_id:
            return rejected(
                op,
                "This order is not held at this store, so the step was not recorded.",
                "Look the order up with 'Which store has it?' and send the customer there.",
            )
        if held.method != "pickup":
            return rejected(
                op, f"Order {held.order.order_number} is not a store pickup order.", "Check it."
            )
        try:
            outcome = self._rule(op, payload, held)
        except KnownError as exc:
            # the station words a refused step by its cause (exception_texts), naming the order
            return rejected(op, exc.message, exc.next_step or "")
        seq = save(self.conn, self.batch, self.book, held, outcome, self._step(op))
        if isinstance(payload, PickupPick) and payload.reason:
            self._short_effects(held.order, outcome.order, payload.reason, op)
        opened = list(outcome.exceptions)
        if isinstance(payload, PickupPick) and self._flag_picked_beyond(held, payload, op):
            opened.append(PICKED_BEYOND)
        if isinstance(payload, PickupPick) and self._flag_picked_after_move(held, outcome, op):
            opened.append(PICKED_AFTER_MOVE)
        if isinstance(payload, PickupRestock) and _beyond_due(payload, outcome):
            self._close_picked_beyond(held)  # the extra units went back: nothing to do
        if isinstance(payload, PickupReceive) and self._flag_received_beyond(held, payload, op):
            opened.append(RECEIVED_BEYOND_TRANSFER)
        if isinstance(payload, PickupHandover) and self._flag_handed_beyond(held, payload, op):
            opened.append(HANDED_OVER_BEYOND_ORDER)
        return applied(op, seq, opened)

    def _short_effects(
        self, before: PickupOrder, after: PickupOrder, code: str, op: PushOp
    ) -> None:
        """The stock effect of the short's reason (not found, damaged) on each line whose
        short units grew; a reason the ledger does not know changes no stock."""
        reason = self._reason(code, ReasonUse.SHORT_PICK)
        for old, new in zip(before.lines, after.lines, strict=True):
            if new.short > old.short:
                apply_effect(
                    self.book,
                    new.item_id,
                    new.short - old.short,
                    reason,
                    device_id=self.device.device_id,
                    op_id=op.op_id,
                )

    def _flag_picked_beyond(self, held: Held, payload: PickupPick, op: PushOp) -> bool:
        """Units picked beyond the order (often a second station picking it too) are in
        an associate's hands while the book counts them on the shelf: a person must put
        them back. The ledger alone says so, once for the operation (a station replaying
        its pending picks opens nothing)."""
        beyond = picked_beyond(held.order, payload.lines)
        if not beyond:
            return False
        opened = open_pickup_exception(
            self.conn, self.batch, held.location_id, PICKED_BEYOND,
            held.order.order_number, op.op_id, units=units_in_words(held.order.lines, beyond),
        )  # fmt: skip
        self._picked_beyond.setdefault(held.order.id, []).append(opened)
        return True

    def _flag_picked_after_move(self, held: Held, outcome: Outcome, op: PushOp) -> bool:
        """A pick of an order moved to another store meanwhile happened: its units are in
        an associate's hands and due back on the shelf (a put-back task at the store)."""
        if held.order.state is not FulfilmentState.REROUTED:
            return False
        due = {
            new.sku: new.picked - old.picked
            for old, new in zip(held.order.lines, outcome.order.lines, strict=True)
            if new.picked > old.picked
        }
        if not due:
            return False
        open_pickup_exception(
            self.conn, self.batch, held.location_id, PICKED_AFTER_MOVE,
            held.order.order_number, op.op_id, units=units_in_words(held.order.lines, due),
        )  # fmt: skip
        return True

    def _close_picked_beyond(self, held: Held) -> None:
        """Close the "put back what was picked beyond the order" flags this station's
        picks opened on ``held``: a later step of the same station settled them."""
        for stale in self._picked_beyond.pop(held.order.id, []) + picked_beyond_flags(
            self.conn, self.device.device_id, held.order.order_number
        ):
            close_exception(self.conn, self.batch, stale)

    def _flag_received_beyond(self, held: Held, payload: PickupReceive, op: PushOp) -> bool:
        """Units scanned in beyond what the transfer carries moved nothing: a lead counts
        the item (one exception per item)."""
        beyond = received_beyond(held.order, payload.lines)
        self._flag_each_item(held, RECEIVED_BEYOND_TRANSFER, beyond, op)
        return bool(beyond)

    def _flag_handed_beyond(self, held: Held, payload: PickupHandover, op: PushOp) -> bool:
        """Units handed over beyond what the order still held (a second station handing
        the same order over offline) left the store unbooked: a lead must count them."""
        beyond = handed_beyond(held.order, payload.lines)
        if beyond:  # the units this station picked beyond the order were handed over
            self._close_picked_beyond(held)
        self._flag_each_item(held, HANDED_OVER_BEYOND_ORDER, beyond, op)
        return bool(beyond)

    def _flag_each_item(self, held: Held, kind: str, units_of: dict[str, int], op: PushOp) -> None:
        """One ``kind`` exception per item of ``units_of`` (SKU -> units), naming it, so
        the store counts the right shelf."""
        for sku, units in units_of.items():
            words = units_in_words(held.order.lines, {sku: units})
            open_pickup_exception(
                self.conn, self.batch, held.location_id, kind,
                held.order.order_number, op.op_id, units=words,
                sku=sku, item=item_in_words(held.order.line(sku).name, sku),
            )  # fmt: skip

    def _rule(self, op: PushOp, payload: PickupPayload, held: Held) -> Outcome:
        hold_days, bins = location_rules(self.conn, held.location_id)
        context = rules.StepContext(
            now=self.batch.now,
            hold_days=hold_days,
            bins=bins,
            staff=self._actor(op),
            device_time=op.device_time.isoformat(),
            recorded=True,
        )
        return rules.apply_step(held.order, payload, context)
