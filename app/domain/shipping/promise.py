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
cut-off any more, and its promise is judged by when it left, not by today: late when it
was delivered after the promised date (the day it was delivered, when known), when it is
still on its way after the promised date, else when the carrier's days from the day it
was handed over reach past it. One delivered on a day the bench was not told is not
judged late.
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
    *,
    handed_over_at: datetime | None = None,
    delivered_at: datetime | None = None,
) -> bool:
    """Whether the order will be (or was) delivered after the date promised to the customer;
    ``handed_over_at``/``delivered_at``: when an order that has left did so, and arrived."""
    if promised_by is None:
        return False
    today = now.astimezone(zone).date()
    if state in LEFT:
        in_transit = state is FulfilmentState.SHIPPED and delivered_at is None
        if in_transit and promised_by < today:
            return True  # still on its way after the promised day: late whenever it left
        return _left_late(promised_by, transit_days, zone, handed_over_at, delivered_at)
    leave = next_cutoff(state, ship_by, now)
    leaves_on = today if leave is None else max(today, leave.astimezone(zone).date())
    return promised_by < today or leaves_on + timedelta(days=transit_days or 0) > promised_by


def _left_late(
    promised_by: date,
    transit_days: int | None,
    zone: tzinfo,
    handed_over_at: datetime | None,
    delivered_at: datetime | None,
) -> bool:
    """Whether an order that has left with its carrier was (or will be) delivered late."""
    if delivered_at is not None:
        return delivered_at.astimezone(zone).date() > promised_by
    if handed_over_at is None:
        return False
    left_on = handed_over_at.astimezone(zone).date()
    return left_on + timedelta(days=transit_days or 0) > promised_by
