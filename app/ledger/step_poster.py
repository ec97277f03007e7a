"""What the pickup and ship posters share: one push batch of one device, the step an
operation records, and the reasons read once a batch.

The rules, the refusals and the flags of each kind of order stay with its poster
(:mod:`.pickups`, :mod:`.ship_steps`).
"""

from __future__ import annotations

from sqlalchemy import Connection

from app.domain.reasons import Reason, ReasonUse
from app.ledger.approvals import approved_by
from app.ledger.devices import DeviceRef
from app.ledger.reasons import reason_for, reasons_by_code
from app.ledger.step_record import Step
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch
from app.sync.protocol import PushOp


class StepPoster:
    """Applies the fulfilment steps of one push batch for one device."""

    def __init__(
        self, conn: Connection, batch: WriteBatch, device: DeviceRef, book: StockBook
    ) -> None:
        self.conn = conn
        self.batch = batch
        self.device = device
        self.book = book
        self._reasons: dict[str, Reason] | None = None  # read once a batch, when needed

    def _actor(self, op: PushOp) -> str:
        """Who did the step: the staff the operation names, else the device."""
        return op.actor or f"device:{self.device.device_id}"

    def _step(self, op: PushOp) -> Step:
        """The step ``op`` records, with the lead who approved it if it needed one."""
        return Step(
            kind=op.type,
            actor=self._actor(op),
            op_id=op.op_id,
            device_id=self.device.device_id,
            approver=approved_by(self.conn, self.batch, self.device, op),
        )

    def _reason(self, code: str, use: ReasonUse) -> Reason | None:
        """The reason ``code`` names for ``use``; None for an unknown one."""
        if self._reasons is None:
            self._reasons = reasons_by_code(self.conn)
        return reason_for(self._reasons, code, use)
