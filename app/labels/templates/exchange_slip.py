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
from app.labels import fonts
from app.labels.layout import Label, Linear, Sheet, min_module, shortened
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.symbols import code128, qr

KIND = "exchange-slip"
MARGIN_MM = 15
ROW_MM = 6.5  # 20 replacements (the most) and the balance fit a Letter page's margins
QR_MODULE_MM = 1.0  # the QR stands as tall as the pickup code and order beside it
WHERE_WORDS = {  # where a replacement comes from; None: not known (an older exchange's reprint)
    True: "on this store's shelf",
    False: "sent to this store",
    None: "to pick up here",
}


def _money(minor: int) -> str:
    return Money(minor).format()


def _head(sheet: Sheet, slip: ExchangeSlip, left: int, right: int) -> int:
    mm = sheet.mm
    sheet.text(left, mm(12), right - left, mm(9), "Exchange slip", size=mm(6.5), bold=True)
    said = f"{slip.store} · {slip.on:%d %b %Y}"
    if slip.credit_note:
        said += f" · with credit note {slip.credit_note}"
    sheet.text(left, mm(22), right - left, mm(6), said, size=mm(3.5), min_size=mm(2.8))
    top = mm(32)
    side = _pickup_qr(sheet, slip, right, top)
    words = right - side - left - mm(6)
    sheet.text(left, top, words, mm(7), "Pick up your replacement at this store with",
               size=mm(4), min_size=mm(3))  # fmt: skip
    sheet.text(left, top + mm(9), words, mm(6), "Pickup code", size=mm(4), bold=True)
    sheet.text(left, top + mm(16), words, mm(16), slip.pickup_code, size=mm(11), bold=True,
               field="pickup code")  # fmt: skip
    sheet.text(left, top + mm(34), words, mm(6), f"Order {slip.order_number}", size=mm(3.5),
               field="order number")  # fmt: skip
    bars = _order_barcode(sheet, slip.order_number, left, words, top + mm(41))
    return max(bars.y + bars.total_height, top + side) + mm(5)


def _pickup_qr(sheet: Sheet, slip: ExchangeSlip, right: int, top: int) -> int:
    """The customer's QR, its modules flush with the right margin and the first line's
    top (its quiet zone in the margin); its side in dots."""
    symbol = qr(qr_payload(slip.order_number, slip.pickup_code))
    module = max(min_module(QR_MODULE_MM, sheet.dpi), 4)
    side = symbol.size * module
    sheet.matrix(symbol, x=right - side, y=top, module=module)
    return side


def _order_barcode(sheet: Sheet, number: str, left: int, width: int, y: int) -> Linear:
    """The order number's Code 128 with its bars on the left margin (its quiet zone in
    the margin) under the order number; narrower modules when it is long."""
    symbol = code128(number)
    module = min_module(0.4, sheet.dpi)
    if symbol.width * module <= width:
        return sheet.linear(symbol, x=left, y=y, height=sheet.mm(10), module=module)
    return sheet.linear_centered(
        symbol, left=left, right=left + width, y=y, height=sheet.mm(10), module=module,
        min_dots=min_module(0.33, sheet.dpi), field="order",
    )  # fmt: skip


def _lines(sheet: Sheet, slip: ExchangeSlip, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    sheet.rect(left, top, right - left, max(2, mm(0.3)))
    y = top + mm(3)
    size, smallest, width = mm(3.8), mm(2.6), right - left - mm(40)
    for replacement in slip.replacements:
        where = WHERE_WORDS[replacement.from_here]
        # The name gives way ("…") to the SKU and where it comes from: a long catalogue
        # name must never stop the slip printing once the exchange is recorded.
        tail = f" ({replacement.sku}), {where}"
        room = width - round(fonts.text_width(tail, size)) - mm(1)
        said = shortened(replacement.name, room, mm(6), size, size) + tail
        sheet.text(left, y, width, mm(6), said, size=size, min_size=smallest)
        sheet.text(right - mm(38), y, mm(38), mm(6), _money(replacement.price_minor),
                   size=size, align="right")  # fmt: skip
        y += mm(ROW_MM)
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
