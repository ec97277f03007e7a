"""The packing slip as the order's tax invoice (A4 or Letter): seller with GSTIN, buyer
and place of supply, invoice number and date, a line per item with its HSN code, rate
and taxes (CGST + SGST within the state, IGST across), totals in ₹ with Indian grouping,
and the returns footer of the slip on the last page. Multi-page; a continued page
repeats the invoice number and the table's heads (``gst_table``, shared with the
credit note).
"""

from __future__ import annotations

from collections.abc import Callable

from app.domain.labels import PackingSlip
from app.domain.master_fields import rate_text
from app.domain.money import Money
from app.domain.tax.document import TaxInvoice
from app.domain.tax.invoice import SHIPPING_SAC, InvoiceLine
from app.labels.layout import Sheet, min_module
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
from app.labels.templates.packing_slip import footer_height, returns_footer

_MIDDLE: tuple[Column, ...] = (
    ("Qty", 8, "right"),
    ("Unit price", 18, "right"),
    ("Discount", 17, "right"),
    ("Taxable value", 19, "right"),
    ("GST rate", 10, "right"),
)


def _header(pages: Pages, data: PackingSlip, invoice: TaxInvoice) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    half = (pages.right - pages.left) // 2
    sheet.text(pages.left, mm(12), half, mm(9), "Tax invoice", size=mm(6.5), bold=True)
    said = f"Packing slip · order {data.order_number} · {data.order_date:%d %b %Y}"
    sheet.text(pages.left, mm(22), half, mm(6), said, size=mm(3.5), min_size=mm(2.8))
    sheet.linear_centered(
        code128(data.order_number), left=pages.left + half, right=pages.right, y=mm(12),
        height=mm(12), module=min_module(0.4, sheet.dpi), min_dots=min_module(0.33, sheet.dpi),
        field="order number",
    )  # fmt: skip
    sheet.text(pages.left + half, mm(25), half, mm(5), data.order_number, size=mm(3),
               align="center", field="order number")  # fmt: skip
    facts = (
        ("Sold by", "\n".join((invoice.seller.name, *invoice.seller.address.block()[1:]))),
        ("Bill and ship to", "\n".join(invoice.buyer.block())),
        ("Invoice", f"No. {invoice.number}\nDate {invoice.date:%d %b %Y}\n"
                    f"Place of supply {invoice.place_of_supply.text()}\nReverse charge No"),
    )  # fmt: skip
    parties(pages, facts, invoice.seller.gstin, mm(33))


def _cells(number: int, line: InvoiceLine, intra: bool) -> list[str]:
    item = line.description + (f"\n{line.sku}" if line.sku else "")
    taxes = [line.cgst_minor, line.sgst_minor] if intra else [line.igst_minor]
    return [
        str(number), item, line.hsn, str(line.quantity), amount(line.unit_price_minor),
        amount(line.discount_minor), amount(line.taxable_minor), f"{rate_text(line.rate_bp)}%",
        *(amount(tax) for tax in taxes), amount(line.total_minor),
    ]  # fmt: skip


def _notes(invoice: TaxInvoice) -> str:
    amounts = invoice.amounts
    taxes = (
        "CGST and SGST at half the GST rate each (supply within the state)"
        if amounts.intra_state
        else "IGST (supply to another state)"
    )
    notes = [f"Amounts in ₹. Prices include GST; {taxes}."]
    if amounts.discount_minor:
        notes.append(
            f"The order discount of {Money(amounts.discount_minor).format()} is shared over "
            "the lines by their value."
        )
    if any(line.hsn == SHIPPING_SAC for line in amounts.lines):
        notes.append(f"Shipping (SAC {SHIPPING_SAC}) is taxed at the highest rate of the goods.")
    return " ".join(notes)


def lay_out_tax_invoice(new_sheet: Callable[[], Sheet], data: PackingSlip) -> list[Sheet]:
    """As many pages as the lines need; totals, then the returns footer, at the end."""
    invoice = data.invoice
    assert invoice is not None
    amounts = invoice.amounts
    intra = amounts.intra_state
    pages = Pages(new_sheet, columns(_MIDDLE, "Total", intra_state=intra),
                  f"Tax invoice {invoice.number} (continued)")  # fmt: skip
    _header(pages, data, invoice)
    table_heads(pages)
    for number, line in enumerate(amounts.lines, start=1):
        table_row(pages, _cells(number, line, intra))
    rows = tax_rows(amounts.taxable_minor, amounts.cgst_minor, amounts.sgst_minor,
                    amounts.igst_minor, intra_state=intra)  # fmt: skip
    rows.append(("Total (GST included)", amounts.total_minor))
    signed = f"For {invoice.seller.name}: authorised signatory"
    totals(pages, rows, _notes(invoice), [signed])
    if pages.y + footer_height(pages.sheet, data) > pages.bottom:
        pages.sheets.append(new_sheet())
        pages.y = pages.sheet.mm(12)
    returns_footer(pages.sheet, data, pages.left, pages.right, pages.y + pages.sheet.mm(2))
    number_pages(pages, f"Invoice {invoice.number}")
    return pages.sheets
