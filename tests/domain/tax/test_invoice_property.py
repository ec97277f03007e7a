"""For any order: the invoice's lines add up to exactly what the customer paid, the
discount shares to exactly the discount, and CGST and SGST to exactly each line's tax."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.tax.invoice import Sale, SaleLine, invoice_amounts
from tests.domain.tax.rate_table import RATES

HSN_CODES = ("61091000", "62034200", "64039990", "73239390", "85182200", "10063020", "10019910")

lines = st.lists(
    st.builds(
        SaleLine,
        description=st.just("Item"),
        hsn=st.sampled_from(HSN_CODES),
        quantity=st.integers(1, 6),
        paid_minor=st.integers(0, 6_000_00),
    ),
    min_size=1,
    max_size=6,
)


@st.composite
def sales(draw: st.DrawFn) -> Sale:
    goods = draw(lines)
    shipping = draw(st.integers(0, 250_00))
    paid = sum(line.paid_minor * line.quantity for line in goods)
    discount = draw(st.integers(0, paid + shipping))
    return Sale(tuple(goods), discount_minor=discount, shipping_minor=shipping)


@settings(max_examples=200, deadline=None)
@given(sale=sales(), intra_state=st.booleans())
def test_the_invoice_adds_up_to_what_was_paid(sale: Sale, intra_state: bool) -> None:
    amounts = invoice_amounts(sale, RATES, on=date(2026, 12, 6), intra_state=intra_state)
    total = sum(x.taxable_minor + x.cgst_minor + x.sgst_minor + x.igst_minor for x in amounts.lines)
    assert total == amounts.total_minor == sale.paid_minor
    assert amounts.discount_minor == sale.discount_minor
    for line in amounts.lines:
        assert line.taxable_minor >= 0 and line.tax_minor >= 0
        assert line.total_minor == line.unit_price_minor * line.quantity - line.discount_minor
        if intra_state:
            assert line.igst_minor == 0 and 0 <= line.cgst_minor - line.sgst_minor <= 1
        else:
            assert line.cgst_minor == line.sgst_minor == 0
