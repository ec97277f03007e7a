"""The result an operation gets back when a business rule refuses it, or the ledger cannot
record it."""

from __future__ import annotations

from app.domain.exception_texts import STEP_WORDS
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


def not_recorded(op: PushOp, error: str) -> OpResult:
    """Rejected because the ledger's database refused the data (``error``: its short class)."""
    what = STEP_WORDS.get(op.type, "operation")  # the words the station uses too
    return rejected(
        op,
        f"The ledger could not record this {what}. Nothing of it was applied; tell your IT "
        f"team: {error}.",
        "Check what it says and record it again, retyping any names or notes; if it is "
        "refused again, keep it here and call IT support.",
    )
