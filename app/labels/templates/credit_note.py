"""The credit note of a return, which is the customer's return receipt (A4 or Letter).

The seller with its GSTIN, the customer if known and the place of supply, the credit note's
number and date against the invoice and order it corrects; a line per item taken back
with its HSN code, what was paid for those units, the restocking fee kept, and the taxable
value and GST reversed (CGST + SGST within the state, IGST across), then shipping when it
comes back; totals in ₹ with Indian grouping, and how the refund is paid. Code 128 of the
credit note number and of the order number, so a later return or an audit scans them.
The table, totals and page turns are the tax invoice's (``gst_table``).
"""

from __future__ import annotations

from app.domain.master_fields import rate_text
from app.domain.money import Money
from app.domain.returns.credit_note import CreditNoteLine
from app.domain.returns.receipt import METHOD_WORDS, ReceiptLine, ReturnReceipt
from app.labels.layout import Label, Sheet, min_module
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.symbols import code128
from app.labels.templates.gst_table import (
    Column,
    Pages,
    amount,
    columns,
    number_pages,
    parties,
    table_heads,
    table_row,
    tax_rows,
    totals,
)

KIND = "credit-note"
_MIDDLE: tuple[Column, ...] = (
    ("Qty", 8, "right"),
    ("Paid", 18, "right"),
    ("Restocking fee", 17, "right"),
    ("Taxable value", 19, "right"),
    ("GST rate", 10, "right"),
)


def _barcode(pages: Pages, value: str, said: str, top: int) -> None:
    """A Code 128 of ``value`` in the header's right half, ``said`` under it."""
    sheet, mm = pages.sheet, pages.sheet.mm
    half = (pages.right - pages.left) // 2
    sheet.linear_centered(
        code128(value), left=pages.left + half, right=pages.right, y=top, height=mm(10),
        module=min_module(0.4, sheet.dpi), min_dots=min_module(0.33, sheet.dpi), field=said,
    )  # fmt: skip
    sheet.text(pages.left + half, top + mm(10.8), half, mm(5), f"{said} {value}", size=mm(3),
               align="center", field=said)  # fmt: skip


def _header(pages: Pages, receipt: ReturnReceipt) -> None:
    note, sheet, mm = receipt.note, pages.sheet, pages.sheet.mm
    half = (pages.right - pages.left) // 2
    sheet.text(pages.left, mm(12), half, mm(9), "Credit note", size=mm(6.5), bold=True)
    said = f"Return receipt · order {note.invoice.order_number}"
    sheet.text(pages.left, mm(22), half, mm(6), said, size=mm(3.5), min_size=mm(2.8))
    refund = f"Refund {Money(note.total_minor).format()} {METHOD_WORDS[receipt.method]}"
    sheet.text(pages.left, mm(30), half - mm(4), mm(12), refund, size=mm(4.2), min_size=mm(3),
               bold=True, field="refund")  # fmt: skip
    _barcode(pages, note.number, "Credit note", mm(12))
    _barcode(pages, note.invoice.order_number, "Order", mm(29))
    facts = (
        ("Issued by", "\n".join((note.seller.name, *note.seller.address.block()[1:]))),
        ("Customer", "\n".join(note.buyer.block()) if note.buyer else "Walk-in customer"),
        ("Credit note", f"No. {note.number}\nDate {note.date:%d %b %Y}\n"
                        f"Against invoice {note.invoice.number}\n"
                        f"of {note.invoice.date:%d %b %Y}, order {note.invoice.order_number}\n"
                        f"Place of supply {note.place_of_supply.text()}\nReverse charge No"),
    )  # fmt: skip
    parties(pages, facts, note.seller.gstin, mm(47))


def _cells(number: int, line: CreditNoteLine, paid: ReceiptLine, intra: bool) -> list[str]:
    item = line.description + (f"\n{line.sku}" if line.sku else "")
    taxes = [line.cgst_minor, line.sgst_minor] if intra else [line.igst_minor]
    return [
        str(number), item, line.hsn, str(line.quantity), amount(paid.paid_minor),
        amount(paid.restocking_fee_minor), amount(line.taxable_minor),
        f"{rate_text(line.rate_bp)}%", *(amount(tax) for tax in taxes), amount(line.total_minor),
    ]  # fmt: skip


def _notes(receipt: ReturnReceipt) -> str:
    note, refund = receipt.note, receipt.refund
    taxes = (
        "CGST and SGST at half the GST rate each (supply within the state)"
        if note.intra_state
        else "IGST (supply to another state)"
    )
    notes = [
        f"Amounts in ₹. The GST inside each refund is reversed at the rate the invoice "
        f"charged: {taxes}."
    ]
    if refund.restocking_fee_minor:
        fee = Money(refund.restocking_fee_minor).format()
        notes.append(f"A restocking fee of {fee} is kept: it stays part of the sale.")
    if refund.shipping_minor:
        notes.append(f"Shipping of {Money(refund.shipping_minor).format()} is refunded.")
    else:
        notes.append("Shipping is not refunded.")
    return " ".join(notes)


def _sheets(receipt: ReturnReceipt, profile: PrinterProfile) -> list[Sheet]:
    note = receipt.note

    def new_sheet() -> Sheet:
        return Sheet(profile.width, profile.height, profile.dpi, profile.media)

    pages = Pages(new_sheet, columns(_MIDDLE, "Refund", intra_state=note.intra_state),
                  f"Credit note {note.number} (continued)")  # fmt: skip
    _header(pages, receipt)
    table_heads(pages)
    for number, (line, paid) in enumerate(zip(note.lines, receipt.lines, strict=True), start=1):
        table_row(pages, _cells(number, line, paid, note.intra_state))
    rows = [
        (f"{title} reversed", minor)
        for title, minor in tax_rows(note.taxable_minor, note.cgst_minor, note.sgst_minor,
                                     note.igst_minor, intra_state=note.intra_state)
    ]  # fmt: skip
    rows.append(("Refund (GST included)", note.total_minor))
    signed = [
        f"Refund {METHOD_WORDS[receipt.method]}",
        f"For {note.seller.name}: authorised signatory",
    ]
    totals(pages, rows, _notes(receipt), signed)
    number_pages(pages, f"Credit note {note.number}")
    return pages.sheets


def lay_out_credit_note(receipt: ReturnReceipt, profile: PrinterProfile | None = None) -> Label:
    """The credit note on a sheet printer's pages (A4 unless told), as many as it needs."""
    chosen = profile or BUILT_IN["a4-laser"]
    pages = tuple(sheet.page() for sheet in _sheets(receipt, chosen))
    return Label(KIND, chosen.name, chosen.dpi, pages)


def render_credit_note(receipt: ReturnReceipt, profile: PrinterProfile | None = None) -> bytes:
    """The credit note as a PDF."""
    chosen = profile or BUILT_IN["a4-laser"]
    label = lay_out_credit_note(receipt, chosen)
    return render_pdf(label, bar_reduction=chosen.bar_reduction, compress=True)
