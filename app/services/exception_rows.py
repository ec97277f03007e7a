"""Open exceptions as a lead reads them: one row per cause, in the shop's words.

Rejected operations and ledger flags of one cause make one row: every step the ledger
refused on an order that was cancelled or moved meanwhile (with its "handed over after a
cancel" flag, if the order was handed over too), the flags of one kind on one order or
item, a refused operation and the "not recorded" flag the ledger opened for it. The words
come from :mod:`app.domain.exception_texts`, with the order number and the item named.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain import exception_texts as texts
from app.domain.exception_texts import Subject, exception_text, item_in_words
from app.services.results import ExceptionRow
from app.storage import exceptions as repo
from app.storage.models import LedgerException, OutboxOp
from app.storage.types import from_text

# Refusals whose own reason says more than the table (a bin that is not a hold-shelf bin …).
_REASON_MATTERS = frozenset(
    {texts.STEP_REFUSED, texts.COUNT_REFUSED, texts.CLOSE_REFUSED, texts.UNKNOWN}
)
# Flags of one kind on one order (or item) are one cause.
_PER_ORDER = frozenset({texts.SHORT_PICK, texts.PICKED_BEYOND_ORDER, texts.RECEIVED_BEFORE_SHIPPED})
_IT_MARK = "IT team: "  # app.ledger.outcomes.not_recorded ends its reason with the error


@dataclass
class _Cause:
    """The rejected operations and flags of one cause, oldest first."""

    kind: str
    order: str = ""
    sku: str = ""
    ops: list[OutboxOp] = field(default_factory=list)
    flags: list[tuple[LedgerException, datetime]] = field(default_factory=list)


def open_rows(session: Session, now: datetime) -> list[ExceptionRow]:
    """Open exceptions, one row per cause: refused operations first, then ledger flags."""
    causes = _causes(session, now)
    names = repo.item_names(session, {c.sku for c in causes.values() if c.sku})
    return [_row(cause, names.get(cause.sku, ""), now) for cause in causes.values()]


def open_count(session: Session, now: datetime) -> int:
    """How many rows ``open_rows`` would list (the status bar's count), without their texts."""
    return len(_causes(session, now))


def _causes(session: Session, now: datetime) -> dict[tuple[str, ...], _Cause]:
    """The open exceptions grouped by cause."""
    ops = repo.rejected_ops(session)
    flags = repo.open_ledger_exceptions(session)
    orders = repo.orders(session, {fid for op in ops if (fid := _fulfilment_id(op)) is not None})
    not_recorded = {f.op_id for f in flags if f.kind == texts.NOT_RECORDED and f.op_id}
    causes: dict[tuple[str, ...], _Cause] = {}
    for op in ops:
        fid = _fulfilment_id(op)
        number, state = orders.get(fid, ("", None)) if fid is not None else ("", None)
        sku = str((op.payload or {}).get("sku") or "")
        group: tuple[str, ...]
        if op.op_id in not_recorded:
            kind, group = texts.NOT_RECORDED, ("op", op.op_id)
        else:
            kind = texts.refusal_cause(op.type, state)
            order = number or (f"#{fid}" if fid is not None else "")
            group = _group(kind, order, sku, _reason(op), f"op:{op.op_id}")
        causes.setdefault(group, _Cause(kind, number, sku)).ops.append(op)
    op_ids = {op.op_id for op in ops}
    for flag in flags:
        number, sku = flag.order_number or "", flag.sku or ""
        if flag.kind == texts.NOT_RECORDED and flag.op_id in op_ids:
            group = ("op", str(flag.op_id))
        else:
            group = _group(flag.kind, number, sku, "", f"ledger:{flag.id}")
        cause = causes.setdefault(group, _Cause(flag.kind, number, sku))
        if flag.kind == texts.COLLECTED_AFTER_CANCEL:
            cause.kind = flag.kind  # the customer has the items: that is what to act on now
        cause.flags.append((flag, from_text(flag.created_at) if flag.created_at else now))
    return causes


def _group(kind: str, order: str, sku: str, reason: str, own: str) -> tuple[str, ...]:
    """The cause an exception belongs to."""
    if order and kind in texts.ORDER_GONE:
        return ("order", order)
    if order and kind in _PER_ORDER:
        return ("order", order, kind)
    if order and kind == texts.STEP_REFUSED:
        return ("order", order, kind, reason)
    if sku and kind == texts.OVERSELL:
        return ("item", sku, kind)
    if sku and kind == texts.COUNT_REFUSED:
        return ("item", sku, kind, reason)
    return ("own", own)


def _row(cause: _Cause, item_name: str, now: datetime) -> ExceptionRow:
    item = item_in_words(item_name, cause.sku)
    keys = [f"op:{op.op_id}" for op in cause.ops] + [f"ledger:{f.id}" for f, _ in cause.flags]
    times = [op.created_at for op in cause.ops] + [at for _, at in cause.flags]
    leading = [f for f, _ in cause.flags if f.kind == cause.kind]
    if leading and cause.kind != texts.NOT_RECORDED:
        # the ledger wrote these words (from the same table) with what only it knows
        text = exception_text(cause.kind, Subject(order=cause.order, item=item))
        what = _joined(f.message for f in leading) or text.what
        next_step = _joined(f.next_step or "" for f in leading) or text.next_step
    else:
        reasons = [_reason(op) for op in cause.ops]
        given = [str((op.result or {}).get("next_step") or "") for op in cause.ops]
        if cause.kind == texts.NOT_RECORDED:
            detail = _joined("For IT support: " + r.rpartition(_IT_MARK)[2] for r in reasons)
        else:
            detail = _joined(reasons) if cause.kind in _REASON_MATTERS else ""
        steps = texts.steps_in_words([op.type for op in cause.ops])
        bins = (str((op.payload or {}).get("bin") or "") for op in cause.ops)
        subject = Subject(
            order=cause.order,
            item=item,
            steps=steps,
            bin=next((b for b in bins if b), ""),
            detail=detail,
        )
        text = exception_text(
            cause.kind, subject, next_step=_joined(given) if cause.kind in _REASON_MATTERS else ""
        )
        what, next_step = text.what, text.next_step
    created = min(times)
    return ExceptionRow(
        key=keys[0],
        kind=cause.kind,
        title=text.title,
        detail=what,
        next_step=next_step,
        created_at=created,
        status="open",
        ledger_flag=bool(cause.flags),
        members=tuple(keys),
        order_number=cause.order,
        sku=cause.sku,
        about=cause.order or item,
        age_s=max(0.0, (now - created).total_seconds()),
    )


def _fulfilment_id(op: OutboxOp) -> int | None:
    value = (op.payload or {}).get("fulfilment_id")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reason(op: OutboxOp) -> str:
    return str((op.result or {}).get("reason") or "")


def _joined(parts: Iterable[str]) -> str:
    """Distinct non-empty texts, in order, as one paragraph."""
    return " ".join(dict.fromkeys(p.strip() for p in parts if p.strip()))
