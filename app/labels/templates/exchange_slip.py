"""The exchange slip (A4 or Letter): the replacement order the customer picks up.

The order number as text and Code 128, the pickup code in large digits beside the QR the
Pickup screen scans (``CBPU1:<order>:<code>``), each replacement with its price and where
it comes from, and the balance: the refund the credit note gives, the replacement's price,
and what the customer pays at the till or gets back.
"""

from __future__ import annotations

from app.domain.money import Money
from app.domain.pickup_codes import qr_payload
from app.domain.returns.exchange import ExchangeSlip
from app.labels.layout import Label, Sheet, min_module
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.symbols import code128, qr

KIND = "exchange-slip"
MARGIN_MM = 15


def _money(minor: int) -> str:
    return Money(minor).format()


def _head(sheet: Sheet, slip: ExchangeSlip, left: int, right: int) -> int:
    mm = sheet.mm
    sheet.text(left, mm(12), right - left, mm(9), "Exchange slip", size=mm(6.5), bold=True)
    said = f"{slip.store} · {slip.on:%d %b %Y}"
    if slip.credit_note:
        said += f" · with credit note {slip.credit_note}"
    sheet.text(left, mm(22), right - left, mm(6), said, size=mm(3.5), min_size=mm(2.8))
    symbol = qr(qr_payload(slip.order_number, slip.pickup_code))
    module = max(min_module(0.6, sheet.dpi), 4)
    side = (symbol.size + 2 * symbol.border) * module
    top = mm(32)
    sheet.matrix(symbol, x=right - side + symbol.border * module,
                 y=top + symbol.border * module, module=module)  # fmt: skip
    words = right - side - left - mm(4)
    sheet.text(left, top, words, mm(7), "Pick up your replacement at this store with",
               size=mm(4), min_size=mm(3))  # fmt: skip
    sheet.text(left, top + mm(9), words, mm(6), "Pickup code", size=mm(4), bold=True)
    sheet.text(left, top + mm(16), words, mm(16), slip.pickup_code, size=mm(11), bold=True,
               field="pickup code")  # fmt: skip
    sheet.linear_centered(
        code128(slip.order_number), left=left, right=left + words, y=top + mm(33),
        height=mm(10), module=min_module(0.4, sheet.dpi), min_dots=min_module(0.33, sheet.dpi),
        field="order",
    )  # fmt: skip
    sheet.text(left, top + mm(44), words, mm(6), f"Order {slip.order_number}", size=mm(3.5),
               field="order number")  # fmt: skip
    return max(top + mm(52), top + side + mm(4))


def _lines(sheet: Sheet, slip: ExchangeSlip, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    sheet.rect(left, top, right - left, max(2, mm(0.3)))
    y = top + mm(3)
    for replacement in slip.replacements:
        where = "on this store's shelf" if replacement.from_here else "sent to this store"
        said = f"{replacement.name} ({replacement.sku}), {where}"
        sheet.text(left, y, right - left - mm(40), mm(6), said, size=mm(3.8), min_size=mm(2.6))
        sheet.text(right - mm(38), y, mm(38), mm(6), _money(replacement.price_minor),
                   size=mm(3.8), align="right")  # fmt: skip
        y += mm(7)
    return y


def _balance(sheet: Sheet, slip: ExchangeSlip, left: int, right: int, top: int) -> None:
    mm, settled = sheet.mm, slip.settlement
    sheet.rect(left, top, right - left, max(2, mm(0.3)))
    rows = (
        ("Refund of the return", settled.refund_minor),
        ("Replacement", settled.replacement_minor),
    )
    y = top + mm(3)
    for title, minor in rows:
        sheet.text(left, y, right - left - mm(40), mm(6), title, size=mm(3.8))
        sheet.text(right - mm(38), y, mm(38), mm(6), _money(minor), size=mm(3.8), align="right")
        y += mm(7)
    said = settled.words(slip.refunded)
    sheet.text(left, y + mm(2), right - left, mm(12), said, size=mm(4.2), bold=True,
               min_size=mm(3), field="balance")  # fmt: skip
    note = (
        "Keep this slip: the pickup code collects the replacement. The credit note is the "
        "receipt of the return. The replacement is the customer's once it is handed over."
    )
    sheet.text(left, y + mm(16), right - left, mm(14), note, size=mm(3.2), min_size=mm(2.6))


def lay_out_exchange_slip(slip: ExchangeSlip, profile: PrinterProfile | None = None) -> Label:
    """The exchange slip on one page of a sheet printer (A4 unless told)."""
    chosen = profile or BUILT_IN["a4-laser"]
    sheet = Sheet(chosen.width, chosen.height, chosen.dpi, chosen.media)
    left, right = sheet.mm(MARGIN_MM), chosen.width - sheet.mm(MARGIN_MM)
    below = _head(sheet, slip, left, right)
    below = _lines(sheet, slip, left, right, below)
    _balance(sheet, slip, left, right, below + sheet.mm(2))
    return Label(KIND, chosen.name, chosen.dpi, (sheet.page(),))


def render_exchange_slip(slip: ExchangeSlip, profile: PrinterProfile | None = None) -> bytes:
    """The exchange slip as a PDF."""
    chosen = profile or BUILT_IN["a4-laser"]
    label = lay_out_exchange_slip(slip, chosen)
    return render_pdf(label, bar_reduction=chosen.bar_reduction, compress=True)
