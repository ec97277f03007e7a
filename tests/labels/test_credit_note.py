"""The credit note of a return, which is the customer's return receipt: its PDF's text
carries the worked example's amounts (intra-state CGST + SGST, inter-state IGST), the
restocking fee kept, shipping refunded and the refund method; its Code 128s of the credit
note number and the order number decode with zxing."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from app.domain.returns.grades import Grade
from app.domain.returns.receipt import ReturnReceipt
from app.domain.returns.refund import UnitsBack
from app.domain.returns.refund_rules import RefundMethod
from app.errors import BadInput
from app.labels.layout import Label
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.samples import sample_invoice, sample_receipt
from app.labels.templates.credit_note import lay_out_credit_note
from tests.labels import cases
from tests.labels.support import decode, expected, pdf_pages, pdf_texts

# Every unit of the long order, sent to Mumbai, back: the whole order over three pages.
EVERYTHING = tuple(
    UnitsBack(i, line.quantity, Grade.A, "changed_mind")
    for i, line in enumerate(cases.LONG_SALE.lines)
)
RECEIPTS = {
    "intra": lambda: sample_receipt(),
    "inter": lambda: sample_receipt(buyer=cases.MUMBAI, method=RefundMethod.STORE_CREDIT),
    "long": lambda: sample_receipt(cases.LONG_SALE, cases.MUMBAI, EVERYTHING,
                                   number="C0001/2627/00002"),
    "walk-in": lambda: sample_receipt(buyer=None, back=(UnitsBack(1, 1, Grade.A, "not_needed"),),
                                      method=RefundMethod.STORE_CREDIT),
}  # fmt: skip


@cache
def _receipt(name: str) -> ReturnReceipt:
    return RECEIPTS[name]()


@cache
def _label(name: str, dpi: int) -> Label:
    return lay_out_credit_note(_receipt(name), BUILT_IN["a4-laser"].at_dpi(dpi))


@cache
def _pdf(name: str, dpi: int) -> bytes:
    return render_pdf(_label(name, dpi))


def test_within_the_state_it_reverses_cgst_and_sgst_line_by_line() -> None:
    (text,) = pdf_texts(_pdf("intra", 300))
    for said in (
        "Credit note", "Return receipt · order WEB-100234", "No. C0001/2627/00001",
        "Date 18 Dec 2026", "Against invoice B0001/2627/00123", "of 06 Dec 2026, order WEB-100234",
        "GSTIN 29AABCK1234K1ZK", "Place of supply Karnataka (29)", "Priya Sharma",
        # One of two bottles (₹846.95 paid for both after the discount share): ₹423.47, less
        # the 10 % restocking fee of ₹42.34 = ₹381.13 back; 5 %: tax 18.15 = 9.08 + 9.07
        "SKU-1001", "73239390", "423.47", "42.34", "362.98", "9.08", "9.07", "381.13",
        # The dead speaker, all of its ₹1,413.79 back at 18 %: 1,198.13 + 107.83 × 2
        "85182200", "1,413.79", "1,198.13", "107.83",
        # Shipping back whole (defective: the retailer's fault) at the invoice's 18 %
        "996812", "83.90", "7.55",
        # 1,645.01 + 124.46 + 124.45 = 1,893.92 = 381.13 + 1,413.79 + 99.00
        "₹1,645.01", "₹124.46", "₹124.45", "₹1,893.92",
        "Refund ₹1,893.92 to the original payment", "restocking fee of ₹42.34 is kept",
        "Shipping of ₹99.00 is refunded", "Credit note C0001/2627/00001 · page 1 of 1",
    ):  # fmt: skip
        assert said in text, said
    assert "IGST" not in text.replace("IGST (supply", "")
    note = _receipt("intra").note
    assert (note.taxable_minor, note.cgst_minor, note.sgst_minor) == (1_645_01, 124_46, 124_45)
    assert note.total_minor == _receipt("intra").refund.total_minor == 1_893_92


def test_to_another_state_it_reverses_igst_and_says_store_credit() -> None:
    (text,) = pdf_texts(_pdf("inter", 203))
    # The same return delivered to Mumbai: IGST 18.15 + 215.66 + 15.10 = 248.91
    for said in (
        "Place of supply Maharashtra (27)", "Ravi Iyer", "18.15", "215.66", "15.10",
        "₹1,645.01", "₹248.91", "₹1,893.92", "Refund ₹1,893.92 as store credit",
    ):  # fmt: skip
        assert said in text, said
    assert "CGST" not in text and "SGST" not in text


def test_a_whole_order_back_reverses_exactly_what_its_invoice_charged_over_pages() -> None:
    pages = pdf_texts(_pdf("long", 203))
    invoice = sample_invoice(cases.LONG_SALE, cases.MUMBAI).amounts
    assert len(pages) == 3
    text = "\n".join(pages)
    assert f"₹{invoice.total_minor // 100:,}" not in text  # never western grouping
    assert "₹2,17,560.44" in text and "₹26,625.63" in text and "₹1,90,934.81" in text
    note = _receipt("long").note
    assert (note.igst_minor, note.total_minor) == (invoice.igst_minor, invoice.total_minor)
    for number, page in enumerate(pages, start=1):
        assert f"Credit note C0001/2627/00002 · page {number} of 3" in page
    assert "Credit note C0001/2627/00002 (continued)" in pages[1]
    assert all("HSN/SAC" in page for page in pages[:2])  # the table's heads repeat


def test_a_walk_in_return_names_no_customer_and_keeps_shipping() -> None:
    (text,) = pdf_texts(_pdf("walk-in", 203))
    assert "Walk-in customer" in text and "Place of supply Karnataka (29)" in text
    assert "Shipping is not refunded." in text and "as store credit" in text


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("name", ["intra", "long"])
def test_the_credit_note_and_order_barcodes_decode(name: str, dpi: int) -> None:
    label = _label(name, dpi)
    read = [decode(image) for image in pdf_pages(_pdf(name, dpi), dpi)]
    assert read == [expected(page) for page in label.pages]
    number = _receipt(name).note.number
    assert read[0] == sorted([("Code128", number, "]C0"), ("Code128", "WEB-100234", "]C0")])


def test_a_credit_note_that_does_not_match_its_refund_is_refused() -> None:
    receipt = _receipt("intra")
    short = dataclasses.replace(receipt.note, lines=receipt.note.lines[:2])  # shipping lost
    with pytest.raises(BadInput, match="does not match the refund"):
        ReturnReceipt(short, receipt.refund, receipt.method)
