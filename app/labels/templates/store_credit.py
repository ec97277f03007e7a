"""The return receipt of a return taken without an order (A4 or Letter): store credit.

Not a GST credit note (there is no original invoice to reverse), and it says so: the
store with its GSTIN, the customer by the last digits of their phone, the number from the
credit note series and the day; a line per unit with its SKU, grade, reason and the store
credit it gives; the total in ₹ with Indian grouping and the approving manager. Code 128
of the number, so the ledger or a later return scans it. Page turns are the GST
documents' (``gst_table``).
"""

from __future__ import annotations

from app.domain.money import Money
from app.domain.returns.store_credit import CreditUnit, StoreCreditReceipt
from app.labels.layout import Label, Sheet, min_module
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.symbols import code128
from app.labels.templates.gst_table import (
    Column,
    Pages,
    amount,
    number_pages,
    parties,
    table_heads,
    table_row,
    totals,
)

KIND = "store-credit-receipt"
TITLE = "Return receipt — store credit"
NOT_A_CREDIT_NOTE = "Returned without the original invoice: not a GST credit note"
_COLUMNS: tuple[Column, ...] = (
    ("#", 5, "left"),
    ("Item", 62, "left"),
    ("Grade", 30, "left"),
    ("Reason", 48, "left"),
    ("Store credit", 25, "right"),
)


def _header(pages: Pages, receipt: StoreCreditReceipt) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    half = (pages.right - pages.left) // 2
    sheet.text(pages.left, mm(12), half, mm(9), TITLE, size=mm(6), min_size=mm(4.5), bold=True)
    sheet.text(pages.left, mm(22), half, mm(8), NOT_A_CREDIT_NOTE, size=mm(3.3),
               min_size=mm(2.6))  # fmt: skip
    credit = f"Store credit {Money(receipt.total_minor).format()}"
    sheet.text(pages.left, mm(32), half - mm(4), mm(10), credit, size=mm(4.2), min_size=mm(3),
               bold=True, field="store credit")  # fmt: skip
    sheet.linear_centered(
        code128(receipt.number), left=pages.left + half, right=pages.right, y=mm(12),
        height=mm(12), module=min_module(0.4, sheet.dpi), min_dots=min_module(0.33, sheet.dpi),
        field="number",
    )  # fmt: skip
    sheet.text(pages.left + half, mm(24.8), half, mm(5), f"No. {receipt.number}", size=mm(3),
               align="center", field="number")  # fmt: skip
    seller = receipt.seller
    facts = (
        ("Issued by", "\n".join((seller.name, *seller.address.block()[1:]))),
        ("Customer", f"Walk-in customer\nPhone {receipt.masked_phone}"),
        ("Return receipt", f"No. {receipt.number}\nDate {receipt.date:%d %b %Y}\n"
                           f"Approved by manager {receipt.approver}\nNo original invoice"),
    )  # fmt: skip
    parties(pages, facts, seller.gstin, mm(47))


def _cells(number: int, unit: CreditUnit) -> list[str]:
    item = unit.name + (f"\n{unit.sku}" if unit.sku else "")
    return [str(number), item, unit.grade_text, unit.reason, amount(unit.credit_minor)]


def _notes(receipt: StoreCreditReceipt) -> str:
    return (
        "Amounts in ₹. Taken back without the original invoice, with a manager's approval: "
        "the refund is store credit, and no GST is reversed on this receipt. Keep it: "
        f"number {receipt.number} is the reference of your store credit."
    )


def _sheets(receipt: StoreCreditReceipt, profile: PrinterProfile) -> list[Sheet]:
    def new_sheet() -> Sheet:
        return Sheet(profile.width, profile.height, profile.dpi, profile.media)

    pages = Pages(new_sheet, _COLUMNS, f"Return receipt {receipt.number} (continued)")
    _header(pages, receipt)
    table_heads(pages)
    for number, unit in enumerate(receipt.units, start=1):
        table_row(pages, _cells(number, unit))
    signed = [
        f"Approved by manager {receipt.approver}",
        f"For {receipt.seller.name}: authorised signatory",
    ]
    totals(pages, [("Store credit", receipt.total_minor)], _notes(receipt), signed)
    number_pages(pages, f"Return receipt {receipt.number}")
    return pages.sheets


def lay_out_store_credit(
    receipt: StoreCreditReceipt, profile: PrinterProfile | None = None
) -> Label:
    """The return receipt on a sheet printer's pages (A4 unless told), as many as it needs."""
    chosen = profile or BUILT_IN["a4-laser"]
    pages = tuple(sheet.page() for sheet in _sheets(receipt, chosen))
    return Label(KIND, chosen.name, chosen.dpi, pages)
