"""The rejection reasons in the station cache, and the "count due" marks of its stock.

Reasons come down from the ledger (scope ``reasons``). A short marked "not found" here
leaves the item with nothing to promise until counted, before the ledger has heard of
it: the mark rides on ``pending_stock`` as a pseudo-bucket (``COUNT_DUE``) so it lives
and dies with its operation like any other local effect (confirmed, rejected, re-sent).
"""

from __future__ import annotations

import sqlite3

from app.domain.reasons import Reason, ReasonEffect, ReasonUse, parse_uses, stock_moves
from app.storage.outbox import Effect

# pending_stock bucket of the local "count due" marks: +1 set by a not-found short, a
# count's negative delta takes them away. Never a real bucket, so no stock query sees it.
COUNT_DUE = "count_due"


def _reason(row: tuple[str, str, str, str, int, int]) -> Reason | None:
    """A cached row as a reason; None when it serves nothing this station knows."""
    code, text, effect, uses, active, order = row
    try:
        kind = ReasonEffect(effect)
    except ValueError:  # an effect only a newer ledger knows: the ledger applies it
        kind = ReasonEffect.NONE
    known = {u.value for u in ReasonUse}
    applies = parse_uses(",".join(p for p in uses.split(",") if p.strip() in known))
    return Reason(code, text, kind, applies, bool(active), order) if applies else None


def choices(conn: sqlite3.Connection, use: ReasonUse) -> list[Reason]:
    """Active reasons for ``use``, in the retailer's order."""
    rows = conn.execute(
        "SELECT code, label, effect, applies_to, active, sort_order FROM reasons "
        "WHERE active = 1 ORDER BY sort_order, label"
    ).fetchall()
    return [r for r in map(_reason, rows) if r is not None and r.serves(use)]


def by_code(conn: sqlite3.Connection, code: str) -> Reason | None:
    """Any reason by its code (a disabled one too: an old step may still name it)."""
    row = conn.execute(
        "SELECT code, label, effect, applies_to, active, sort_order FROM reasons WHERE code = ?",
        (code,),
    ).fetchone()
    return None if row is None else _reason(row)


def _due_level(conn: sqlite3.Connection, item_id: int) -> int:
    row = conn.execute(
        "SELECT coalesce((SELECT max(coalesce(count_due, 0)) FROM stock_base"
        "                 WHERE item_id = ?1 AND bucket = 'sellable'), 0)"
        " + coalesce((SELECT delta FROM pending_totals"
        f"            WHERE item_id = ?1 AND bucket = '{COUNT_DUE}'), 0)",
        (item_id,),
    ).fetchone()
    return int(row[0])


def mark_due(item_id: int) -> Effect:
    """The local effect of a not-found short: the item waits for a count."""
    return Effect(item_id, COUNT_DUE, 1)


def clear_due(conn: sqlite3.Connection, item_id: int) -> Effect | None:
    """The local effect of a count that clears the wait (None when nothing waits)."""
    due = _due_level(conn, item_id)
    return Effect(item_id, COUNT_DUE, -due) if due > 0 else None


def reason_effects(reason: Reason, item_id: int, units: int) -> tuple[Effect, ...]:
    """What ``units`` short or refused for ``reason`` do to stock here until the ledger
    confirms it, as the ledger will do it (:func:`app.ledger.reasons.apply_effect`): not
    found waits for a count, damaged units move to the damaged bucket. Pickup shorts and
    ship rejections both use it."""
    if units <= 0:
        return ()
    effects = [mark_due(item_id)] if reason.effect is ReasonEffect.NOT_FOUND else []
    effects += [Effect(item_id, bucket.value, n) for bucket, n in stock_moves(reason.effect, units)]
    return tuple(effects)
