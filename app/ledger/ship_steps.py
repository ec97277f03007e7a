"""Applying ``ship.*`` operations of a bench within one push transaction.

Each operation runs the same pure rule as the bench (:mod:`app.domain.shipping.steps`)
on the ledger's view of the fulfilment order, as a step already recorded: a pick, an
unpick and a pack happened in the shop and are applied, with what does not add up
flagged (picked after the order was closed centrally: an unpick task, closed by the
unpick; a hand-over without the e-way bill its order needs: an exception, see
:mod:`app.ledger.eway_bills`). A rejection and a label void are intentions: a refused
one comes back ``rejected`` with the rule's words and nothing written. A rejection
applies its reason's stock effect and reroutes the refused units away from every
location that refused the order (:func:`app.ledger.ship_reroute.reroute_lines`; HQ's
exception when nowhere can).
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from app.domain.exception_texts import (
    EWAY_BILL_MISSING,
    INVOICE_REUSED,
    PICKED_AFTER_CLOSE,
    PICKED_BEYOND,
    SSCC_REUSED,
)
from app.domain.reasons import ReasonUse
from app.domain.shipping.eway_bill import eway_bill_digits
from app.domain.shipping.ops import (
    ShipHandover,
    ShipLabelVoid,
    ShipPack,
    ShipPayload,
    ShipPick,
    ShipReject,
    ShipUnpick,
)
from app.domain.shipping.order_view import StepOutcome
from app.domain.shipping.steps import apply_step, unpick_due
from app.errors import KnownError
from app.ledger.approvals import named_lead
from app.ledger.eway_bills import flag_missing_eway_bill
from app.ledger.flags import close_exception
from app.ledger.invoice_blocks import record_invoice
from app.ledger.outcomes import applied, rejected
from app.ledger.parcel_rows import hand_over_parcel, insert_parcel, sscc_taken, void_parcel
from app.ledger.reasons import apply_effect
from app.ledger.ship_reroute import reroute_lines
from app.ledger.ship_rows import ShipHeld, load, save
from app.ledger.step_poster import StepPoster
from app.ledger.step_record import Step, exceptions, units_in_words
from app.sync.protocol import OpResult, PushOp


class ShipPoster(StepPoster):
    """Applies the ship operations of one push batch for one bench."""

    def post(self, op: PushOp, payload: ShipPayload) -> OpResult:
        """Apply one ship operation, or return why it is refused (nothing is raised)."""
        held, refusal = self._held(op, payload)
        if held is None:
            return refusal or rejected(op, "This order could not be found.", "Check it.")
        try:
            outcome = apply_step(held.order, payload, recorded=True)
        except KnownError as exc:
            return rejected(op, exc.message, exc.next_step or "")
        step = self._step(op)
        opened = list(outcome.exceptions)
        if isinstance(payload, ShipPack):
            step, opened = self._pack(op, payload, held, step, opened)
        if isinstance(payload, ShipLabelVoid):  # before save: its change row shows it void
            void_parcel(self.conn, held.order.id, payload.sscc, payload.reason, self.batch.now)
        if isinstance(payload, ShipHandover):  # when the driver took it: the bench's time
            hand_over_parcel(
                self.conn, held.order.id, payload.sscc,
                at=op.device_time, by=op.actor or "",
                eway_bill=eway_bill_digits(payload.eway_bill) or "",
            )  # fmt: skip
        seq = save(
            self.conn, self.batch, self.book, held, _with(outcome, opened), step,
            units=self._about(held, outcome, payload),
        )  # fmt: skip
        if isinstance(payload, ShipReject):
            self._reject_effects(held, outcome, payload, op)
        if isinstance(payload, ShipUnpick) and not unpick_due(outcome.order):
            self._close_put_back_flags(held)
        if isinstance(payload, ShipHandover) and flag_missing_eway_bill(
            self.conn, self.batch, held, payload, op.op_id
        ):
            opened = [*opened, EWAY_BILL_MISSING]
        return applied(op, seq, opened)

    def _held(self, op: PushOp, payload: ShipPayload) -> tuple[ShipHeld | None, OpResult | None]:
        """The order the step is for, locked; or the refusal for a step not this bench's."""
        device = self.device
        if payload.location != device.location_code:
            return None, rejected(
                op,
                f"This step is for location {payload.location}, but this bench belongs to "
                f"{device.location_code}.",
                "Record ship steps only for orders this location ships.",
            )
        held = load(self.conn, payload.fulfilment_id)
        if held is None or held.location_id != device.location_id:
            return None, rejected(
                op,
                "This order is not shipped from this location, so the step was not recorded.",
                "Open the bench queue again: it lists the orders this location ships.",
            )
        if held.method != "ship":
            return None, rejected(
                op,
                f"Order {held.order.order_number} is a store pickup order, not one to ship.",
                "Work on it in Pickup, not at the packing bench.",
            )
        return held, None

    def _pack(
        self, op: PushOp, payload: ShipPack, held: ShipHeld, step: Step, opened: list[str]
    ) -> tuple[Step, list[str]]:
        """Write the parcel and its lines; a weight override's lead is the step's approver
        (checked: one who is no lead opens an exception, the parcel stands)."""
        parcel = payload.parcel
        if SSCC_REUSED not in opened and sscc_taken(self.conn, parcel.sscc):
            opened = [*opened, SSCC_REUSED]  # on another order's parcel, or a void one
        item_ids = {line.sku: line.item_id for line in held.order.lines}
        insert_parcel(
            self.conn, held.order.id, parcel, item_ids,
            at=self.batch.now, op_id=op.op_id, device_id=self.device.device_id,
        )  # fmt: skip
        if payload.invoice and not record_invoice(  # dated as the bench printed it
            self.conn, held.order.id, payload.invoice,
            op_id=op.op_id, device_id=self.device.device_id, at=op.device_time,
        ):  # fmt: skip
            opened = [*opened, INVOICE_REUSED]  # another order's number, or a second one
        if parcel.override is not None:
            lead, _ = named_lead(self.conn, self.batch, self.device, op, parcel.override.lead)
            step = Step(step.kind, step.actor, step.op_id, step.device_id, lead)
            self.batch.audit(
                actor=step.actor,
                approver=lead,
                action="ship.weight_override",
                subject={
                    "op_id": op.op_id,
                    "order_number": held.order.order_number,
                    "sscc": parcel.sscc,
                    "weight_g": parcel.weight_g,
                    "expected_g": parcel.expected_g,
                    "reason": parcel.override.reason,
                },
            )
        return step, opened

    def _about(self, held: ShipHeld, outcome: StepOutcome, payload: ShipPayload) -> str:
        """The units the step's exceptions are about, in words."""
        if isinstance(payload, ShipPick) and outcome.exceptions:
            if PICKED_BEYOND in outcome.exceptions:
                due = unpick_due(outcome.order)
            else:
                due = {ln.sku: ln.quantity for ln in payload.lines}
            return units_in_words(held.order.lines, due)
        if isinstance(payload, ShipPack):
            return units_in_words(held.order.lines, dict(outcome.order.parcels[-1].lines))
        return ""

    def _reject_effects(
        self, held: ShipHeld, outcome: StepOutcome, payload: ShipReject, op: PushOp
    ) -> None:
        """The reason's stock effect on the refused units still on the shelf (a picked unit
        is not "not found"; a damaged one in hand goes back by the unpick task), then the
        refused units routed again, never to a location that refused the order."""
        reason = self._reason(payload.reason, ReasonUse.SHIP_REJECT)
        refused = []
        for old, new in zip(held.order.lines, outcome.order.lines, strict=True):
            units = new.rejected - old.rejected
            if units > 0:
                refused.append((new.sku, units))
                # only units still on the shelf: those in hand are the unpick task's
                apply_effect(
                    self.book, new.item_id, min(units, held.order.to_pick(old)), reason,
                    device_id=self.device.device_id, op_id=op.op_id,
                )  # fmt: skip
        if refused:
            reroute_lines(
                self.conn, self.batch, held.order_id, refused, {self.device.location_code}
            )

    def _close_put_back_flags(self, held: ShipHeld) -> None:
        """Close the order's "picked after it was closed" and "picked beyond" flags here:
        the unpick put everything due back on the shelf."""
        e = exceptions.c
        for stale in self.conn.execute(
            select(e.id).where(
                e.kind.in_([PICKED_AFTER_CLOSE, PICKED_BEYOND]),
                e.status == "open",
                e.order_number == held.order.order_number,
                e.location_id == held.location_id,
            )
        ).scalars():
            close_exception(self.conn, self.batch, int(stale))


def _with(outcome: StepOutcome, kinds: list[str]) -> StepOutcome:
    """``outcome`` opening the exceptions ``kinds``."""
    return replace(outcome, exceptions=tuple(kinds))
