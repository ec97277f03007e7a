"""Small labels: pickup tag, return (RMA) label, bin label, shelf label."""

from __future__ import annotations

from app.domain.labels import BinLabel, PickupTag, ReturnLabel, ShelfLabel
from app.domain.returns.grades import Disposition
from app.labels.layout import HRI_MODULES, OffMedia, Sheet, min_module, shortened
from app.labels.symbols import code128, retail


def _code128_footer(sheet: Sheet, text: str, field: str, bars_mm: float) -> None:
    """Code 128 of ``text`` across the bottom, its human-readable line under it."""
    mm = sheet.mm
    margin = mm(2.5)
    hri_top = sheet.height - margin - mm(4.5)
    bars_top = hri_top - mm(0.8) - mm(bars_mm)
    if bars_top < sheet.lowest() + mm(1):
        raise OffMedia(f"the {field} barcode has no room under the text above it")
    sheet.linear_centered(
        code128(text),
        left=0,
        right=sheet.width,
        y=bars_top,
        height=mm(bars_mm),
        module=min_module(0.5, sheet.dpi),
        min_dots=min_module(0.33, sheet.dpi),
        field=field,
    )
    sheet.text(
        margin,
        hri_top,
        sheet.width - 2 * margin,
        mm(4.5),
        text,
        size=mm(3.2),
        align="center",
        field=field,
    )


def lay_out_pickup_tag(sheet: Sheet, data: PickupTag) -> None:
    mm = sheet.mm
    margin = mm(3)
    left, right = margin, sheet.width - margin
    inner = right - left
    main = round(inner * 0.62)
    y = margin
    sheet.text(left, y, main, mm(5), "PICKUP", size=mm(3), bold=True)
    y += mm(5)
    sheet.text(
        left,
        y,
        main,
        mm(9),
        data.order_number,
        size=mm(6),
        min_size=mm(4),
        bold=True,
        field="order number",
    )
    sheet.text(
        left,
        y + mm(9),
        main,
        mm(15),
        data.customer_name,
        size=mm(5),
        min_size=mm(3),
        field="customer name",
    )
    sheet.text(
        left,
        y + mm(25),
        main,
        mm(5),
        f"Hold until {data.pickup_by.strftime('%d %b %Y')}",
        size=mm(3.4),
        bold=True,
    )
    box_x = left + main + mm(3)
    sheet.rect(box_x, margin, right - box_x, mm(33), thickness=max(2, mm(0.5)))
    sheet.text(
        box_x + mm(2),
        margin + mm(1.5),
        right - box_x - mm(4),
        mm(5),
        "BIN",
        size=mm(3),
        align="center",
    )
    sheet.text(
        box_x + mm(2),
        margin + mm(8),
        right - box_x - mm(4),
        mm(20),
        data.bin_code,
        size=mm(10),
        min_size=mm(5),
        bold=True,
        align="center",
        field="bin",
    )
    _code128_footer(sheet, data.order_number, "order number", 20)


# What the RMA label says in large letters, and where the person holding the unit takes
# it next: put-away scans the label, then the bin (issue #12: "put away into a quarantine
# bin or back to the shelf by scan").
RMA_HEADINGS = {
    Disposition.SELLABLE: "BACK TO SHELF",
    Disposition.OPEN_BOX: "OPEN BOX",
    Disposition.DAMAGED: "DAMAGED",
    Disposition.RTV: "RETURN TO VENDOR",
    Disposition.SCRAP: "SCRAP",
}
PUT_AWAY = {
    Disposition.SELLABLE: "Put away: scan this label, then the shelf bin",
    Disposition.OPEN_BOX: "Put away: scan this label, then the open-box bin",
    Disposition.DAMAGED: "Quarantine: scan this label, then the damaged bin",
    Disposition.RTV: "Quarantine: scan this label, then the vendor-returns bin",
    Disposition.SCRAP: "Quarantine: scan this label, then the scrap bin",
}


