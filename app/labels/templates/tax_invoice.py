"""The packing slip as the order's tax invoice (A4 or Letter): seller with GSTIN, buyer
and place of supply, invoice number and date, a line per item with its HSN code, rate
and taxes (CGST + SGST within the state, IGST across), totals in ₹ with Indian grouping,
and the returns footer of the slip on the last page. Multi-page; a continued page
repeats the invoice number and the table's heads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.domain.labels import PackingSlip
from app.domain.master_fields import rate_text
from app.domain.money import Money
from app.domain.tax.document import TaxInvoice
from app.domain.tax.invoice import SHIPPING_SAC, InvoiceLine
from app.labels.layout import Align, Sheet, block_height, fit, min_module
from app.labels.symbols import code128
from app.labels.templates.packing_slip import footer_height, returns_footer

# (heading, width in parts of the printable width, alignment); the tax columns differ.
_Column = tuple[str, int, Align]
_LEFT: tuple[_Column, ...] = (("#", 5, "left"), ("Item", 38, "left"), ("HSN/SAC", 15, "left"))
_MIDDLE: tuple[_Column, ...] = (
    ("Qty", 8, "right"),
    ("Unit price", 18, "right"),
    ("Discount", 17, "right"),
    ("Taxable value", 19, "right"),
    ("GST rate", 10, "right"),
)
_TOTAL: _Column = ("Total", 22, "right")
_INTRA: tuple[_Column, ...] = (*_LEFT, *_MIDDLE, ("CGST", 17, "right"), ("SGST", 17, "right"),
                               _TOTAL)  # fmt: skip
_INTER: tuple[_Column, ...] = (("#", 5, "left"), ("Item", 55, "left"), *_LEFT[2:], *_MIDDLE,
                               ("IGST", 17, "right"), _TOTAL)  # fmt: skip
_TEXT, _SMALLEST = 3.0, 2.3  # mm em of a table cell, as large as fits, down to the smallest


def amount(minor: int) -> str:
    """Rupees with Indian grouping, without the sign: 1,23,456.00."""
    return Money(minor).format().removeprefix("₹")


@dataclass
class _Pages:
    """The sheets laid out so far and where the next row goes."""

    new_sheet: Callable[[], Sheet]
    invoice: TaxInvoice
    sheets: list[Sheet] = field(default_factory=list)
    y: int = 0
    left: int = 0
    right: int = 0
    bottom: int = 0

    def __post_init__(self) -> None:
        self.sheets.append(self.new_sheet())
        mm = self.sheet.mm
        self.left, self.right = mm(12), self.sheet.width - mm(12)
        self.bottom = self.sheet.height - mm(18)  # room for "Page n of N"

    @property
    def sheet(self) -> Sheet:
        return self.sheets[-1]

    @property
    def columns(self) -> tuple[_Column, ...]:
        return _INTRA if self.invoice.amounts.intra_state else _INTER

    def spans(self) -> list[tuple[int, int]]:
        """(x, width) of each column, with a gap before the next."""
        parts = sum(width for _, width, _ in self.columns)
        edges = [0]
        for _, width, _ in self.columns:
            edges.append(edges[-1] + width)
        x = [self.left + round(e * (self.right - self.left) / parts) for e in edges]
        gap = self.sheet.mm(1.5)
        return [(x[i], x[i + 1] - x[i] - gap) for i in range(len(self.columns))]

    def room(self, height: int, *, heads: bool = True) -> None:
        """Turn the page, repeating the number (and the table heads), unless ``height`` fits."""
        if self.y + height <= self.bottom:
            return
        self.sheets.append(self.new_sheet())
        mm = self.sheet.mm
        title = f"Tax invoice {self.invoice.number} (continued)"
        self.sheet.text(self.left, mm(12), self.right - self.left, mm(6), title, size=mm(3.5),
                        bold=True)  # fmt: skip
        self.y = mm(20)
        if heads:
            _heads(self)


def _header(pages: _Pages, data: PackingSlip) -> None:
    sheet, mm, invoice = pages.sheet, pages.sheet.mm, pages.invoice
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
    width = (pages.right - pages.left) // 3
    lowest = 0
    for index, (title, text) in enumerate(facts):
        x = pages.left + index * width
        sheet.text(x, mm(33), width - mm(3), mm(5), title, size=mm(3.2), bold=True)
        block = sheet.text(x, mm(38.5), width - mm(3), mm(32), text, size=mm(3.3),
                           min_size=mm(2.6), field=title.lower())  # fmt: skip
        lowest = max(lowest, block.y + block.h)
    gstin = f"GSTIN {invoice.seller.gstin}"
    sheet.text(pages.left, lowest + mm(1), width - mm(3), mm(5), gstin, size=mm(3.3), bold=True)
    pages.y = lowest + mm(9)


def _heads(pages: _Pages) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    for (title, _, align), (x, w) in zip(pages.columns, pages.spans(), strict=True):
        sheet.text(x, pages.y, w, mm(9), title, size=mm(3), min_size=mm(2.4), bold=True,
                   align=align)  # fmt: skip
    pages.y += mm(9.5)
    sheet.rect(pages.left, pages.y, pages.right - pages.left, max(2, mm(0.3)))
    pages.y += mm(1.5)


def _cells(number: int, line: InvoiceLine, intra: bool) -> list[str]:
    item = line.description + (f"\n{line.sku}" if line.sku else "")
    taxes = [line.cgst_minor, line.sgst_minor] if intra else [line.igst_minor]
    return [
        str(number), item, line.hsn, str(line.quantity), amount(line.unit_price_minor),
        amount(line.discount_minor), amount(line.taxable_minor), f"{rate_text(line.rate_bp)}%",
        *(amount(tax) for tax in taxes), amount(line.total_minor),
    ]  # fmt: skip


def _row(pages: _Pages, cells: list[str]) -> None:
    mm = pages.sheet.mm
    spans = pages.spans()
    heights = []
    for text, (_, w) in zip(cells, spans, strict=True):
        fitted = fit(text, w, mm(30), mm(_TEXT), mm(_SMALLEST))
        heights.append(block_height(len(fitted[0]), fitted[1]) if fitted else mm(30))
    pages.room(max(heights) + mm(2))
    for text, (title, _, align), (x, w) in zip(cells, pages.columns, spans, strict=True):
        pages.sheet.text(x, pages.y, w, mm(30), text, size=mm(_TEXT), min_size=mm(_SMALLEST),
                         align=align, field=f"{title.lower()} of line {cells[0]}")  # fmt: skip
    pages.y += max(heights) + mm(1)
    pages.sheet.rect(pages.left, pages.y, pages.right - pages.left, 1)
    pages.y += mm(1)


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


def _totals(pages: _Pages) -> None:
    amounts, mm = pages.invoice.amounts, pages.sheet.mm
    rows = [("Taxable value", amounts.taxable_minor)]
    if amounts.intra_state:
        rows += [("CGST", amounts.cgst_minor), ("SGST", amounts.sgst_minor)]
    else:
        rows.append(("IGST", amounts.igst_minor))
    rows.append(("Total (GST included)", amounts.total_minor))
    pages.room(mm(7) * len(rows) + mm(12), heads=False)
    sheet, top = pages.sheet, pages.y + mm(2)
    split = pages.left + (pages.right - pages.left) * 55 // 100
    sheet.text(pages.left, top, split - pages.left - mm(6), mm(30), _notes(pages.invoice),
               size=mm(3), min_size=mm(2.4), field="invoice notes")  # fmt: skip
    for index, (title, minor) in enumerate(rows):
        last = index == len(rows) - 1
        y = top + index * mm(6.5) + (mm(1.5) if last else 0)
        if last:
            sheet.rect(split, y - mm(1.5), pages.right - split, max(2, mm(0.3)))
        size = mm(4 if last else 3.4)
        sheet.text(split, y, mm(45), mm(6), title, size=size, bold=last)
        sheet.text(split + mm(45), y, pages.right - split - mm(45), mm(6),
                   Money(minor).format(), size=size, bold=last, align="right")  # fmt: skip
    signed = f"For {pages.invoice.seller.name}: authorised signatory"
    sheet.text(split, top + len(rows) * mm(6.5) + mm(3), pages.right - split, mm(5), signed,
               size=mm(2.8), min_size=mm(2.4), align="right")  # fmt: skip
    pages.y = max(sheet.lowest(), top + mm(30)) + mm(2)


def lay_out_tax_invoice(new_sheet: Callable[[], Sheet], data: PackingSlip) -> list[Sheet]:
    """As many pages as the lines need; totals, then the returns footer, at the end."""
    assert data.invoice is not None
    pages = _Pages(new_sheet, data.invoice)
    _header(pages, data)
    _heads(pages)
    intra = data.invoice.amounts.intra_state
    for number, line in enumerate(data.invoice.amounts.lines, start=1):
        _row(pages, _cells(number, line, intra))
    _totals(pages)
    if pages.y + footer_height(pages.sheet, data) > pages.bottom:
        pages.sheets.append(new_sheet())
        pages.y = pages.sheet.mm(12)
    returns_footer(pages.sheet, data, pages.left, pages.right, pages.y + pages.sheet.mm(2))
    for number, page in enumerate(pages.sheets, start=1):
        page.text(pages.left, page.height - page.mm(17), pages.right - pages.left, page.mm(5),
                  f"Invoice {data.invoice.number} · page {number} of {len(pages.sheets)}",
                  size=page.mm(3), align="right")  # fmt: skip
    return pages.sheets
