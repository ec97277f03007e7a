"""No-receipt returns: a manager's approval, and a value limit per customer per period
(₹5,000 per 30 days unless set otherwise)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.returns.no_receipt import (
    NoReceiptLimit,
    NoReceiptReturn,
    check_no_receipt,
    over_limit_words,
    room_left,
)
from app.errors import BadInput, RuleRefused

TODAY = date(2026, 12, 6)
LIMIT = NoReceiptLimit()  # ₹5,000 per 30 days
EARLIER = (
    NoReceiptReturn(3_500_00, date(2026, 11, 20)),  # within: counts
    NoReceiptReturn(1_000_00, date(2026, 11, 6)),  # 31 days ago: outside the period
)


def test_the_period_is_the_last_30_store_days_today_included() -> None:
    # 6 Dec − 29 days = 7 Nov: a return on 7 Nov counts, one on 6 Nov does not
    assert LIMIT.first_day(TODAY) == date(2026, 11, 7)
    on_first_day = NoReceiptReturn(500_00, date(2026, 11, 7))
    assert room_left(LIMIT, [on_first_day], TODAY) == 4_500_00
    # ₹5,000 − ₹3,500 = ₹1,500 left (the ₹1,000 on 6 Nov is outside)
    assert room_left(LIMIT, EARLIER, TODAY) == 1_500_00
    assert room_left(LIMIT, [NoReceiptReturn(6_000_00, TODAY)], TODAY) == 0


def test_within_the_limit_with_a_manager() -> None:
    check_no_receipt(LIMIT, EARLIER, 1_500_00, today=TODAY, manager_approved=True)


def test_without_a_manager_it_is_refused() -> None:
    with pytest.raises(RuleRefused) as refused:
        check_no_receipt(LIMIT, (), 100_00, today=TODAY, manager_approved=False)
    assert refused.value.message == "A return without a receipt needs a manager's approval."
    assert refused.value.next_step == (
        "Ask a manager to approve it with their badge, or find the order."
    )


def test_over_the_limit_it_is_refused_with_what_is_left() -> None:
    # ₹3,500 back since 7 Nov + ₹2,000 now = ₹5,500 > ₹5,000: ₹1,500 could come back
    with pytest.raises(RuleRefused) as refused:
        check_no_receipt(LIMIT, EARLIER, 2_000_00, today=TODAY, manager_approved=True)
    assert refused.value.message == (
        "Returns without a receipt are limited to ₹5,000.00 per 30 days for each customer. "
        "This customer has had ₹3,500.00 back since 7 Nov; this return is ₹2,000.00."
    )
    assert refused.value.next_step == "Take back up to ₹1,500.00, or find the receipt or order."


def test_the_limit_and_period_are_configurable() -> None:
    weekly = NoReceiptLimit(limit_minor=2_000_00, period_days=7)
    # 7 days to 6 Dec start 30 Nov: the ₹3,500 on 20 Nov is outside, ₹2,000 is left
    check_no_receipt(weekly, EARLIER, 2_000_00, today=TODAY, manager_approved=True)
    with pytest.raises(RuleRefused, match=r"limited to ₹2,000\.00 per 7 days"):
        check_no_receipt(weekly, EARLIER, 2_000_01, today=TODAY, manager_approved=True)
    with pytest.raises(BadInput):
        NoReceiptLimit(period_days=0)


def test_the_ledger_words_an_over_limit_return_it_already_has() -> None:
    assert over_limit_words(LIMIT, EARLIER, 1_500_00, today=TODAY) == ""
    assert over_limit_words(LIMIT, EARLIER, 1_500_01, today=TODAY) == (
        "it takes the customer over the ₹5,000.00 limit per 30 days without a receipt "
        "(₹3,500.00 back at any store since 7 Nov, this return ₹1,500.01)"
    )
