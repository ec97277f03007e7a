"""Whether a ship order keeps its delivery promise: it leaves at the next cut-off it can
make and arrives the carrier's days later; late when that is after the promised date or
the promised date has passed. Days are the store's (Bengaluru, UTC+5:30)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.promise import late_for_promise, next_cutoff, will_miss

S = FulfilmentState
M = timedelta(minutes=1)
D = timedelta(days=1)
IST = ZoneInfo("Asia/Kolkata")
NOW = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)  # 14:30 on 10 Dec in Bengaluru
TODAY = date(2026, 12, 10)
CUT = datetime(2026, 12, 10, 10, 30, tzinfo=UTC)  # today's 16:00 cut-off


def test_will_miss_is_the_cut_off_passed_or_too_close_unless_packed() -> None:
    assert will_miss(S.PACKED, NOW, NOW)  # the carrier has left
    assert will_miss(S.PICKED, NOW + 29 * M, NOW)
    assert not will_miss(S.PACKED, NOW + 29 * M, NOW)
    assert not will_miss(S.ROUTED, NOW + 30 * M, NOW)
    assert not will_miss(S.ROUTED, None, NOW)


def test_an_order_that_has_left_with_its_carrier_misses_no_cut_off() -> None:
    assert not will_miss(S.SHIPPED, NOW - D, NOW)
    assert not will_miss(S.DELIVERED, NOW - 3 * D, NOW)
    assert next_cutoff(S.SHIPPED, NOW - D, NOW) == NOW - D  # the one routing gave it


def test_the_next_cut_off_is_the_same_time_on_the_first_day_it_can_make() -> None:
    assert next_cutoff(S.ROUTED, CUT, NOW) == CUT
    assert next_cutoff(S.ROUTED, NOW + 20 * M, NOW) == NOW + 20 * M + D  # too close
    assert next_cutoff(S.PACKED, NOW + 20 * M, NOW) == NOW + 20 * M  # packed: it makes it
    assert next_cutoff(S.PACKED, NOW, NOW) == NOW + D  # the carrier has just left
    assert next_cutoff(S.ROUTED, CUT - 3 * D, NOW) == CUT  # three days behind: today's
    assert next_cutoff(S.ROUTED, CUT - 3 * D, CUT - 10 * M) == CUT + D
    assert next_cutoff(S.ROUTED, None, NOW) is None


def late(
    promised: date | None,
    ship_by: datetime | None = CUT,
    days: int | None = 2,
    state: FulfilmentState = S.ROUTED,
    now: datetime = NOW,
) -> bool:
    return late_for_promise(state, promised, ship_by, days, now, IST)


def test_in_time_when_the_carriers_days_after_the_cut_off_reach_the_promise() -> None:
    assert not late(TODAY + 2 * D)  # leaves today, two days
    assert late(TODAY + D)  # two days is one too many
    assert not late(TODAY + D, days=1)


def test_missing_todays_cut_off_moves_delivery_a_day() -> None:
    assert not late(TODAY + 2 * D, ship_by=NOW + 40 * M)
    assert late(TODAY + 2 * D, ship_by=NOW + 20 * M)  # too close: leaves tomorrow
    assert not late(TODAY + 2 * D, ship_by=NOW + 20 * M, state=S.PACKED)  # packed: makes it


def test_a_promise_already_past_is_late_whatever_the_carrier() -> None:
    assert late(TODAY - D, days=0)
    assert not late(TODAY, days=0)  # today's own riders deliver today


def test_without_a_promise_nothing_is_late_and_without_days_the_ship_day_judges() -> None:
    assert not late(None, ship_by=NOW - D)
    assert not late(TODAY, days=None)  # leaves today: the day promised is not passed
    assert late(TODAY, ship_by=NOW - 10 * M, days=None)  # leaves tomorrow
    assert not late(TODAY + D, ship_by=None, days=1)  # no cut-off: leaves today at best


def test_the_store_day_decides_not_utc() -> None:
    evening = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)  # 00:30 on 11 Dec in Bengaluru
    # the cut-off an hour on is 10 Dec in UTC but 11 Dec in the store: 10 Dec has passed
    assert late(TODAY, ship_by=evening + 60 * M, days=0, now=evening)
    assert not late_for_promise(S.ROUTED, TODAY, evening + 60 * M, 0, evening, UTC)


def test_an_order_that_has_left_is_judged_by_when_it_left_not_by_today() -> None:
    week_on = NOW + 7 * D  # long after the promise of 12 Dec
    left = NOW - D  # handed over on 9 Dec: two days' transit reach 11 Dec
    promise = TODAY + 2 * D

    def judged(state: FulfilmentState, **when: datetime | None) -> bool:
        return late_for_promise(state, promise, CUT, 2, week_on, IST, **when)

    assert not judged(S.DELIVERED, handed_over_at=left, delivered_at=NOW + D)
    assert judged(S.SHIPPED, handed_over_at=left)  # a week on and still on its way: late
    assert not late_for_promise(S.SHIPPED, promise, CUT, 2, NOW, IST, handed_over_at=left)
    assert judged(S.SHIPPED, handed_over_at=NOW + 2 * D)  # left on 12 Dec: arrives 14 Dec
    # delivered on 13 Dec in Bengaluru (19:00 UTC on 12 Dec): the day it came decides
    assert judged(S.DELIVERED, handed_over_at=left, delivered_at=NOW + 2 * D + 10 * 60 * M)
    assert not judged(S.DELIVERED, handed_over_at=NOW + 3 * D, delivered_at=NOW + 2 * D)
    assert not judged(S.DELIVERED)  # the bench was not told when: not judged late
