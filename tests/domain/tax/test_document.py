"""The tax invoice: the place of supply is the delivery state, within the seller's
GSTIN state CGST + SGST, across states IGST; its number follows the GST rule."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.domain.labels import Address
from app.domain.tax.document import Seller, tax_invoice
from app.domain.tax.invoice import Sale, SaleLine
from app.errors import BadInput
from tests.domain.tax.rate_table import RATES

STORE = Address("Counterbench Bengaluru", ("12, 100 Feet Road",), "Bengaluru", "560038", "KA")
SELLER = Seller("Counterbench Bengaluru", STORE, "29AAACC1206D1ZC")
MUMBAI = Address("Ravi Iyer", ("7 Marine Drive",), "Mumbai", "400020", "Maharashtra")
BENGALURU = Address("Asha Rao", ("22, 5th Main",), "Bengaluru", "560011", "karnataka")
SALE = Sale((SaleLine("Bluetooth speaker", "85182200", 1, 1_180_00),), shipping_minor=59_00)


def test_a_delivery_in_the_sellers_state_pays_cgst_and_sgst() -> None:
    invoice = tax_invoice(
        SALE, RATES, number="BLR1-2627-0001", on=date(2026, 12, 6), order_number="WEB-200117",
        seller=SELLER, buyer=BENGALURU,
    )  # fmt: skip
    assert invoice.place_of_supply.text() == "Karnataka (29)"
    assert invoice.amounts.intra_state
    # ₹1,180 + ₹59 shipping at 18 %: 18,000 + 900 tax, half each
    assert (invoice.amounts.cgst_minor, invoice.amounts.sgst_minor) == (94_50, 94_50)
    assert invoice.amounts.igst_minor == 0


def test_a_delivery_to_another_state_pays_igst() -> None:
    invoice = tax_invoice(
        SALE, RATES, number="BLR1-2627-0002", on=date(2026, 12, 6), order_number="WEB-200118",
        seller=SELLER, buyer=MUMBAI,
    )  # fmt: skip
    assert invoice.place_of_supply.text() == "Maharashtra (27)"
    assert not invoice.amounts.intra_state
    assert (invoice.amounts.igst_minor, invoice.amounts.total_minor) == (189_00, 1_239_00)


def test_a_delivery_state_that_is_no_state_is_refused() -> None:
    with pytest.raises(BadInput, match="'Bangalore' is not an Indian state"):
        tax_invoice(
            SALE, RATES, number="BLR1-1", on=date(2026, 12, 6), order_number="WEB-1",
            seller=SELLER, buyer=dataclasses.replace(BENGALURU, state="Bangalore"),
        )  # fmt: skip


@pytest.mark.parametrize("number", ["", "BLR1-2627-000001X", "BLR 0001", "INV#1"])
def test_an_invoice_number_outside_the_gst_rule_is_refused(number: str) -> None:
    with pytest.raises(BadInput, match="cannot be an invoice number"):
        tax_invoice(
            SALE, RATES, number=number, on=date(2026, 12, 6), order_number="WEB-1",
            seller=SELLER, buyer=BENGALURU,
        )  # fmt: skip


def test_a_seller_with_a_wrong_gstin_is_refused() -> None:
    with pytest.raises(BadInput, match="check"):
        Seller("Counterbench Bengaluru", STORE, "29AAACC1206D1ZD")
