"""The batch pick list (A4 or Letter): totes with their barcodes, the walk in stop order
with a tick box per row for staff without a scanner, and what is short. Multi-page; every
page repeats the batch header and the column heads of the table it continues.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from app.domain.pick_walk import PickStop, PickWalk, ShortLine, Tote, ToteShare
from app.errors import BadInput
from app.labels import fonts
from app.labels.layout import Label, Sheet, block_height, fit, min_module
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.symbols import code128

KIND = "pick-list"
TOTE_COLUMNS = 3

# Walk table: (heading, start, end) as fractions of the printable width.
_WALK = (
    ("", 0.0, 0.05),
    ("Bin", 0.05, 0.20),
    ("Item", 0.20, 0.52),
    ("SKU", 0.52, 0.68),
    ("Qty", 0.68, 0.76),
    ("Into totes", 0.76, 1.0),
)
_SHORT = (("SKU", 0.0, 0.2), ("Item", 0.2, 0.6), ("Short", 0.6, 0.7), ("For totes", 0.7, 1.0))


@dataclass(frozen=True)
class PickListHeader:
    """What the top of every page says about the batch."""

    location: str
    printed_on: date


@dataclass
class _Pages:
    """The sheets laid out so far and where the next row goes."""

    new_sheet: Callable[[], Sheet]
    walk: PickWalk
    header: PickListHeader
    sheets: list[Sheet] = field(default_factory=list)
    y: int = 0
    left: int = 0
    right: int = 0
    bottom: int = 0

    def __post_init__(self) -> None:
        blank = self.new_sheet()
        margin = blank.mm(12)
        self.left, self.right = margin, blank.width - margin
        self.bottom = blank.height - margin - blank.mm(6)  # room for "Page n of N"

    @property
    def sheet(self) -> Sheet:
        return self.sheets[-1]

    def x(self, fraction: float) -> int:
        return self.left + round(fraction * (self.right - self.left))

    def turn(self) -> None:
        """Start a new page under the batch header."""
        self.sheets.append(self.new_sheet())
        self.y = _batch_header(self.sheet, self.walk, self.header, self.left, self.right)

    def room(self, height: int, heads: Callable[[], None]) -> None:
        """Turn the page (and repeat the table's heads) unless ``height`` fits."""
        if self.y + height > self.bottom:
            self.turn()
            heads()


def _units(shares: tuple[ToteShare, ...]) -> str:
    return ", ".join(f"{s.tote}×{s.quantity}" for s in shares)


def _batch_header(
    sheet: Sheet, walk: PickWalk, header: PickListHeader, left: int, right: int
) -> int:
    mm = sheet.mm
    top = mm(12)
    half = (right - left) // 2
    title = f"Pick list {walk.batch_id}"
    sheet.text(left, top, half + mm(30), mm(10), title, size=mm(6), min_size=mm(4), bold=True)
    facts = (
        f"{header.location} · {header.printed_on.strftime('%d %b %Y')} · "
        f"{len(walk.totes)} orders · {walk.units} units · {len(walk.stops)} stops"
    )
    sheet.text(left, top + mm(10), right - left, mm(6), facts, size=mm(3.6), min_size=mm(3))
    sheet.rect(left, top + mm(17), right - left, max(3, mm(0.4)))
    return top + mm(20)


def _heads(pages: _Pages, columns: tuple[tuple[str, float, float], ...], title: str) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    sheet.text(pages.left, pages.y, pages.right - pages.left, mm(7), title, size=mm(4.5), bold=True)
    top = pages.y + mm(8)
    for heading, start, end in columns:
        if heading:
            width = pages.x(end) - pages.x(start) - mm(1)
            sheet.text(pages.x(start), top, width, mm(5), heading, size=mm(3.2), bold=True)
    sheet.rect(pages.left, top + mm(5.5), pages.right - pages.left, max(2, mm(0.3)))
    pages.y = top + mm(7)


def _tote_heads(pages: _Pages, title: str) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    sheet.text(pages.left, pages.y, pages.right - pages.left, mm(7), title, size=mm(4.5), bold=True)
    pages.y += mm(9)


def _tote_cell(sheet: Sheet, tote: Tote, x: int, w: int, y: int) -> None:
    mm = sheet.mm
    sheet.text(x, y, mm(18), mm(7), tote.label, size=mm(5), bold=True, field="tote label")
    sheet.text(
        x + mm(18), y + mm(1), w - mm(19), mm(6), tote.order_number, size=mm(3.6), min_size=mm(2.6),
        field="order number",
    )  # fmt: skip
    sheet.linear_centered(
        code128(tote.code), left=x, right=x + w - mm(2), y=y + mm(8), height=mm(9),
        module=min_module(0.3, sheet.dpi), min_dots=min_module(0.25, sheet.dpi), field="tote code",
    )  # fmt: skip
    sheet.text(x, y + mm(17.5), w - mm(2), mm(4), tote.code, size=mm(2.6), align="center")


def _tote_table(pages: _Pages) -> None:
    mm = pages.sheet.mm
    _tote_heads(pages, "Totes: label each with its barcode")
    width = (pages.right - pages.left) // TOTE_COLUMNS
    row = mm(24)
    for start in range(0, len(pages.walk.totes), TOTE_COLUMNS):
        pages.room(row, lambda: _tote_heads(pages, "Totes (continued)"))
        for column, tote in enumerate(pages.walk.totes[start : start + TOTE_COLUMNS]):
            _tote_cell(pages.sheet, tote, pages.left + column * width, width, pages.y)
        pages.y += row
    pages.y += mm(3)


@dataclass(frozen=True)
class _Cell:
    text: str
    size: float  # mm
    min_size: float  # mm
    bold: bool = False
    field: str = "text"


def _fitted_height(sheet: Sheet, cell: _Cell, width: int) -> int:
    size, smallest = sheet.mm(cell.size), sheet.mm(cell.min_size)
    fitted = fit(cell.text, width, sheet.mm(30), size, smallest)
    if fitted is None:
        raise BadInput(f"The {cell.field} '{cell.text[:40]}' does not fit the pick list.")
    return block_height(len(fitted[0]), fitted[1])


def _row(
    pages: _Pages,
    columns: tuple[tuple[str, float, float], ...],
    cells: list[_Cell],
    heads: Callable[[], None],
) -> int:
    """Lay one table row out (turning the page first if it does not fit); its top."""
    mm = pages.sheet.mm
    spans = [(pages.x(s), pages.x(e) - pages.x(s) - mm(1.5)) for _, s, e in columns[-len(cells) :]]
    largest = max(mm(c.size) for c in cells)
    drops = [round((largest - mm(c.size)) * fonts.BASELINE) for c in cells]  # one baseline
    tallest = max(
        drop + _fitted_height(pages.sheet, cell, w)
        for cell, drop, (_, w) in zip(cells, drops, spans, strict=True)
    )
    pages.room(tallest + mm(3), heads)
    sheet, top = pages.sheet, pages.y + mm(1.5)
    for cell, drop, (x, w) in zip(cells, drops, spans, strict=True):
        sheet.text(
            x, top + drop, w, mm(30), cell.text, size=mm(cell.size), min_size=mm(cell.min_size),
            bold=cell.bold, field=cell.field,
        )  # fmt: skip
    pages.y = top + tallest + mm(1.5)
    sheet.rect(pages.left, pages.y - 1, pages.right - pages.left, 2)
    return top


def _stop_row(pages: _Pages, stop: PickStop, heads: Callable[[], None]) -> None:
    cells = [
        _Cell(stop.bin_code, 5.0, 3.4, bold=True, field="bin"),
        _Cell(stop.name, 3.4, 2.6, field="item name"),
        _Cell(stop.sku, 3.2, 2.4, field="SKU"),
        _Cell(str(stop.quantity), 5.0, 5.0, bold=True, field="quantity"),
        _Cell(_units(stop.totes), 3.6, 2.6, bold=True, field="totes"),
    ]
    top = _row(pages, _WALK, cells, heads)
    box = pages.sheet.mm(5)
    pages.sheet.rect(
        pages.left, top + pages.sheet.mm(0.5), box, box, thickness=max(3, pages.sheet.mm(0.35))
    )


def _short_row(pages: _Pages, line: ShortLine, heads: Callable[[], None]) -> None:
    cells = [
        _Cell(line.sku, 3.2, 2.4, field="SKU"),
        _Cell(line.name, 3.4, 2.6, field="item name"),
        _Cell(str(line.quantity), 4.2, 4.2, bold=True, field="quantity"),
        _Cell(_units(line.totes), 3.4, 2.6, field="totes"),
    ]
    _row(pages, _SHORT, cells, heads)


def _walk_table(pages: _Pages) -> None:
    titles = iter(("Walk",))

    def heads() -> None:
        _heads(pages, _WALK, next(titles, "Walk (continued)"))

    pages.room(pages.sheet.mm(30), heads)
    if pages.y + pages.sheet.mm(30) <= pages.bottom:
        heads()
    for stop in pages.walk.stops:
        _stop_row(pages, stop, heads)


def _short_table(pages: _Pages) -> None:
    if not pages.walk.short:
        return
    titles = iter(("Short: no bin holds these",))

    def heads() -> None:
        _heads(pages, _SHORT, next(titles, "Short (continued)"))

    pages.y += pages.sheet.mm(4)
    pages.room(pages.sheet.mm(30), heads)
    if pages.y + pages.sheet.mm(30) <= pages.bottom:
        heads()
    for line in pages.walk.short:
        _short_row(pages, line, heads)


def _number_pages(pages: _Pages) -> None:
    for number, sheet in enumerate(pages.sheets, start=1):
        mm = sheet.mm
        text = f"{pages.walk.batch_id} · page {number} of {len(pages.sheets)}"
        sheet.text(
            mm(12),
            sheet.height - mm(17),
            sheet.width - mm(24),
            mm(5),
            text,
            size=mm(3),
            align="right",
        )


def lay_out_pick_list(
    walk: PickWalk, header: PickListHeader, profile: PrinterProfile | None = None
) -> Label:
    """The pick list laid out on a sheet printer's pages (A4 unless told)."""
    chosen = profile or BUILT_IN["a4-laser"]

    def new_sheet() -> Sheet:
        return Sheet(chosen.width, chosen.height, chosen.dpi, chosen.media)

    pages = _Pages(new_sheet, walk, header)
    pages.turn()
    _tote_table(pages)
    _walk_table(pages)
    _short_table(pages)
    _number_pages(pages)
    return Label(KIND, chosen.name, chosen.dpi, tuple(s.page() for s in pages.sheets))


def render_pick_list(
    walk: PickWalk, header: PickListHeader, profile: PrinterProfile | None = None
) -> bytes:
    """The pick list as a PDF, bars narrowed by the profile's reduction."""
    chosen = profile or BUILT_IN["a4-laser"]
    label = lay_out_pick_list(walk, header, chosen)
    return render_pdf(label, bar_reduction=chosen.bar_reduction, compress=True)
