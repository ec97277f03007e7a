"""The 4x6 shipping label: from, to, carrier, ship date, weight, destination pincode,
PREPAID or COD amount, parcel n of m, tracking, SSCC, QR."""

from __future__ import annotations

from app.domain.labels import ShippingLabel, ship_date_text
from app.labels.layout import OffMedia, Sheet, fit, min_module
from app.labels.symbols import code128, gs1_128, qr

BAND_MM = 15  # the pincode and payment boxes
SSCC_MIN_BARS_MM = 20  # shorter bars make the SSCC hard to scan off a parcel
TRACKING_BARS_MM = 13  # just over half an inch, what carriers' handhelds ask for
HEADER_MM = 25  # the sender on the left, the carrier on the right
ROUTED_HEADER_MM = 27  # ... with a booked carrier's routing code
ROUTING_MM = 10  # the routing code's black box


def weight_text(grams: int) -> str:
    return f"{grams / 1000:.2f} kg"


def _centred(
    sheet: Sheet,
    box: tuple[int, int, int, int],
    text: str,
    *,
    size: int,
    field: str,
    reverse: bool = False,
) -> None:
    """One bold line in a box, its ink (digits, capitals) centred top to bottom."""
    x, y, w, h = box
    fitted = fit(text, w, h, size, sheet.mm(4))
    used = fitted[1] if fitted else size  # too long: sheet.text refuses it, naming the field
    top = y + max(0, h // 2 - round(used * 0.66))
    sheet.text(
        x,
        top,
        w,
        y + h - top,
        text,
        size=used,
        bold=True,
        align="center",
        field=field,
        reverse=reverse,
    )


def _right(
    sheet: Sheet,
    box: tuple[int, int, int, int],
    text: str,
    size: float,
    field: str,
    *,
    bold: bool = True,
) -> None:
    """One line of the carrier's column, right-aligned; shrinks to 70 % before refusing."""
    x, y, w, h = box
    mm = sheet.mm
    sheet.text(x, y, w, h, text, size=mm(size), min_size=mm(size * 0.7), bold=bold,
               align="right", field=field)  # fmt: skip


def _carrier_block(sheet: Sheet, data: ShippingLabel, box: tuple[int, int, int, int]) -> None:
    """The carrier and its service, ship date and weight, right-aligned. A booked
    carrier's routing code (its destination hub) goes large, white on black, with the
    sort code (the lane at that hub) beside it: the carrier's sorters read it first."""
    x, y, w, _ = box
    mm = sheet.mm
    if not data.routing_code:
        _right(sheet, (x, y, w, mm(8)), data.carrier, 6, "carrier")
        _right(sheet, (x, y + mm(8), w, mm(5)), data.service, 3.4, "service", bold=False)
        _right(sheet, (x, y + mm(13.5), w, mm(5)), ship_date_text(data.ship_date), 3.4,
               "ship date")  # fmt: skip
        _right(sheet, (x, y + mm(19), w, mm(5)), weight_text(data.weight_grams), 3.4, "weight")
        return
    _right(sheet, (x, y, w, mm(6.5)), data.carrier, 5.5, "carrier")
    _right(sheet, (x, y + mm(6.5), w, mm(4.5)), data.service, 3.2, "service", bold=False)
    top, height = y + mm(11.5), mm(ROUTING_MM)
    sheet.rect(x + mm(2), top, w - mm(2), height)
    sort_width = mm(13) if data.sort_code else 0
    routing = (x + mm(3), top, w - mm(4) - sort_width, height)
    _centred(sheet, routing, data.routing_code, size=mm(6.5), field="routing code", reverse=True)
    if data.sort_code:
        sort = (x + w - mm(1) - sort_width, top, sort_width, height)
        _centred(sheet, sort, data.sort_code, size=mm(4.5), field="sort code", reverse=True)
    facts_y, weight_width = top + height + mm(0.8), mm(15)
    _right(sheet, (x, facts_y, w - weight_width, mm(4.5)), ship_date_text(data.ship_date), 3.2,
           "ship date")  # fmt: skip
    _right(sheet, (x + w - weight_width, facts_y, weight_width, mm(4.5)),
           weight_text(data.weight_grams), 3.2, "weight")  # fmt: skip


def _tracking_heading(data: ShippingLabel) -> str:
    """Whose number the tracking barcode is: our own riders track by the SSCC."""
    if data.tracking_number == data.sscc:
        return f"{data.carrier.upper()} TRACKING = SSCC"
    return f"{data.carrier.upper()} TRACKING"


def _pincode_and_payment(sheet: Sheet, data: ShippingLabel, left: int, inner: int, y: int) -> int:
    """The destination pincode, big enough for a sorter a metre away, and PREPAID or
    COD with the amount, each boxed; returns the y below them."""
    mm = sheet.mm
    height, line = mm(BAND_MM), mm(0.7)
    pin_width = inner * 9 // 20
    sheet.rect(left, y, pin_width, height, thickness=line)
    sheet.text(left + mm(1.5), y + mm(1.2), mm(8), mm(3.5), "PIN", size=mm(2.4), bold=True)
    digits_x = left + mm(8)
    digits = (digits_x, y + line, left + pin_width - line - mm(1) - digits_x, height - 2 * line)
    _centred(sheet, digits, data.ship_to.postcode, size=mm(10), field="destination pincode")
    pay_x = left + pin_width + mm(2)
    pay_width = left + inner - pay_x
    cod = data.payment.cod is not None  # reversed, so the courier cannot miss the cash
    sheet.rect(pay_x, y, pay_width, height, thickness=0 if cod else line)
    payment = (pay_x + mm(1.5), y + line, pay_width - mm(3), height - 2 * line)
    _centred(sheet, payment, data.payment.text(), size=mm(8), field="payment", reverse=cod)
    return y + height + mm(1)


def lay_out_shipping(sheet: Sheet, data: ShippingLabel) -> None:
    """Fill one 4x6 (or larger) sheet top to bottom."""
    mm = sheet.mm
    margin = mm(3)
    left, right = margin, sheet.width - margin
    inner = right - left
    half = inner // 2
    y = margin

    # Ship from (small) and carrier, service, weight.
    sheet.text(left, y, half - mm(2), mm(4), "FROM", size=mm(2.4), bold=True)
    sheet.text(
        left,
        y + mm(4),
        half - mm(2),
        mm(20),
        "\n".join(data.ship_from.block()),
        size=mm(2.8),
        min_size=mm(1.9),
        field="ship-from address",
    )
    header = mm(ROUTED_HEADER_MM if data.routing_code else HEADER_MM)
    _carrier_block(sheet, data, (left + half, y, inner - half, header))
    y += header
    sheet.rect(left, y, inner, max(2, mm(0.4)))
    y += mm(1.5)

    # Ship to, with the tracking QR on its right.
    symbol = qr(data.qr_content)
    module = max(min_module(0.45, sheet.dpi), 3)
    side = symbol.size * module
    qr_x = right - symbol.border * module - side
    sheet.text(left, y, mm(30), mm(4.5), "SHIP TO", size=mm(3), bold=True)
    to_width = qr_x - symbol.border * module - left
    sheet.text(
        left,
        y + mm(5),
        to_width,
        mm(30),
        "\n".join(data.ship_to.block()),
        size=mm(4.2),
        min_size=mm(2.8),
        field="ship-to address",
    )
    sheet.matrix(symbol, x=qr_x, y=y + symbol.border * module, module=module)
    y += max(mm(35.5), side + 2 * symbol.border * module)
    sheet.rect(left, y, inner, max(2, mm(0.4)))
    y += mm(1.5)

    y = _pincode_and_payment(sheet, data, left, inner, y)
    sheet.rect(left, y, inner, max(2, mm(0.4)))
    y += mm(1.5)

    # Order and parcel n of m.
    sheet.text(
        left,
        y,
        half + mm(10),
        mm(6),
        f"Order {data.order_number}",
        size=mm(3.6),
        min_size=mm(2.6),
        bold=True,
        field="order number",
    )
    sheet.text(
        left + half + mm(10),
        y,
        inner - half - mm(10),
        mm(6),
        f"Parcel {data.parcel_number} of {data.parcel_count}",
        size=mm(3.6),
        bold=True,
        align="right",
        field="parcel count",
    )
    y += mm(7)

    # Carrier tracking number as Code 128: a handheld reads it, so half an inch of bars
    # will do; the height left goes to the SSCC, which sorters read on the move.
    sheet.text(left, y, inner, mm(3.5), _tracking_heading(data), size=mm(2.4), bold=True)
    y += mm(3.5)
    sheet.linear_centered(
        code128(data.tracking_number),
        left=0,
        right=sheet.width,
        y=y,
        height=mm(TRACKING_BARS_MM),
        module=min_module(0.5, sheet.dpi),
        min_dots=min_module(0.33, sheet.dpi),
        field="tracking number",
    )
    y += mm(TRACKING_BARS_MM) + mm(0.8)
    sheet.text(
        left,
        y,
        inner,
        mm(4.5),
        data.tracking_number,
        size=mm(3.2),
        align="center",
        field="tracking number",
    )
    y += mm(5)
    sheet.rect(left, y, inner, max(2, mm(0.4)))
    y += mm(1.5)

    # SSCC as GS1-128 with its (00) line: bars at least 0.495 mm (4 dots at 203 dpi).
    element = data.sscc_element
    sheet.text(left, y, inner, mm(3.5), "SSCC", size=mm(2.4), bold=True)
    y += mm(3.5)
    bars_height = min(mm(32), sheet.height - margin - y - mm(6))
    if bars_height < mm(SSCC_MIN_BARS_MM):
        raise OffMedia(f"the SSCC barcode has no room for bars {SSCC_MIN_BARS_MM} mm tall")
    sheet.linear_centered(
        gs1_128((element,)),
        left=0,
        right=sheet.width,
        y=y,
        height=bars_height,
        module=min_module(0.495, sheet.dpi),
        min_dots=min_module(0.495, sheet.dpi),
        field="SSCC",
    )
    y += bars_height + mm(0.8)
    sheet.text(
        left,
        y,
        inner,
        mm(5),
        element.human_readable(),
        size=mm(3.6),
        align="center",
        field="SSCC",
    )
