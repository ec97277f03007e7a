"""The result an operation gets back when a business rule refuses it."""

from __future__ import annotations

from app.sync.protocol import OpResult, OpStatus, PushOp


def rejected(op: PushOp, reason: str, next_step: str) -> OpResult:
    """Refused with words for the store associate; the device_seq is consumed all the same."""
    return OpResult(
        op_id=op.op_id,
        device_seq=op.device_seq,
        status=OpStatus.REJECTED,
        reason=reason,
        next_step=next_step,
    )
