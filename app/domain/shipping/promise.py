"""Whether a ship order makes its carrier cut-off, and its delivery promise. Pure.

An order should leave by the cut-off routing gave it (``ship_by``). It will miss that
cut-off when the cut-off has passed, or is less than ``AT_RISK`` away and the order is not
packed yet. Then it leaves at the same time on the first later day it can still make.

It is delivered the carrier's days for its zone (``transit_days``, from handover to
delivery) after the day it leaves. It is **late for its promise** when that day is after
the promised date, or when the promised date has passed already. "Today" and a day are
the store's (its time zone). An order without the carrier's days (routed before the ledger
sent them) is judged by the day it leaves alone; one with no cut-off leaves today at the
earliest. An order handed over to its carrier (shipped, delivered) has left: it misses no
cut-off any more.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from app.domain.fulfilment import FulfilmentState

AT_RISK = timedelta(minutes=30)  # closer to the cut-off than this, an unpacked order misses
_DAY = timedelta(days=1)
LEFT = frozenset({FulfilmentState.SHIPPED, FulfilmentState.DELIVERED})  # with its carrier


def will_miss(state: FulfilmentState, ship_by: datetime | None, now: datetime) -> bool:
    """Whether an order will miss the cut-off it should leave by."""
    if ship_by is None or state in LEFT:
        return False
    return ship_by <= now or (ship_by - now < AT_RISK and state is not FulfilmentState.PACKED)


def next_cutoff(state: FulfilmentState, ship_by: datetime | None, now: datetime) -> datetime | None:
    """The cut-off the order can still make: ``ship_by``, or that time of the first later
    day it will not miss; None when it has no cut-off."""
    if ship_by is None or not will_miss(state, ship_by, now):
        return ship_by
    margin = timedelta(0) if state is FulfilmentState.PACKED else AT_RISK
    return ship_by + ((now + margin - ship_by) // _DAY + 1) * _DAY


def late_for_promise(
    state: FulfilmentState,
    promised_by: date | None,
    ship_by: datetime | None,
    transit_days: int | None,
    now: datetime,
    zone: tzinfo,
) -> bool:
    """Whether the order will be delivered after the date promised to the customer."""
    if promised_by is None:
        return False
    today = now.astimezone(zone).date()
    leave = next_cutoff(state, ship_by, now)
    leaves_on = today if leave is None else max(today, leave.astimezone(zone).date())
    return promised_by < today or leaves_on + timedelta(days=transit_days or 0) > promised_by
