"""Returnable quantity: sold − already returned at any location; the counter refuses
more with words for the customer, the ledger applies it and counts the over-return."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.returns.quantities import (
    EarlierReturn,
    check_returnable,
    over_return,
    returnable_quantity,
)
from app.errors import RuleRefused

AT_MUMBAI = EarlierReturn(1, "MUM-01", date(2026, 12, 3))
AT_DELHI = EarlierReturn(2, "DEL-02", date(2026, 12, 5))


def test_returnable_is_sold_less_returned_anywhere() -> None:
    # sold 5; 1 back at MUM-01, 2 at DEL-02: 5 − 3 = 2 left
    assert returnable_quantity(5, [AT_MUMBAI, AT_DELHI]) == 2
    assert returnable_quantity(3, [AT_DELHI, AT_MUMBAI]) == 0
    assert returnable_quantity(2, [AT_DELHI, AT_MUMBAI]) == 0  # never below 0
    assert returnable_quantity(4, []) == 4


def test_up_to_the_returnable_quantity_comes_back() -> None:
    check_returnable(2, [AT_MUMBAI], 1)  # sold 2, 1 back: 1 more may come
    check_returnable(4, [], 4)


def test_more_than_returnable_is_refused_with_where_and_when_it_came_back() -> None:
    # sold 2, 1 returned at MUM-01 on 3 Dec, the customer brings 2: only 1 can come back
    with pytest.raises(RuleRefused) as refused:
        check_returnable(2, [AT_MUMBAI], 2)
    assert refused.value.message == (
        "Only 1 of these 2 can come back: 1 was returned at MUM-01 on 3 Dec."
    )
    assert refused.value.next_step == "Take back 1, or ask a manager."


def test_nothing_left_to_return_names_every_earlier_return() -> None:
    # sold 3: 1 back at MUM-01 and 2 at DEL-02 already
    with pytest.raises(RuleRefused) as refused:
        check_returnable(3, [AT_MUMBAI, AT_DELHI], 2)
    assert refused.value.message == (
        "None of these 2 can come back: 1 was returned at MUM-01 on 3 Dec and 2 at DEL-02 on 5 Dec."
    )
    assert refused.value.next_step == "Ask a manager."
    with pytest.raises(RuleRefused, match=r"^This one cannot come back: 2 were returned"):
        check_returnable(2, [AT_DELHI], 1)


def test_more_than_the_order_sold_is_refused() -> None:
    with pytest.raises(RuleRefused, match=r"^Only 2 of these 3 can come back: the order sold 2\."):
        check_returnable(2, [], 3)


def test_two_returns_of_the_same_line_the_second_is_over() -> None:
    # Sold 2. Two counters offline each take both units back, each seeing nothing returned.
    # The ledger applies the first: 2 back of 2 returnable, nothing over.
    assert over_return(sold=2, returned_before=0, this_return=2) == 0
    # Then the second: 2 − 2 = 0 returnable, so both units are over (applied and flagged).
    assert over_return(sold=2, returned_before=2, this_return=2) == 2
    # Had the first taken 1: 2 − 1 = 1 returnable, so 1 of the second's 2 is over.
    assert over_return(sold=2, returned_before=1, this_return=2) == 1
    # Returned before beyond sold (an earlier over-return) still leaves nothing returnable.
    assert over_return(sold=2, returned_before=3, this_return=1) == 1
