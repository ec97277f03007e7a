"""The station's view of its pickup orders: confirmed base + unconfirmed ops, replayed.

The replay uses :func:`app.domain.pickup.apply_step`, the same function the ledger
applies, so a pull that moves the base on rebases what is still pending here for free.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.pickup import PickupOrder, StepContext, apply_step
from app.domain.pickup_ops import PickupOp, parse_pickup
from app.errors import BadInput, KnownError, NotEnrolled, NotFound, RuleRefused
from app.services.pickup_results import (
    PickupDetail,
    PickupLineView,
    PickupSummary,
    RestockLine,
    RestockTask,
)
from app.storage import pickups
from app.storage.types import from_text


@dataclass(frozen=True)
class Current:
    """A pickup order as this station sees it now."""

    order: PickupOrder
    created_at: datetime | None
    pending_ops: int


def rules_of(conn: sqlite3.Connection) -> pickups.StoreRules:
    rules = pickups.store_rules(conn)
    if rules is None:
        raise NotEnrolled(
            "This station is not enrolled, so it has no pickup orders.",
            next_step="Ask IT to enrol it.",
        )
    return rules


def store_zone(conn: sqlite3.Connection) -> tzinfo:
    """The time zone of this station's store, as the ledger names it for the location;
    the station's own zone when the store has none (or one this machine does not know)."""
    row = conn.execute(
        "SELECT l.timezone FROM device AS d JOIN locations AS l ON l.code = d.location_code "
        "WHERE d.id = 1"
    ).fetchone()
    try:
        if row is not None and row[0]:
            return ZoneInfo(str(row[0]))
    except (ZoneInfoNotFoundError, ValueError):
        pass
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def replay(
    order: PickupOrder,
    ops: Sequence[pickups.UnconfirmedOp],
    rules: pickups.StoreRules,
    now: datetime,
) -> PickupOrder:
    """``order`` with ``ops`` applied in turn; an op the rules now refuse is skipped
    (the ledger refuses it too, and it shows up in Exceptions)."""
    for op in ops:
        ctx = StepContext(
            now=now,
            hold_days=rules.hold_days,
            bins=rules.bins,
            staff=op.actor,
            device_time=op.device_time,
        )
        try:
            order = apply_step(order, parse_pickup(PickupOp(op.type), op.payload), ctx).order
        except (RuleRefused, BadInput, ValueError):
            continue
    return order


def _created(row: dict[str, Any]) -> datetime | None:
    value = row.get("created_at")
    try:
        return from_text(value) if value else None
    except (KnownError, ValueError):
        return None


def current(
    conn: sqlite3.Connection, fulfilment_id: int, rules: pickups.StoreRules, now: datetime
) -> Current:
    """The current view of one pickup order; ``NotFound`` when it is not cached here."""
    row = pickups.by_id(conn, fulfilment_id)
    if row is None:
        raise NotFound(
            f"Pickup order {fulfilment_id} is not in this station's cache.",
            next_step="Find it again by its number or the customer's QR.",
        )
    ops = pickups.unconfirmed_ops(conn, pickups.sync_cursor(conn), fulfilment_id)
    order = replay(PickupOrder.from_row(row), ops, rules, now)
    return Current(order, _created(row), len(ops))


def currents(
    conn: sqlite3.Connection, rows: list[dict[str, Any]], rules: pickups.StoreRules, now: datetime
) -> list[Current]:
    """The current views of ``rows`` (one query for every unconfirmed op)."""
    by_order: dict[int, list[pickups.UnconfirmedOp]] = defaultdict(list)
    for op in pickups.unconfirmed_ops(conn, pickups.sync_cursor(conn)):
        by_order[op.fulfilment_id].append(op)
    out = []
    for row in rows:
        ops = by_order.get(int(row["id"]), [])
        order = PickupOrder.from_row(row)
        out.append(Current(replay(order, ops, rules, now), _created(row), len(ops)))
    return out


def summary(view: Current) -> PickupSummary:
    order = view.order
    return PickupSummary(
        fulfilment_id=order.id,
        order_number=order.order_number,
        state=order.state,
        customer_name=order.customer_name,
        customer_phone=order.customer_phone,
        bin=order.bin,
        units=sum(line.ordered for line in order.lines),
        created_at=view.created_at,
        pickup_by=order.pickup_by,
        pending_ops=view.pending_ops,
    )


def detail(view: Current, store_bins: tuple[str, ...] = ()) -> PickupDetail:
    """The order as the screens show it; ``store_bins``: the store's hold-shelf bins."""
    lines = tuple(
        PickupLineView(
            sku=line.sku,
            gtin=line.gtin,
            name=line.name,
            ordered=line.ordered,
            picked=line.picked,
            short=line.short,
            ready=line.ready,
            collected=line.collected,
            cancelled=line.cancelled,
            restocked=line.restocked,
            to_pick=line.to_pick,
            on_hold_shelf=line.keep,
            ready_waiting=line.ready_waiting,
            restock_due=line.restock_due,
            cancel_reason=line.cancel_reason,
            coming=line.coming,
            in_transit=line.in_transit,
            inbound=line.inbound,
            shipped=line.shipped,
            received=line.received,
        )
        for line in view.order.lines
    )
    return PickupDetail(
        summary=summary(view),
        lines=lines,
        log=dict(view.order.log),
        has_pickup_code=bool(view.order.pickup_code_hash),
        store_bins=store_bins,
    )


def restock_task(order: PickupOrder) -> RestockTask | None:
    lines = tuple(
        RestockLine(sku=line.sku, gtin=line.gtin, name=line.name, due=line.restock_due)
        for line in order.lines
        if line.restock_due
    )
    if not lines:
        return None
    return RestockTask(
        fulfilment_id=order.id,
        order_number=order.order_number,
        state=order.state,
        bin=order.bin,
        lines=lines,
    )
