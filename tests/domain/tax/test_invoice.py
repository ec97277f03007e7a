"""Tax invoice amounts against worked examples, each written out by hand.

Prices are tax inclusive: tax = value × rate / (100 % + rate), rounded half up to the
paisa, and taxable value = value − tax. Amounts in paise; rates in basis points.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.tax.invoice import (
    SHIPPING_SAC,
    InvoiceLine,
    Sale,
    SaleLine,
    invoice_amounts,
    part_charges,
    share_out,
)
from app.errors import BadInput
from tests.domain.tax.rate_table import RATES

TODAY = date(2026, 12, 6)
KURTA = "61091000"  # apparel: 5 % up to ₹2,500 a piece, 18 % above
SHOES = "64039990"  # footwear: the same band
BOTTLE = "73239390"  # steel kitchenware: 5 %
SPEAKER = "85182200"  # electronics: 18 %


def _line(amounts: tuple[InvoiceLine, ...], index: int) -> tuple[int, ...]:
    """(discount, rate, taxable, cgst, sgst, igst, total) of one invoice line."""
    x = amounts[index]
    return (
        x.discount_minor, x.rate_bp, x.taxable_minor, x.cgst_minor, x.sgst_minor,
        x.igst_minor, x.total_minor,
    )  # fmt: skip


def test_within_the_state_the_tax_is_cgst_and_sgst_half_each() -> None:
    sale = Sale((SaleLine("Bluetooth speaker", SPEAKER, 1, 1_180_00),))
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=True)
    # ₹1,180.00 at 18 %: tax = 1,18,000 × 1800 / 11,800 = 18,000 paise exactly
    # taxable 1,18,000 − 18,000 = 1,00,000; CGST 9,000 + SGST 9,000
    assert _line(amounts.lines, 0) == (0, 1800, 1_000_00, 90_00, 90_00, 0, 1_180_00)
    assert (amounts.taxable_minor, amounts.cgst_minor, amounts.sgst_minor) == (
        1_000_00, 90_00, 90_00,
    )  # fmt: skip
    assert amounts.total_minor == 1_180_00


def test_across_states_the_tax_is_all_igst() -> None:
    sale = Sale((SaleLine("Cotton kurta", KURTA, 2, 1_050_00),))
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=False)
    # 2 × ₹1,050.00 = 2,10,000; ₹1,050 a piece is within the band: 5 %
    # tax = 2,10,000 × 500 / 10,500 = 10,000 exactly; taxable 2,00,000; all IGST
    assert _line(amounts.lines, 0) == (0, 500, 2_000_00, 0, 0, 100_00, 2_100_00)
    assert (amounts.cgst_minor, amounts.sgst_minor, amounts.igst_minor) == (0, 0, 100_00)


def test_the_order_discount_is_shared_over_three_lines_by_paid_value() -> None:
    sale = Sale(
        (
            SaleLine("Cotton kurta", KURTA, 1, 1_000_00),  # paid 1,00,000
            SaleLine("Steel bottle", BOTTLE, 2, 300_00),  # paid 60,000
            SaleLine("Bluetooth speaker", SPEAKER, 1, 400_00),  # paid 40,000
        ),
        discount_minor=100_00,
    )
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=True)
    # ₹100 over 2,00,000 paid: 10,000 × 1,00,000/2,00,000 = 5,000; × 60,000/… = 3,000;
    # × 40,000/… = 2,000 (exact, nothing left over).
    # Kurta: 1,00,000 − 5,000 = 95,000 at 5 %: 95,000 × 500 / 10,500 = 4,523.81 → 4,524
    #   taxable 90,476; CGST 2,262, SGST 2,262
    assert _line(amounts.lines, 0) == (50_00, 500, 904_76, 22_62, 22_62, 0, 950_00)
    # Bottles: 60,000 − 3,000 = 57,000 at 5 %: 57,000 × 500 / 10,500 = 2,714.29 → 2,714
    #   taxable 54,286; CGST 1,357, SGST 1,357
    assert _line(amounts.lines, 1) == (30_00, 500, 542_86, 13_57, 13_57, 0, 570_00)
    # Speaker: 40,000 − 2,000 = 38,000 at 18 %: 38,000 × 1800 / 11,800 = 5,796.61 → 5,797
    #   taxable 32,203; the odd paisa to CGST: 2,899 + 2,898
    assert _line(amounts.lines, 2) == (20_00, 1800, 322_03, 28_99, 28_98, 0, 380_00)
    # Totals: taxable 90,476 + 54,286 + 32,203 = 1,76,965; tax 4,524 + 2,714 + 5,797 = 13,035
    assert amounts.taxable_minor == 1_769_65
    assert amounts.cgst_minor + amounts.sgst_minor == 130_35
    assert amounts.total_minor == 1_900_00 == sale.paid_minor  # 2,00,000 − 10,000


def test_an_apparel_line_drops_into_the_lower_band_only_after_the_discount() -> None:
    kurta = SaleLine("Silk kurta", KURTA, 1, 2_600_00)
    full = invoice_amounts(Sale((kurta,)), RATES, on=TODAY, intra_state=False)
    # No discount: ₹2,600 a piece is above ₹2,500: 18 %
    #   2,60,000 × 1800 / 11,800 = 39,661.02 → 39,661; taxable 2,20,339
    assert _line(full.lines, 0) == (0, 1800, 2_203_39, 0, 0, 396_61, 2_600_00)
    discounted = Sale((kurta,), discount_minor=150_00)
    amounts = invoice_amounts(discounted, RATES, on=TODAY, intra_state=False)
    # ₹150 off: ₹2,450 a piece, within the band: 5 %
    #   2,45,000 × 500 / 10,500 = 11,666.67 → 11,667; taxable 2,33,333
    assert _line(amounts.lines, 0) == (150_00, 500, 2_333_33, 0, 0, 116_67, 2_450_00)


def test_a_shared_discount_moves_one_apparel_line_across_the_band_and_not_the_other() -> None:
    sale = Sale(
        (
            SaleLine("Wool jacket", "62011010", 1, 2_520_00),  # paid 2,52,000
            SaleLine("Leather shoes", SHOES, 1, 3_780_00),  # paid 3,78,000
        ),
        discount_minor=90_00,
    )
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=True)
    # ₹90 over 6,30,000 paid: 9,000 × 2,52,000 / 6,30,000 = 3,600; × 3,78,000 / … = 5,400
    # Jacket: ₹2,520 before, 2,52,000 − 3,600 = 2,48,400 (₹2,484) after: 5 %
    #   2,48,400 × 500 / 10,500 = 11,828.57 → 11,829 (odd: CGST 5,915, SGST 5,914)
    assert _line(amounts.lines, 0) == (36_00, 500, 2_365_71, 59_15, 59_14, 0, 2_484_00)
    # Shoes: 3,78,000 − 5,400 = 3,72,600 (₹3,726), still above: 18 %
    #   3,72,600 × 1800 / 11,800 = 56,837.29 → 56,837 (CGST 28,419, SGST 28,418)
    assert _line(amounts.lines, 1) == (54_00, 1800, 3_157_63, 284_19, 284_18, 0, 3_726_00)


def test_a_price_that_is_exactly_the_limit_stays_in_the_lower_band() -> None:
    sale = Sale((SaleLine("Denim jeans", "62034200", 2, 2_550_00),), discount_minor=100_00)
    (line,) = invoice_amounts(sale, RATES, on=TODAY, intra_state=False).lines
    # 2 × ₹2,550 = 5,10,000 − 10,000 = 5,00,000: ₹2,500 a piece, the limit itself: 5 %
    #   5,00,000 × 500 / 10,500 = 23,809.52 → 23,810
    assert (line.rate_bp, line.igst_minor, line.taxable_minor) == (500, 238_10, 4_761_90)


def test_shipping_is_a_line_of_its_own_at_the_highest_goods_rate() -> None:
    goods = (
        SaleLine("Cotton kurta", KURTA, 1, 999_00),  # 5 %
        SaleLine("Bluetooth speaker", SPEAKER, 1, 1_499_00),  # 18 %
    )
    amounts = invoice_amounts(Sale(goods, shipping_minor=99_00), RATES, on=TODAY, intra_state=True)
    shipping = amounts.lines[-1]
    # ₹99 at 18 % (the speaker's): 9,900 × 1800 / 11,800 = 1,510.17 → 1,510; taxable 8,390
    assert (shipping.hsn, shipping.quantity, shipping.unit_price_minor) == (SHIPPING_SAC, 1, 99_00)
    assert _line(amounts.lines, 2) == (0, 1800, 83_90, 7_55, 7_55, 0, 99_00)
    # Kurta alone: shipping at its 5 %: 9,900 × 500 / 10,500 = 471.43 → 471; taxable 9,429;
    # odd paisa to CGST: 236 + 235
    alone = invoice_amounts(
        Sale(goods[:1], shipping_minor=99_00), RATES, on=TODAY, intra_state=True
    )
    assert _line(alone.lines, 1) == (0, 500, 94_29, 2_36, 2_35, 0, 99_00)
    assert alone.total_minor == 999_00 + 99_00


def test_a_discount_above_the_goods_comes_off_the_shipping() -> None:
    sale = Sale(
        (SaleLine("Free sample bottle", BOTTLE, 1, 50_00),), discount_minor=80_00,
        shipping_minor=60_00,
    )  # fmt: skip
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=False)
    # The bottle's ₹50 is all discount (₹0 left); the other ₹30 comes off the ₹60
    # shipping: ₹30 at 5 % = 3,000 × 500 / 10,500 = 142.86 → 143; taxable 2,857
    assert _line(amounts.lines, 0) == (50_00, 500, 0, 0, 0, 0, 0)
    assert _line(amounts.lines, 1) == (30_00, 500, 28_57, 0, 0, 1_43, 30_00)
    assert amounts.total_minor == 30_00 == sale.paid_minor


def test_largest_remainder_keeps_the_paisa_that_rounding_down_would_lose() -> None:
    sale = Sale(
        tuple(SaleLine(f"Charger {n}", SPEAKER, 1, 100_00) for n in (1, 2, 3)),
        discount_minor=1_00,
    )
    amounts = invoice_amounts(sale, RATES, on=TODAY, intra_state=True)
    # 100 paise over three equal lines: 33.33 each. Rounded down that is 99 and a paisa
    # is lost; the largest remainder (a tie: the first line) takes it: 34 + 33 + 33.
    assert [x.discount_minor for x in amounts.lines] == [34, 33, 33]
    # 10,000 − 34 = 9,966 at 18 %: 1,520.24 → 1,520; 9,967: 1,520.39 → 1,520
    assert [x.taxable_minor for x in amounts.lines] == [84_46, 84_47, 84_47]
    assert amounts.total_minor == 299_00  # 30,000 − 100, not 299.01
    # Tax per line, not on the total: 3 × 1,520 = 4,560 (29,900 × 18/118 would be 4,561)
    assert amounts.cgst_minor + amounts.sgst_minor == 45_60


def test_share_out_adds_up_and_follows_the_weights() -> None:
    assert share_out(10, [1, 1, 1]) == [4, 3, 3]
    assert share_out(5, [0, 3, 7]) == [0, 2, 3]  # 1.5 → 1 (remainder 5), 3.5 → 3 (5): tie
    assert share_out(0, [0, 0]) == [0, 0]


def test_an_hsn_no_row_covers_takes_the_items_own_rate_or_is_refused() -> None:
    cream = SaleLine("Face cream", "33049910", 1, 590_00, item_rate_bp=1800)
    (line,) = invoice_amounts(Sale((cream,)), RATES, on=TODAY, intra_state=False).lines
    assert (line.rate_bp, line.igst_minor) == (1800, 90_00)  # 59,000 × 18/118 = 9,000
    unknown = SaleLine("Face cream", "33049910", 1, 590_00)
    with pytest.raises(BadInput, match="No GST rate is on record for HSN 33049910") as caught:
        invoice_amounts(Sale((unknown,)), RATES, on=TODAY, intra_state=False)
    assert "Ask HQ" in caught.value.next_step


@pytest.mark.parametrize(
    "sale",
    [
        lambda: Sale(()),
        lambda: Sale((SaleLine("Mug", BOTTLE, 0, 100_00),)),
        lambda: Sale((SaleLine("Mug", BOTTLE, 1, 100_00),), discount_minor=200_00),
        lambda: Sale((SaleLine("Mug", BOTTLE, 1, 100_00),), shipping_minor=-1),
    ],
)
def test_a_sale_that_cannot_be_invoiced_is_refused(sale: object) -> None:
    with pytest.raises(BadInput):
        sale()  # type: ignore[operator]


def test_an_order_in_parts_shares_its_discount_and_shipping_by_their_goods() -> None:
    # goods 3 : 1. Discount 10,001: 7,500.75 and 2,500.25, the paisa left to the larger
    # remainder (the first); shipping 9,999: 7,499.25 and 2,499.75, the paisa to the second.
    assert part_charges(10_001, 9_999, [1_500_00, 500_00]) == [(7_501, 7_499), (2_500, 2_500)]
    assert part_charges(100_00, 60_00, [1_000_00]) == [(100_00, 60_00)]  # one part: all
    assert part_charges(100_00, 60_00, [0, 0]) == [(100_00, 60_00), (0, 0)]  # no goods left
    assert part_charges(5, 7, []) == []
