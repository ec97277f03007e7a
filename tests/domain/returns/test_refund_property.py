"""For any order returned in any number of returns: no return gives back more than was
paid for what it brings, and once every unit is back the refunds (with shipping, and no
fee) add up to exactly what the customer paid: no paisa lost or made."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.returns.grades import Grade
from app.domain.returns.refund import ReturnedBefore, UnitsBack, paid_per_line, refund_due
from app.domain.tax.invoice import Sale
from tests.domain.tax.test_invoice_property import sales

REASONS = ("changed_mind", "wrong_size", "defective", "wrong_item_sent")


@st.composite
def returns_of(draw: st.DrawFn, sale: Sale) -> list[list[UnitsBack]]:
    """Every unit of ``sale``, one unit at a time in a drawn order, cut into returns."""
    units = [i for i, line in enumerate(sale.lines) for _ in range(line.quantity)]
    units = draw(st.permutations(units))
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(units) - 1)), max_size=4)))
    chunks = [units[a:b] for a, b in zip([0, *cuts], [*cuts, len(units)], strict=True)]
    reason = st.sampled_from(REASONS)
    return [
        [UnitsBack(i, 1, draw(st.sampled_from(list(Grade))), draw(reason)) for i in chunk]
        for chunk in chunks
        if chunk
    ]


@settings(max_examples=30, deadline=None)
@given(data=st.data(), sale=sales())
def test_refunds_never_exceed_what_was_paid_and_sum_exactly(
    data: st.DataObject, sale: Sale
) -> None:
    paid, shipping_paid = paid_per_line(sale)
    back: dict[int, int] = {}
    refunded = [0] * len(sale.lines)
    shipping_back = 0
    for chunk in data.draw(returns_of(sale)):
        before = ReturnedBefore(dict(back), shipping_refunded=shipping_back > 0)
        due = refund_due(sale, chunk, before=before)
        for line in due.lines:
            assert line.refund_minor >= 0
            refunded[line.line] += line.refund_minor
            back[line.line] = back.get(line.line, 0) + line.quantity
        shipping_back += due.shipping_minor
        assert all(got <= was for got, was in zip(refunded, paid, strict=True))
        assert shipping_back <= shipping_paid
    assert refunded == paid
    assert shipping_back == shipping_paid
    assert sum(refunded) + shipping_back == sale.paid_minor
