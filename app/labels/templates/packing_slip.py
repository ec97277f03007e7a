"""The packing slip (A4 or Letter): order, lines, return QR and instructions; multi-page."""

from __future__ import annotations

from collections.abc import Callable

from app.domain.labels import PackingSlip, SlipLine
from app.labels.layout import Sheet, min_module
from app.labels.symbols import code128, qr

# Column starts as fractions of the printable width: Qty, SKU, GTIN, Item.
_COLUMNS = (0.0, 0.08, 0.30, 0.52)


def _header(sheet: Sheet, data: PackingSlip, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    inner = right - left
    sheet.text(
        left,
        top,
        inner // 2,
        mm(9),
        data.store_name,
        size=mm(6),
        min_size=mm(4),
        bold=True,
        field="store name",
    )
    sheet.text(left, top + mm(10), inner // 2, mm(7), "Packing slip", size=mm(4.5))
    sheet.text(
        left,
        top + mm(18),
        inner // 2,
        mm(6),
        f"Order {data.order_number} · {data.order_date.strftime('%d %b %Y')}",
        size=mm(3.5),
        bold=True,
        field="order number",
    )
    bar_height = mm(12)
    sheet.linear_centered(
        code128(data.order_number),
        left=left + inner // 2,
        right=right,
        y=top,
        height=bar_height,
        module=min_module(0.4, sheet.dpi),
        min_dots=min_module(0.33, sheet.dpi),
        field="order number",
    )
    sheet.text(
        left + inner // 2,
        top + bar_height + mm(1),
        inner - inner // 2,
        mm(5),
        data.order_number,
        size=mm(3),
        align="center",
        field="order number",
    )
    return top + mm(26)


def _ship_to(sheet: Sheet, data: PackingSlip, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    sheet.text(left, top, mm(40), mm(5), "Ship to", size=mm(3.2), bold=True)
    block = sheet.text(
        left,
        top + mm(5),
        (right - left) // 2,
        mm(28),
        "\n".join(data.ship_to.block()),
        size=mm(3.6),
        min_size=mm(2.6),
        field="ship-to address",
    )
    return top + mm(5) + len(block.lines) * block.line_height + mm(4)


def _table_head(sheet: Sheet, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    inner = right - left
    for title, start, end in zip(
        ("Qty", "SKU", "GTIN", "Item"), _COLUMNS, (*_COLUMNS[1:], 1.0), strict=True
    ):
        x = left + round(start * inner)
        sheet.text(
            x, top, round((end - start) * inner) - mm(1), mm(5), title, size=mm(3.2), bold=True
        )
    sheet.rect(left, top + mm(5.5), inner, max(2, mm(0.3)))
    return top + mm(7)


def _row(sheet: Sheet, line: SlipLine, left: int, right: int, top: int) -> int:
    mm = sheet.mm
    inner = right - left
    cells = (str(line.quantity), line.sku, line.gtin, line.name)
    fields = ("quantity", "SKU", "GTIN", "item name")
    tallest = 0
    for cell, field, start, end in zip(cells, fields, _COLUMNS, (*_COLUMNS[1:], 1.0), strict=True):
        x = left + round(start * inner)
        height = mm(10) if field == "item name" else mm(5)
        block = sheet.text(
            x,
            top,
            round((end - start) * inner) - mm(1),
            height,
            cell,
            size=mm(3.2),
            min_size=mm(2.6),
            field=field,
        )
        tallest = max(tallest, len(block.lines) * block.line_height)
    return top + tallest + mm(1.5)


def returns_footer(sheet: Sheet, data: PackingSlip, left: int, right: int, top: int) -> None:
    mm = sheet.mm
    symbol = qr(data.return_url)
    module = max(min_module(0.5, sheet.dpi), 3)
    side = symbol.size * module
    border = symbol.border * module
    sheet.rect(left, top, right - left, max(2, mm(0.3)))
    qr_x = right - border - side
    sheet.matrix(symbol, x=qr_x, y=top + mm(1.5) + border, module=module)
    sheet.text(left, top + mm(3), mm(80), mm(6), "Returns", size=mm(4), bold=True)
    sheet.text(
        left,
        top + mm(10),
        qr_x - border - left,
        mm(45),
        data.return_instructions,
        size=mm(3.2),
        min_size=mm(2.4),
        field="return instructions",
    )


def footer_height(sheet: Sheet, data: PackingSlip) -> int:
    symbol = qr(data.return_url)
    module = max(min_module(0.5, sheet.dpi), 3)
    return max(sheet.mm(58), (symbol.size + 2 * symbol.border) * module + sheet.mm(4))


def lay_out_packing_slip(new_sheet: Callable[[], Sheet], data: PackingSlip) -> list[Sheet]:
    """As many pages as the lines need; the returns footer goes on the last page."""
    sheets = [new_sheet()]
    sheet = sheets[0]
    mm = sheet.mm
    margin = mm(12)
    left, right = margin, sheet.width - margin
    bottom = sheet.height - margin - mm(6)  # room for "Page n of N"
    y = _header(sheet, data, left, right, margin)
    y = _ship_to(sheet, data, left, right, y)
    y = _table_head(sheet, left, right, y)
    row_room = mm(12)
    for line in data.lines:
        if y + row_room > bottom:
            sheet = new_sheet()
            sheets.append(sheet)
            sheet.text(
                left,
                margin,
                right - left,
                mm(6),
                f"Order {data.order_number} (continued)",
                size=mm(3.5),
                bold=True,
            )
            y = _table_head(sheet, left, right, margin + mm(8))
        y = _row(sheet, line, left, right, y)
    if y + footer_height(sheet, data) > bottom:
        sheet = new_sheet()
        sheets.append(sheet)
        y = margin
    returns_footer(sheet, data, left, right, y + mm(3))
    for number, page in enumerate(sheets, start=1):
        page.text(
            left,
            page.height - margin - mm(5),
            right - left,
            mm(5),
            f"Page {number} of {len(sheets)}",
            size=mm(3),
            align="right",
        )
    return sheets
