"""The result an operation gets back: applied, refused by a business rule, or held."""

from __future__ import annotations

from app.domain.exception_texts import HELD_AT_LEDGER
from app.sync.protocol import OpResult, OpStatus, PushOp


def applied(op: PushOp, seq: int, opened: list[str]) -> OpResult:
    """Applied at ``seq``, opening the exceptions ``opened`` (their kinds)."""
    return OpResult(
        op_id=op.op_id,
        device_seq=op.device_seq,
        status=OpStatus.APPLIED,
        ledger_seq=seq,
        exceptions=opened,
    )


def rejected(op: PushOp, reason: str, next_step: str) -> OpResult:
    """Refused with words for the store associate; the device_seq is consumed all the same."""
    return OpResult(
        op_id=op.op_id,
        device_seq=op.device_seq,
        status=OpStatus.REJECTED,
        reason=reason,
        next_step=next_step,
    )


def held(op: PushOp, quarantine_id: int) -> OpResult:
    """Taken and held at the ledger (quarantined), to be applied by a replay after a fix.

    Sent as ``applied`` with no ledger_seq and the ``held_at_ledger`` exception, which
    every station version reads: the station drops its local effect, its queue moves on,
    and nothing asks the associate to record it again (a replay applies it once).
    """
    return OpResult(
        op_id=op.op_id,
        device_seq=op.device_seq,
        status=OpStatus.APPLIED,
        reason=(
            f"Held at the ledger (quarantine {quarantine_id}): it could not be applied yet "
            "and waits for IT to replay it."
        ),
        next_step="Nothing to do at this station; do not record it again.",
        exceptions=[HELD_AT_LEDGER],
    )
