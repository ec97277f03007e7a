"""The station's view of its pickup orders: confirmed base + unconfirmed ops, replayed.

The replay uses :func:`app.domain.pickup.apply_step`, the same function the ledger
applies, so a pull that moves the base on rebases what is still pending here for free.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.domain.gtin import GTIN_LENGTHS
from app.domain.pickup import PickupLine, PickupOrder, StepContext, apply_step
from app.domain.pickup_ops import PickupOp, parse_pickup
from app.errors import BadInput, KnownError, NotEnrolled, NotFound, RuleRefused
from app.services.pickup_results import (
    PickupDetail,
    PickupLineView,
    PickupSummary,
    RestockLine,
    RestockTask,
)
from app.storage import catalog, pickups
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


def gtin_forms(code: str) -> set[str]:
    """The forms a scanned GTIN may be written in (GTIN-14 padding, UPC-A as EAN-13)."""
    if not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return set()
    stripped = code.lstrip("0")
    return {code, *(stripped.zfill(n) for n in GTIN_LENGTHS if len(stripped) <= n)}


def line_for_scan(order: PickupOrder, scan: str) -> str:
    """The SKU of the order's line a scanned GTIN or typed SKU names."""
    text = scan.strip()
    forms = gtin_forms(text)
    for line in order.lines:
        if line.sku.casefold() == text.casefold() or (line.gtin and line.gtin in forms):
            return line.sku
    raise RuleRefused(
        f"{text} is not an item of order {order.order_number}.",
        next_step="Put it back and scan the items of this order only.",
    )


Needed = Callable[[PickupLine], int]


def line_of_scan(
    conn: sqlite3.Connection, order: PickupOrder, scan: str, needed: Needed | None = None
) -> str:
    """The SKU of the order's line a scan names. An unknown code is ``NotFound``; an item
    of the catalog that is not in the order is refused naming it and, with ``needed``
    (units a line still needs in this step), what the order needs instead."""
    try:
        return line_for_scan(order, scan)
    except RuleRefused as refused:
        text = scan.strip()
        forms = sorted(gtin_forms(text))
        known = (forms and catalog.by_gtin(conn, forms)) or catalog.by_sku(conn, text)
        if not known:
            raise NotFound(
                f"No item with barcode or SKU '{text}' is known here.",
                next_step="Scan the barcode again, or key the SKU from the label.",
            ) from None
        if needed is None:
            raise refused from None
        raise wrong_item(order, f"{known[0].name} ({known[0].sku})", needed) from None


def wrong_item(order: PickupOrder, scanned: str, needed: Needed) -> RuleRefused:
    """The refusal of an item that is not in ``order``: what was scanned, what is needed."""
    wants = [f"{needed(x)} × {x.name or x.sku}" for x in order.lines if needed(x) > 0]
    if not wants:
        return RuleRefused(
            f"Wrong item: {scanned} is not in order {order.order_number}, "
            "and nothing more is needed for it.",
            next_step="Put it back.",
        )
    shown = ", ".join(wants[:3]) + (f" and {len(wants) - 3} more" if len(wants) > 3 else "")
    return RuleRefused(
        f"Wrong item: {scanned} is not in order {order.order_number}. It needs {shown}.",
        next_step="Put it back and scan one of the order's items.",
    )
