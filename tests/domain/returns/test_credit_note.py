"""The GST credit note against worked examples: the invoice's tax reversed on what comes
back, at the rate the invoice charged. Tax inside a value = value × rate / (100 % + rate),
rounded half up; taxable = value − tax; within a state CGST + SGST (the odd paisa to
CGST), across states IGST. Amounts in paise; rates in basis points."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.labels import Address
from app.domain.returns.credit_note import CreditNote, CreditNoteLine, InvoiceRef, credit_note
from app.domain.returns.grades import Grade
from app.domain.returns.refund import RefundDue, UnitsBack, refund_due
from app.domain.returns.refund_rules import RefundRules, RestockingFee
from app.domain.tax.document import Seller
from app.domain.tax.invoice import SHIPPING_SAC, Sale, SaleLine, invoice_amounts
from app.errors import BadInput
from tests.domain.tax.rate_table import RATES

SOLD_ON, RETURNED_ON = date(2026, 11, 20), date(2026, 12, 6)
STORE = Address("Counterbench Bengaluru", ("12, 100 Feet Road",), "Bengaluru", "560038", "KA")
SELLER = Seller("Counterbench Bengaluru", STORE, "29AAACC1206D1ZC")
BENGALURU = Address("Asha Rao", ("22, 5th Main",), "Bengaluru", "560011", "Karnataka")
MUMBAI = Address("Ravi Iyer", ("7 Marine Drive",), "Mumbai", "400020", "Maharashtra")
INVOICE = InvoiceRef("B0001/2627/00123", SOLD_ON, "WEB-200117")
A = Grade.A

# Kurta ₹1,000, 2 bottles at ₹300, speaker ₹400, ₹100 off, ₹50 shipping. The discount
# shares 5,000 / 3,000 / 2,000: paid 95,000 / 57,000 / 38,000 (see test_refund).
ORDER = Sale(
    (
        SaleLine("Cotton kurta", "61091000", 1, 1_000_00),
        SaleLine("Steel bottle", "73239390", 2, 300_00),
        SaleLine("Bluetooth speaker", "85182200", 1, 400_00),
    ),
    discount_minor=100_00,
    shipping_minor=50_00,
)


def _note(sale: Sale, refund: RefundDue, buyer: Address | None) -> CreditNote:
    return credit_note(
        sale, RATES, refund, number="C0001/2627/00001", on=RETURNED_ON, invoice=INVOICE,
        seller=SELLER, buyer=buyer,
    )  # fmt: skip


def _amounts(line: CreditNoteLine) -> tuple[int, ...]:
    return (line.rate_bp, line.taxable_minor, line.cgst_minor, line.sgst_minor, line.igst_minor)


def test_within_the_state_cgst_and_sgst_are_reversed() -> None:
    refund = refund_due(ORDER, [UnitsBack(2, 1, A, "changed_mind")])
    note = _note(ORDER, refund, BENGALURU)
    # the speaker: 38,000 at 18 %: 38,000 × 1800 / 11,800 = 5,796.61 → 5,797
    #   taxable 32,203; CGST 2,899 (the odd paisa), SGST 2,898
    assert note.intra_state and note.place_of_supply.text() == "Karnataka (29)"
    assert [_amounts(line) for line in note.lines] == [(1800, 322_03, 28_99, 28_98, 0)]
    assert note.total_minor == refund.total_minor == 380_00


def test_across_states_igst_is_reversed() -> None:
    refund = refund_due(ORDER, [UnitsBack(2, 1, A, "changed_mind")])
    note = _note(ORDER, refund, MUMBAI)
    # the same 5,797 of tax, all IGST
    assert not note.intra_state and note.place_of_supply.text() == "Maharashtra (27)"
    assert [_amounts(line) for line in note.lines] == [(1800, 322_03, 0, 0, 57_97)]
    assert (note.cgst_minor, note.sgst_minor, note.igst_minor) == (0, 0, 57_97)


def test_a_partial_return_reverses_the_units_that_came_back() -> None:
    refund = refund_due(ORDER, [UnitsBack(1, 1, A, "changed_mind")])
    note = _note(ORDER, refund, BENGALURU)
    # 1 bottle of 2: 57,000 × 1 / 2 = 28,500 at 5 %: 28,500 × 500 / 10,500 = 1,357.14
    #   → 1,357; taxable 27,143; CGST 679, SGST 678
    assert [_amounts(line) for line in note.lines] == [(500, 271_43, 6_79, 6_78, 0)]
    assert note.lines[0].quantity == 1


def test_a_whole_return_with_shipping_reverses_exactly_the_invoice() -> None:
    everything = [
        UnitsBack(i, line.quantity, A, "changed_mind") for i, line in enumerate(ORDER.lines)
    ]
    refund = refund_due(ORDER, everything)
    note = _note(ORDER, refund, MUMBAI)
    # kurta 95,000 at 5 %: 4,523.81 → 4,524; bottles 57,000 at 5 %: 2,714.29 → 2,714;
    # speaker 5,797 (above); shipping 5,000 at the invoice's highest rate, 18 %:
    #   5,000 × 1800 / 11,800 = 762.71 → 763
    assert [line.igst_minor for line in note.lines] == [45_24, 27_14, 57_97, 7_63]
    assert (note.lines[-1].hsn, note.lines[-1].taxable_minor) == (SHIPPING_SAC, 42_37)
    # 95,000 + 57,000 + 38,000 + 5,000 = 1,95,000: all that was paid, all its tax
    invoice = invoice_amounts(ORDER, RATES, on=SOLD_ON, intra_state=False)
    assert (note.total_minor, note.igst_minor) == (1_950_00, invoice.igst_minor)
    assert note.taxable_minor == invoice.taxable_minor


def test_a_restocking_fee_stays_out_of_the_credit_note() -> None:
    headphones = Sale((SaleLine("Headphones", "85183000", 1, 2_999_00),))
    rules = RefundRules(restocking=RestockingFee(1000, categories=frozenset({"audio"})))
    back = [UnitsBack(0, 1, Grade.B, "changed_mind", category="audio")]
    note = _note(headphones, refund_due(headphones, back, rules=rules), BENGALURU)
    # 2,99,900 less the 10 % fee 29,990 = 2,69,910 back, at 18 %:
    #   2,69,910 × 1800 / 11,800 = 41,172.71 → 41,173; taxable 2,28,737;
    #   CGST 20,587, SGST 20,586
    assert [_amounts(line) for line in note.lines] == [(1800, 2_287_37, 205_87, 205_86, 0)]


@pytest.mark.parametrize(
    ("price", "discount", "rate", "taxable", "tax"),
    [
        # ₹2,400 a piece, within the band: 5 %; 2,40,000 × 500 / 10,500 = 11,428.57 → 11,429
        (2_400_00, 0, 500, 2_285_71, 114_29),
        # ₹3,000, above ₹2,500: 18 %; 3,00,000 × 1800 / 11,800 = 45,762.71 → 45,763
        (3_000_00, 0, 1800, 2_542_37, 457_63),
        # ₹2,600 less ₹200 off = ₹2,400 paid: judged after the discount, 5 % (as above)
        (2_600_00, 200_00, 500, 2_285_71, 114_29),
    ],
)
def test_an_apparel_line_is_reversed_at_its_price_bands_rate(
    price: int, discount: int, rate: int, taxable: int, tax: int
) -> None:
    jacket = Sale((SaleLine("Wool jacket", "62019300", 1, price),), discount_minor=discount)
    note = _note(jacket, refund_due(jacket, [UnitsBack(0, 1, A, "changed_mind")]), MUMBAI)
    assert _amounts(note.lines[0]) == (rate, taxable, 0, 0, tax)


def test_a_walk_in_sale_is_supplied_in_the_stores_state() -> None:
    sale = Sale((SaleLine("Bluetooth speaker", "85182200", 1, 1_180_00, sku="SPK-01"),))
    note = _note(sale, refund_due(sale, [UnitsBack(0, 1, A, "changed_mind")]), None)
    assert (note.lines[0].description, note.lines[0].sku) == ("Bluetooth speaker", "SPK-01")
    # ₹1,180 at 18 %: 18,000 of tax exactly, 9,000 each
    assert note.intra_state and note.place_of_supply.text() == "Karnataka (29)"
    assert (note.cgst_minor, note.sgst_minor, note.taxable_minor) == (90_00, 90_00, 1_000_00)


@pytest.mark.parametrize("number", ["", "C0001/2627/000001", "C 1", "CN#1"])
def test_a_number_outside_the_gst_rule_is_refused(number: str) -> None:
    refund = refund_due(ORDER, [UnitsBack(2, 1, A, "changed_mind")])
    with pytest.raises(BadInput, match="cannot be a credit note number"):
        credit_note(
            ORDER, RATES, refund, number=number, on=RETURNED_ON, invoice=INVOICE,
            seller=SELLER, buyer=BENGALURU,
        )  # fmt: skip
