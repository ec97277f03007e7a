"""The pickup queue: every bucket's count and one page of it, read off the queue indexes.

The base rows are counted and paged in SQL (indexes of cache migration step 6), never
all read. Orders with operations made here that the base does not hold yet are few: they
are replayed (:mod:`.pickup_view`) and moved to the bucket they are in now, in the counts
and in the pages. Open buckets show the orders promised longest ago first (promised: the
hold's end once ready, else when the order was placed); collected and cancelled show the
latest changed; restock tasks are every order with units to put back on the shelf.
Ship-for-pickup orders awaiting the warehouse's transfer have their own bucket.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.domain.pickup import PickupOrder
from app.errors import KnownError
from app.services import pickup_view as view
from app.services.pickup_results import PickupQueue, RestockTask
from app.storage import pickups
from app.storage.types import from_text

S = FulfilmentState
QUEUE_PAGE = 200  # open orders shown per bucket
QUEUE_CLOSED_PAGE = 50  # collected and cancelled orders shown, the latest
BUCKETS = ("to_pick", "from_warehouse", "to_stage", "staged", "ready", "collected", "cancelled")
CLOSED_BUCKETS = ("collected", "cancelled")
_BY_STATE = {
    S.AWAITING_TRANSFER: "from_warehouse",
    S.PICKED: "to_stage",
    S.STAGED: "staged",
    S.READY_FOR_PICKUP: "ready",
    S.COLLECTED: "collected",
    S.CANCELLED: "cancelled",
    S.SHORT: "cancelled",
    S.REROUTED: "cancelled",
}
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def bucket_of(state: str) -> str:
    """The queue bucket of an order state (new, accepted or picking: ``to_pick``;
    ship-for-pickup awaiting the warehouse's transfer: ``from_warehouse``)."""
    try:
        return _BY_STATE.get(S(state), "to_pick")
    except ValueError:
        return "to_pick"


def read_queue(
    conn: sqlite3.Connection,
    rules: pickups.StoreRules,
    now: datetime,
    *,
    page: int = QUEUE_PAGE,
    closed_page: int = QUEUE_CLOSED_PAGE,
) -> PickupQueue:
    """The queue as this station sees it now (one read transaction on ``conn``)."""
    changed = _changed_here(conn, rules, now)
    base_counts = pickups.count_by_state(conn)
    counts: Counter[str] = Counter({b: 0 for b in BUCKETS})
    states: dict[str, set[str]] = defaultdict(set)
    for state, n in base_counts.items():
        counts[bucket_of(state)] += n
        states[bucket_of(state)].add(state)
    for base_state, current in changed.values():
        counts[bucket_of(base_state)] -= 1
        counts[bucket_of(current.order.state)] += 1
    skip = frozenset(changed)
    pages: dict[str, list[view.Current]] = {}
    for bucket in BUCKETS:
        here = [c for _, c in changed.values() if bucket_of(c.order.state) == bucket]
        if bucket in CLOSED_BUCKETS:
            rows = _rows(pickups.latest_in_state, conn, states[bucket], closed_page, skip)
            rows.sort(key=lambda r: (str(r["updated_at"] or ""), int(r["id"])), reverse=True)
            latest = here + [_base(r) for r in rows]  # changed here: the latest of all
            pages[bucket] = sorted(latest[:closed_page], key=_promised)
        else:
            rows = _rows(pickups.oldest_in_state, conn, states[bucket], page, skip)
            rows.sort(key=_promised_text)  # as the index orders them: parse one page only
            pages[bucket] = sorted(here + [_base(r) for r in rows[:page]], key=_promised)[:page]
    tasks = restock_tasks(conn, rules, now, changed=changed)
    counts["to_restock"] = len(tasks)
    return PickupQueue(
        **{b: tuple(view.summary(c) for c in pages[b]) for b in BUCKETS},
        to_restock=tuple(tasks[:page]),
        as_of=now,
        counts=dict(counts),
    )


def restock_tasks(
    conn: sqlite3.Connection,
    rules: pickups.StoreRules,
    now: datetime,
    *,
    changed: dict[int, tuple[str, view.Current]] | None = None,
) -> list[RestockTask]:
    """Every order with units to put back on the shelf, oldest promised first."""
    if changed is None:
        changed = _changed_here(conn, rules, now)
    currents = [c for _, c in changed.values()]
    currents += [_base(r) for r in pickups.restock_candidates(conn) if int(r["id"]) not in changed]
    tasks = []
    for current in sorted(currents, key=_promised):
        task = view.restock_task(current.order)
        if task is not None:
            tasks.append(task)
    return tasks


def _changed_here(
    conn: sqlite3.Connection, rules: pickups.StoreRules, now: datetime
) -> dict[int, tuple[str, view.Current]]:
    """Orders with operations the base does not hold yet: id -> (base state, view now)."""
    by_order: dict[int, list[pickups.UnconfirmedOp]] = defaultdict(list)
    for op in pickups.unconfirmed_ops(conn, pickups.sync_cursor(conn)):
        by_order[op.fulfilment_id].append(op)
    out = {}
    for row in pickups.by_ids(conn, by_order):
        ops = by_order[int(row["id"])]
        order = view.replay(PickupOrder.from_row(row), ops, rules, now)
        out[int(row["id"])] = (str(row["state"]), view.Current(order, _placed(row), len(ops)))
    return out


def _rows(
    fetch: Callable[..., list[dict[str, Any]]],
    conn: sqlite3.Connection,
    states: Iterable[str],
    limit: int,
    skip: frozenset[int],
) -> list[dict[str, Any]]:
    return [row for state in sorted(states) for row in fetch(conn, state, limit, skip)]


def _base(row: dict[str, Any]) -> view.Current:
    return view.Current(PickupOrder.from_row(row), _placed(row), 0)


def _placed(row: dict[str, Any]) -> datetime | None:
    """When the order was placed (ledger time), None when the row does not say."""
    try:
        return from_text(row["created_at"]) if row.get("created_at") else None
    except (KnownError, ValueError):
        return None


def _promised_text(row: dict[str, Any]) -> tuple[str, int]:
    """A base row's place in the queue index (``pickups.DUE``, then id)."""
    return (str(row["pickup_by"] or row["created_at"] or ""), int(row["id"]))


def _promised(current: view.Current) -> tuple[datetime, int]:
    """Oldest promise first: the end of the hold once ready, else when placed."""
    return (current.order.pickup_by or current.created_at or _EARLIEST, current.order.id)
