"""The retailer's rejection reasons on the ledger: list, add, disable, and their effects.

Every station holds a copy (scope ``reasons``), so a change here is a change row like any
other. A reason is never deleted, only disabled: an operation made offline may still name
it, and its effect still applies when it arrives.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from app.domain.reasons import (
    DEFAULT_REASONS,
    Reason,
    ReasonEffect,
    ReasonUse,
    parse_uses,
    stock_moves,
)
from app.domain.stock import MovementKind
from app.errors import BadInput, NotFound
from app.ledger.db import reader
from app.ledger.models import RejectionReason, table_of
from app.ledger.scopes import row_data, scope_rows
from app.ledger.stockbook import StockBook
from app.ledger.writes import WriteBatch, change_table
from app.sync.protocol import Scope

reasons_table = table_of(RejectionReason)


def _reason(row: Any) -> Reason:
    """A row of the table as a reason (an effect this code does not know does nothing)."""
    try:
        effect = ReasonEffect(row.effect)
    except ValueError:
        effect = ReasonEffect.NONE
    return Reason(
        code=row.code,
        label=row.label,
        effect=effect,
        applies_to=parse_uses(row.applies_to),
        active=bool(row.active),
        sort_order=int(row.sort_order),
    )


def list_reasons(engine: Engine, *, with_disabled: bool = True) -> list[Reason]:
    """Every reason in the retailer's order (disabled ones too, unless told)."""
    stmt = select(reasons_table).order_by(reasons_table.c.sort_order, reasons_table.c.code)
    if not with_disabled:
        stmt = stmt.where(reasons_table.c.active.is_(True))
    with reader(engine).begin() as conn:
        return [_reason(row) for row in conn.execute(stmt)]


def reasons_by_code(conn: Connection) -> dict[str, Reason]:
    """Every reason by code, for applying the effects of one push batch."""
    return {r.code: r for r in map(_reason, conn.execute(select(reasons_table)))}


def add_reason(engine: Engine, reason: Reason, *, actor: str = "admin") -> Reason:
    """Add a reason, or change the words, effect and uses of one with the same code (and
    enable it again). Stations get it with their next pull."""
    values = {
        "label": reason.label.strip(),
        "effect": reason.effect.value,
        "applies_to": ",".join(u.value for u in reason.applies_to),
        "active": True,
        "sort_order": reason.sort_order,
    }
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        found = conn.execute(
            select(reasons_table.c.id).where(reasons_table.c.code == reason.code)
        ).scalar()
        if found is None:
            if not reason.sort_order:
                last = conn.execute(select(reasons_table.c.sort_order)).scalars().all()
                values["sort_order"] = max(last, default=0) + 10
            found = conn.execute(
                insert(reasons_table)
                .values(code=reason.code, **values)
                .returning(reasons_table.c.id)
            ).scalar_one()
        else:
            if not reason.sort_order:
                del values["sort_order"]
            conn.execute(update(reasons_table).where(reasons_table.c.id == found).values(values))
        _changed(conn, batch, int(found), actor, "reason.add")
        batch.flush()
    return next(r for r in list_reasons(engine) if r.code == reason.code)


def disable_reason(engine: Engine, code: str, *, actor: str = "admin") -> Reason:
    """Stop offering a reason; steps that already name it keep their effect."""
    with engine.begin() as conn:
        batch = WriteBatch(conn)
        found = conn.execute(
            select(reasons_table.c.id).where(reasons_table.c.code == code)
        ).scalar()
        if found is None:
            raise NotFound(
                f"There is no reason '{code}'.",
                next_step="See the codes with: counterbench ledger reasons list",
            )
        conn.execute(update(reasons_table).where(reasons_table.c.id == found).values(active=False))
        _changed(conn, batch, int(found), actor, "reason.disable")
        batch.flush()
    return next(r for r in list_reasons(engine) if r.code == code)


def _changed(conn: Connection, batch: WriteBatch, reason_id: int, actor: str, action: str) -> None:
    row = conn.execute(scope_rows(Scope.REASONS, None).where(reasons_table.c.id == reason_id)).one()
    data = row_data(row, Scope.REASONS)
    batch.change(Scope.REASONS, None, reason_id, data)
    batch.audit(actor=actor, approver=None, action=action, subject=data)


def seed_defaults(
    conn: Connection, batch: WriteBatch, *, feed: bool, reasons: Sequence[Reason] = DEFAULT_REASONS
) -> int:
    """Add the default ``reasons`` a ledger lacks (the migration writes the first
    defaults; an admin may have removed none, only disabled); with ``feed``, change rows
    for every reason no change row holds yet, so a pull from cursor 0 brings them. Returns
    how many added."""
    have = set(conn.execute(select(reasons_table.c.code)).scalars())
    missing = [r for r in reasons if r.code not in have]
    for r in missing:
        conn.execute(
            insert(reasons_table).values(
                code=r.code,
                label=r.label,
                effect=r.effect.value,
                applies_to=",".join(u.value for u in r.applies_to),
                active=True,
                sort_order=r.sort_order,
            )
        )
    if feed:
        fed = set(
            conn.execute(
                select(change_table.c.key).where(change_table.c.scope == Scope.REASONS.value)
            ).scalars()
        )
        for row in conn.execute(scope_rows(Scope.REASONS, None).order_by(reasons_table.c.id)):
            if str(row[0]) not in fed:
                batch.change(Scope.REASONS, None, row[0], row_data(row, Scope.REASONS))
    return len(missing)


def new_reason(code: str, label: str, effect: str, uses: str, order: int = 0) -> Reason:
    """A reason from the admin command's words; ``BadInput`` names what is wrong."""
    try:
        kind = ReasonEffect(effect)
    except ValueError as exc:
        known = ", ".join(e.value for e in ReasonEffect)
        raise BadInput(f"'{effect}' is not a stock effect; use {known}.") from exc
    return Reason(code.strip(), label.strip(), kind, parse_uses(uses), True, order)


def apply_effect(
    book: StockBook,
    item_id: int,
    units: int,
    reason: Reason | None,
    *,
    device_id: str | None,
    op_id: str | None,
) -> None:
    """Apply a short or refused line's reason to this location's stock.

    Not found: nothing of the item here can be promised until it is counted. Damaged:
    the units leave sellable stock for the damaged bucket (they are on the shelf, not
    picked, so the book moves them).
    """
    if reason is None or units <= 0:
        return
    if reason.effect is ReasonEffect.NOT_FOUND:
        book.mark_count_due(item_id, True)
    for bucket, quantity in stock_moves(reason.effect, units):
        book.post(
            item_id,
            quantity=quantity,
            kind=MovementKind.ADJUSTMENT,
            bucket=bucket,
            device_id=device_id,
            op_id=op_id,
        )


def reason_for(known: dict[str, Reason], code: str, use: ReasonUse) -> Reason | None:
    """The reason a step names (a disabled one too); None for none or an unknown code."""
    reason = known.get(code)
    return reason if reason is not None and use in reason.applies_to else None
