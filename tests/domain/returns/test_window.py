"""The return window runs from the delivery day (else the sale day) for the item's return
days, in the store's days (India); final-sale items are refused with the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.returns.window import (
    ReturnTerms,
    check_return_window,
    last_return_day,
    store_day,
)
from app.errors import RuleRefused

IST = timezone(timedelta(hours=5, minutes=30))
KURTA = ReturnTerms("Cotton kurta", return_days=30, return_category="apparel")
SOLD = datetime(2026, 11, 25, 14, 0, tzinfo=IST)
DELIVERED = datetime(2026, 12, 1, 11, 0, tzinfo=IST)


def test_the_store_day_is_the_day_in_india() -> None:
    # 19:00 UTC on 30 Nov is 00:30 IST on 1 Dec
    assert store_day(datetime(2026, 11, 30, 19, 0, tzinfo=UTC)) == date(2026, 12, 1)
    assert store_day(datetime(2026, 11, 30, 18, 0, tzinfo=UTC)) == date(2026, 11, 30)


def test_the_window_runs_from_delivery_else_the_sale() -> None:
    # delivered 1 Dec + 30 days = 31 Dec; bought 25 Nov with no delivery + 30 = 25 Dec
    assert last_return_day(KURTA, SOLD, DELIVERED) == date(2026, 12, 31)
    assert last_return_day(KURTA, SOLD, None) == date(2026, 12, 25)
    late_night = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)  # 1 Dec 00:30 IST
    assert last_return_day(KURTA, SOLD, late_night) == date(2026, 12, 31)


def test_within_the_window_on_its_last_evening() -> None:
    check_return_window(KURTA, SOLD, DELIVERED, datetime(2026, 12, 31, 21, 0, tzinfo=IST))
    # 18:00 UTC on 31 Dec is still 23:30 IST on 31 Dec
    check_return_window(KURTA, SOLD, DELIVERED, datetime(2026, 12, 31, 18, 0, tzinfo=UTC))


def test_outside_the_window_says_the_last_day() -> None:
    after_midnight = datetime(2027, 1, 1, 0, 10, tzinfo=IST)
    with pytest.raises(RuleRefused) as refused:
        check_return_window(KURTA, SOLD, DELIVERED, after_midnight)
    assert refused.value.message == (
        "The Cotton kurta is past its return window: the last day was 31 Dec 2026 "
        "(30 days from delivery on 1 Dec 2026)."
    )
    assert refused.value.next_step == "Tell the customer the window has closed, or ask a manager."


def test_a_store_sale_counts_from_the_purchase() -> None:
    bottle = ReturnTerms("Steel bottle", return_days=7)
    with pytest.raises(RuleRefused, match=r"last day was 2 Dec 2026 \(7 days from purchase on 25"):
        check_return_window(bottle, SOLD, None, datetime(2026, 12, 3, 10, 0, tzinfo=IST))


def test_a_final_sale_item_is_refused_even_within_the_window() -> None:
    scarf = ReturnTerms("Linen scarf", returnable=False)
    with pytest.raises(RuleRefused) as refused:
        check_return_window(scarf, SOLD, DELIVERED, DELIVERED)
    assert refused.value.message == "The Linen scarf was sold as final sale: it cannot be returned."
    assert refused.value.next_step == "Tell the customer final-sale items cannot come back."
