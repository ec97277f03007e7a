"""The packing slip printed as the tax invoice: its PDF's text carries the seller's GSTIN,
the place of supply, each line's HSN code and amounts and the totals in ₹ with Indian
grouping; CGST + SGST within the state, IGST across; its barcodes decode."""

from __future__ import annotations

from datetime import date

from app.domain.labels import LabelKind, SlipLine
from app.labels.parcel_documents import ShipOrder, packing_slip
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.samples import TAX_INVOICE_SLIP, sample_invoice
from app.labels.templates import lay_out
from tests.labels import cases
from tests.labels.support import decode, expected, pdf_pages, pdf_texts

A4 = BUILT_IN["a4-laser"]


def test_the_sample_invoice_prints_its_amounts_and_parties() -> None:
    (text,) = pdf_texts(cases.pdf("tax-invoice", 300))
    invoice = TAX_INVOICE_SLIP.invoice
    assert invoice is not None
    for said in (
        "Tax invoice", "No. B0001/2627/00123", "Date 06 Dec 2026", "GSTIN 29AABCK1234K1ZK",
        "Place of supply Karnataka (29)", "CGST", "SGST",
        "61091000", "73239390", "64039990", "85182200", "996812",
        # Silk kurta ₹2,600 less its ₹147.79 share of the ₹500 discount: ₹2,452.21, 5 %
        "2,600.00", "147.79", "2,335.44", "58.39", "58.38", "2,452.21",
        # Totals: taxable + CGST + SGST = ₹8,796 paid − ₹500 + ₹99 shipping
        "₹7,460.57", "₹467.23", "₹467.20", "₹8,395.00",
    ):  # fmt: skip
        assert said in text, said
    assert "IGST" not in text.replace("IGST (supply", "")
    assert (invoice.amounts.taxable_minor, invoice.amounts.total_minor) == (7_460_57, 8_395_00)


def test_an_invoice_to_another_state_prints_igst_over_pages_with_lakh_grouping() -> None:
    pages = pdf_texts(cases.pdf("tax-invoice-long", 203))
    invoice = cases.LONG_INVOICE.invoice
    assert invoice is not None and len(pages) == 3
    text = "\n".join(pages)
    assert "Place of supply Maharashtra (27)" in text
    assert "CGST" not in text and "SGST" not in text
    assert f"₹{invoice.amounts.total_minor // 100:,}" not in text  # never western grouping
    assert "₹2,17,560.44" in text and "₹26,625.63" in text  # total, IGST
    assert invoice.amounts.total_minor == cases.LONG_SALE.paid_minor == 2_17_560_44
    for number, page in enumerate(pages, start=1):
        assert f"Invoice BLR1-2627-000124 · page {number} of 3" in page
    assert all("HSN/SAC" in page for page in pages[:2])  # the table's heads repeat
    assert "Returns" in pages[-1] and "Returns" not in pages[0]


def test_the_order_barcode_and_returns_code_decode_on_every_page() -> None:
    label = cases.label("tax-invoice-long", 300)
    images = pdf_pages(cases.pdf("tax-invoice-long", 300), 300)
    read = [decode(image) for image in images]
    assert read == [expected(page) for page in label.pages]
    assert ("Code128", "WEB-100234", "]C0") in read[0]
    assert ("QRCode", "https://returns.example.in/r/WEB-100234", "]Q1") in read[-1]


def test_the_bench_slip_becomes_the_tax_invoice_when_given_one() -> None:
    ship_to = {"name": "Ravi Iyer", "line1": "7 Marine Drive", "city": "Mumbai",
               "state": "MH", "pincode": "400020", "phone": "+91 98200 11223"}  # fmt: skip
    order = ShipOrder("WEB-100234", date(2026, 12, 5), ship_to, "prepaid", None, "SWIFT", "Exp")
    lines = [SlipLine(1, "SKU-1000", "8901234567890", "Silk kurta, indigo, size M")]
    plain = packing_slip(order, lines, store_name="Counterbench", returns_url="https://r.in")
    invoice = sample_invoice(buyer=plain.ship_to)
    slip = packing_slip(
        order, lines, store_name="Counterbench", returns_url="https://r.in", invoice=invoice
    )
    (text,) = pdf_texts(render_pdf(lay_out(LabelKind.PACKING_SLIP, slip, A4)))
    (plain_text,) = pdf_texts(render_pdf(lay_out(LabelKind.PACKING_SLIP, plain, A4)))
    assert "Place of supply Maharashtra (27)" in text and "IGST" in text
    assert "Tax invoice" in text and "Tax invoice" not in plain_text
    assert "Packing slip" in plain_text