def lay_out_return_label(sheet: Sheet, data: ReturnLabel) -> None:
    """Where the unit goes, large; how to put it away; what it is and why it came back;
    the RMA id as Code 128 across the bottom."""
    mm = sheet.mm
    margin = mm(2.5)
    left, right = margin, sheet.width - margin
    inner = right - left
    main = round(inner * 0.74)
    y = margin
    sheet.text(left, y, main, mm(7.5), RMA_HEADINGS[data.disposition], size=mm(5.6),
               min_size=mm(3.5), bold=True, field="disposition")  # fmt: skip
    sheet.text(left + main, y + mm(0.8), inner - main, mm(6), f"Grade {data.grade}",
               size=mm(4.2), min_size=mm(3), bold=True, align="right", field="grade")  # fmt: skip
    y += mm(8)
    sheet.text(left, y, inner, mm(4.6), PUT_AWAY[data.disposition], size=mm(3.3),
               min_size=mm(2.6), bold=True, field="put-away hint")  # fmt: skip
    y += mm(5.4)
    item = " · ".join(part for part in (data.sku, data.item_name) if part)
    if item:  # a long name is cut short: the SKU and the barcode say which item it is
        item = shortened(item, inner, mm(4.4), mm(3.1), mm(2.4))
        sheet.text(left, y, inner, mm(4.4), item, size=mm(3.1), min_size=mm(2.4), field="item")
        y += mm(4.8)
    why = " · ".join(part for part in (_order(data), _reason(data)) if part)
    if why:  # a long reason takes a second line, and is cut short beyond it
        why = shortened(why, inner, mm(8), mm(3.1), mm(2.4))
        sheet.text(left, y, inner, mm(8), why, size=mm(3.1), min_size=mm(2.4),
                   field="order and reason")  # fmt: skip
    _code128_footer(sheet, data.rma_id, "RMA id", 12)


def _order(data: ReturnLabel) -> str:
    return f"Order {data.order_number}" if data.order_number else ""


def _reason(data: ReturnLabel) -> str:
    return f"Reason: {data.reason}" if data.reason else ""


def lay_out_bin_label(sheet: Sheet, data: BinLabel) -> None:
    mm = sheet.mm
    margin = mm(2.5)
    inner = sheet.width - 2 * margin
    sheet.text(
        margin,
        margin,
        inner,
        mm(17),
        data.bin_code,
        size=mm(12),
        min_size=mm(6),
        bold=True,
        align="center",
        field="bin code",
    )
    if data.caption:
        sheet.text(
            margin,
            margin + mm(17),
            inner,
            mm(5),
            data.caption,
            size=mm(3.2),
            min_size=mm(2.4),
            align="center",
            field="caption",
        )
    bars = 13 if data.caption else 17
    _code128_footer(sheet, data.bin_code, "bin code", bars)


def lay_out_shelf_label(sheet: Sheet, data: ShelfLabel) -> None:
    mm = sheet.mm
    margin = mm(1.5)
    left, right = margin, sheet.width - margin
    inner = right - left
    y = margin
    name = sheet.text(
        left,
        y,
        inner,
        round(2 * mm(2.5) * 1.4),
        data.item_name,
        size=mm(2.5),
        min_size=mm(1.8),
        field="item name",
    )
    y += name.h
    if data.sku:
        sheet.text(
            left,
            y + mm(2),
            round(inner * 0.35),
            mm(3.5),
            data.sku,
            size=mm(2.2),
            min_size=mm(1.6),
            field="SKU",
        )
    sheet.text(
        left + round(inner * 0.35),
        y,
        inner - round(inner * 0.35),
        mm(7.5),
        data.price.format(),
        size=mm(5.2),
        min_size=mm(3.4),
        bold=True,
        align="right",
        field="price",
    )
    y += mm(7.5)
    symbol = retail(data.gtin)
    module = min_module(0.33, sheet.dpi)
    height = sheet.height - margin - y - HRI_MODULES * module
    sheet.linear_centered(
        symbol,
        left=0,
        right=sheet.width,
        y=y,
        height=height,
        module=module,
        min_dots=min_module(0.26, sheet.dpi),
        field="GTIN",
        hri=True,
    )
