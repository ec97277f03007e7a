"""Recording one pickup step at the counter, shared by every station step.

One IMMEDIATE transaction reads the order's current view (:mod:`.pickup_view`), builds
the step's operation, checks it by the domain rules (a refusal raises before anything
is written), and appends it to the outbox with its local stock effects.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from app.domain.pickup import PickupOrder, StepContext, apply_step
from app.domain.pickup_ops import PickupPayload, PickupPick
from app.domain.reasons import ReasonUse
from app.services import pickup_view as view
from app.services.pickup_results import PickupRecorded
from app.services.results import StaffSession
from app.storage import device, outbox, pickups, reasons
from app.storage.engine import Database, raw_connection

MakeStep = Callable[[sqlite3.Connection, pickups.StoreRules, PickupOrder], PickupPayload]


def record_step(
    *,
    db: Database,
    now: datetime,
    staff: StaffSession,
    fulfilment_id: int,
    make: MakeStep,
    on_committed: Callable[[], None],
) -> PickupRecorded:
    """Record the step ``make`` builds from the order's current view, in one transaction.

    ``make`` gets the open transaction's connection, the store's rules and the order; it
    reads what it needs and refuses by raising before anything is written.
    """
    with db.writing() as session:
        conn = raw_connection(session)
        rules = view.rules_of(conn)
        before = view.current(conn, fulfilment_id, rules, now)
        payload = make(conn, rules, before.order)
        ctx = StepContext(
            now=now,
            hold_days=rules.hold_days,
            bins=rules.bins,
            staff=staff.code,
            device_time=now.isoformat(),
        )
        outcome = apply_step(before.order, payload, ctx)  # refuses before any write
        effects = tuple(
            outbox.Effect(e.item_id, e.bucket.value, e.on_hand)
            for e in outcome.effects
            if e.on_hand
        ) + short_effects(conn, before.order, outcome.order, payload)
        appended = outbox.append(
            session,
            op_type=payload.TYPE.value,
            payload=payload.to_payload(),
            actor=staff.code,
            base_ledger_seq=int(device.sync_state(session).cursor),
            now=now,
            effects=effects,
        )
        after = view.Current(outcome.order, before.created_at, before.pending_ops + 1)
    on_committed()
    return PickupRecorded(
        op_id=appended.op_id,
        device_seq=appended.device_seq,
        note=outcome.note,
        exceptions=outcome.exceptions,
        order=view.detail(after, rules.bins),
    )


def short_effects(
    conn: sqlite3.Connection, before: PickupOrder, after: PickupOrder, payload: PickupPayload
) -> tuple[outbox.Effect, ...]:
    """What a short's reason does to stock here until the ledger confirms it, as the
    ledger will do it (:func:`app.ledger.reasons.apply_effect`): not found waits for a
    count, damaged units move to the damaged bucket."""
    if not isinstance(payload, PickupPick) or not payload.reason:
        return ()
    reason = reasons.by_code(conn, payload.reason)
    if reason is None or ReasonUse.SHORT_PICK not in reason.applies_to:
        return ()
    effects: list[outbox.Effect] = []
    for old, new in zip(before.lines, after.lines, strict=True):
        effects += reasons.reason_effects(reason, new.item_id, new.short - old.short)
    return tuple(effects)
