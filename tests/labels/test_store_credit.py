"""The return receipt of a return without an order (store credit): its PDF's text says it
is no GST credit note and carries the number, the store and its GSTIN, the day, the
customer's phone masked, each unit with its SKU, grade and reason, the store credit in ₹
with Indian grouping and the approving manager; its Code 128 of the number decodes with
zxing, on every page of a long one."""

from __future__ import annotations

from functools import cache

import pytest

from app.domain.returns.grades import Grade
from app.domain.returns.store_credit import CreditUnit, StoreCreditReceipt
from app.labels.layout import Label
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.samples import sample_store_credit
from app.labels.templates.store_credit import lay_out_store_credit
from tests.labels.support import decode, expected, pdf_pages, pdf_texts

# Forty units of a bulk buy back without a receipt, ₹1,23,456.78 each: over two pages.
MANY = tuple(
    CreditUnit(f"Copper water pot, 2 litre, lot {n}", f"SKU-7{n:03d}", Grade.A, "Not needed",
               1_234_56_78)
    for n in range(1, 41)
)  # fmt: skip
RECEIPTS = {
    "sample": lambda: sample_store_credit(),
    "long": lambda: sample_store_credit(MANY, number="C0002/2627/00417"),
}


@cache
def _receipt(name: str) -> StoreCreditReceipt:
    return RECEIPTS[name]()


@cache
def _label(name: str, dpi: int) -> Label:
    return lay_out_store_credit(_receipt(name), BUILT_IN["a4-laser"].at_dpi(dpi))


@cache
def _pdf(name: str, dpi: int) -> bytes:
    return render_pdf(_label(name, dpi))


def test_it_says_it_is_a_store_credit_receipt_with_everything_the_customer_needs() -> None:
    (text,) = pdf_texts(_pdf("sample", 300))
    for said in (
        "Return receipt — store credit", "without the original invoice: not a GST credit note",
        "No. C0001/2627/00003", "Date 18 Dec 2026", "Counterbench Bengaluru",
        "GSTIN 29AABCK1234K1ZK", "Phone ••2345", "Approved by manager M300",
        "Silk kurta, indigo, size M", "SKU-1000", "A New, unopened", "Wrong size", "2,600.00",
        "Leather sandals, size 8", "SKU-1002", "B Opened, like new", "Changed mind", "3,250.00",
        "Store credit ₹5,850.00", "Return receipt C0001/2627/00003 · page 1 of 1",
    ):  # fmt: skip
        assert said in text, said
    assert "9845012345" not in text and "98450" not in text  # only the last four digits
    for gst_word in ("HSN", "CGST", "SGST", "IGST", "Against invoice", "Credit note"):
        assert gst_word not in text, gst_word


def test_a_long_receipt_turns_the_page_and_totals_with_indian_grouping() -> None:
    pages = pdf_texts(_pdf("long", 203))
    assert len(pages) == 2
    text = "\n".join(pages)
    assert "₹49,38,271.20" in text and "4,938,271" not in text  # 40 × ₹1,23,456.78
    assert "1,23,456.78" in text and "SKU-7040" in text
    assert "Return receipt C0002/2627/00417 (continued)" in pages[1]
    assert all("Store credit" in page and "Grade" in page for page in pages)  # heads repeat
    for number, page in enumerate(pages, start=1):
        assert f"Return receipt C0002/2627/00417 · page {number} of 2" in page


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("name", ["sample", "long"])
def test_the_number_barcode_decodes(name: str, dpi: int) -> None:
    label = _label(name, dpi)
    read = [decode(image) for image in pdf_pages(_pdf(name, dpi), dpi)]
    assert read == [expected(page) for page in label.pages]
    assert read[0] == [("Code128", _receipt(name).number, "]C0")]
