"""The counter's return in progress: each unit checked as it is scanned, and what it comes to."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan, method_of, refund_of
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.refund_rules import RefundMethod
from app.domain.returns.sold import SoldLine, SoldOrder
from app.errors import RuleRefused

KURTA = SoldLine(1, "KURTA-M", "8901234000014", "Cotton kurta M", 2, 89900, "6211", 500)
MUG = SoldLine(2, "MUG-1", "8901234000021", "Steel mug", 1, 39900, "7323", 1800, final_sale=True)
ORDER = SoldOrder(
    "WEB-1001", "web", date(2026, 11, 20), "BLR-01", (KURTA, MUG),
    delivered_on=date(2026, 11, 24), payment="prepaid", discount_minor=10000, shipping_minor=4900,
)  # fmt: skip
NOW = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)  # 11:30 in India


def _taken(draft: ReturnDraft, line: SoldLine, grade: Grade = Grade.A) -> ReturnDraft:
    return draft.with_unit(TakenUnit(line.line_no, grade, Disposition.SELLABLE, "changed_mind"))


def test_one_kurta_of_two_comes_back_at_what_it_cost_after_the_discount_share() -> None:
    # Goods 2 × 899 + 399 = ₹2,197; the ₹100 discount is shared by paid value: the kurtas'
    # share is 10000 × 179800 / 219700 = 8183.88 paise, 8184 by the largest remainder.
    # The kurtas cost 179800 − 8184 = 171616 paise; one of two is 85808. The order is not
    # emptied and "changed mind" is not the retailer's fault: the shipping stays.
    draft = ReturnDraft(ORDER)
    line = line_for_scan(draft, KURTA.gtin, NOW)
    refund = refund_of(_taken(draft, line))
    assert (line.line_no, refund.total_minor, refund.shipping_minor) == (1, 85808, 0)


def test_the_second_kurta_takes_the_paisa_left() -> None:
    draft = _taken(_taken(ReturnDraft(ORDER), KURTA), KURTA)
    assert refund_of(draft).total_minor == 171616


def test_a_third_kurta_is_refused_with_how_many_can_come_back() -> None:
    draft = _taken(_taken(ReturnDraft(ORDER), KURTA), KURTA)
    with pytest.raises(RuleRefused, match="2 are in this return already, and 2 of the 2 sold"):
        line_for_scan(draft, KURTA.sku, NOW)


def test_a_return_elsewhere_counts() -> None:
    earlier = (EarlierReturn(1, "MUM-01", date(2026, 11, 30)),)
    order = SoldOrder("WEB-2", "web", date(2026, 11, 20), "BLR-01",
                      (SoldLine(1, "KURTA-M", KURTA.gtin, "Cotton kurta M", 1, 89900,
                                earlier=earlier),))  # fmt: skip
    with pytest.raises(RuleRefused, match="1 was returned at MUM-01 on 30 Nov"):
        line_for_scan(ReturnDraft(order), KURTA.gtin, NOW)


def test_final_sale_and_outside_the_window_are_refused() -> None:
    with pytest.raises(RuleRefused, match="final sale"):
        line_for_scan(ReturnDraft(ORDER), MUG.gtin, NOW)
    late = datetime(2026, 12, 25, 6, 0, tzinfo=UTC)  # 30 days from delivery was 24 Dec
    with pytest.raises(RuleRefused, match="last day was 24 Dec 2026"):
        line_for_scan(ReturnDraft(ORDER), KURTA.gtin, late)


def test_an_item_not_on_the_order() -> None:
    with pytest.raises(RuleRefused, match="not on order WEB-1001"):
        line_for_scan(ReturnDraft(ORDER), "8901234000038", NOW)


def test_the_refund_goes_back_the_way_it_was_paid_unless_chosen() -> None:
    assert method_of(ReturnDraft(ORDER)) is RefundMethod.ORIGINAL
    chosen = ReturnDraft(ORDER, method=RefundMethod.STORE_CREDIT)
    assert method_of(chosen) is RefundMethod.STORE_CREDIT
