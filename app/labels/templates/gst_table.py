"""What the GST documents (the tax invoice, the credit note) lay out alike: the parties
and the document's facts in three columns, a table of lines with HSN codes and taxes
(CGST + SGST within the state, IGST across) that turns the page and repeats its heads,
the totals beside the notes, and "page n of N". Amounts in ₹ with Indian grouping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from app.domain.money import Money
from app.labels.layout import Align, Sheet, block_height, fit

# (heading, width in parts of the printable width, alignment); the tax columns differ.
Column = tuple[str, int, Align]
TEXT, SMALLEST = 3.0, 2.3  # mm em of a table cell, as large as fits, down to the smallest


def amount(minor: int) -> str:
    """Rupees with Indian grouping, without the sign: 1,23,456.00."""
    return Money(minor).format().removeprefix("₹")


def columns(middle: Sequence[Column], total: str, *, intra_state: bool) -> tuple[Column, ...]:
    """#, item and HSN, the document's own ``middle`` columns, the taxes and ``total``;
    the item column takes the room of the second tax column across states."""
    taxes: tuple[Column, ...] = (
        (("CGST", 17, "right"), ("SGST", 17, "right")) if intra_state else (("IGST", 17, "right"),)
    )
    item: Column = ("Item", 38 if intra_state else 55, "left")
    return (("#", 5, "left"), item, ("HSN/SAC", 15, "left"), *middle, *taxes, (total, 22, "right"))


@dataclass
class Pages:
    """The sheets laid out so far and where the next row goes; a continued page is titled
    ``continued`` and repeats the table's heads."""

    new_sheet: Callable[[], Sheet]
    columns: tuple[Column, ...]
    continued: str
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
        """Turn the page, repeating the title (and the table heads), unless ``height`` fits."""
        if self.y + height <= self.bottom:
            return
        self.sheets.append(self.new_sheet())
        mm = self.sheet.mm
        self.sheet.text(self.left, mm(12), self.right - self.left, mm(6), self.continued,
                        size=mm(3.5), bold=True)  # fmt: skip
        self.y = mm(20)
        if heads:
            table_heads(self)


def parties(pages: Pages, facts: Sequence[tuple[str, str]], gstin: str, top: int) -> None:
    """Three columns of (title, text) from ``top``: who issues, who receives, the
    document; the issuer's GSTIN under the issuer."""
    sheet, mm = pages.sheet, pages.sheet.mm
    width = (pages.right - pages.left) // 3
    bottoms = []
    for index, (title, text) in enumerate(facts):
        x = pages.left + index * width
        sheet.text(x, top, width - mm(3), mm(5), title, size=mm(3.2), bold=True)
        block = sheet.text(x, top + mm(5.5), width - mm(3), mm(32), text, size=mm(3.3),
                           min_size=mm(2.6), field=title.lower())  # fmt: skip
        bottoms.append(block.y + block.h)
    sheet.text(pages.left, bottoms[0] + mm(1), width - mm(3), mm(5), f"GSTIN {gstin}",
               size=mm(3.3), bold=True)  # fmt: skip
    pages.y = max(bottoms[0] + mm(9), max(bottoms) + mm(4))


def table_heads(pages: Pages) -> None:
    sheet, mm = pages.sheet, pages.sheet.mm
    for (title, _, align), (x, w) in zip(pages.columns, pages.spans(), strict=True):
        sheet.text(x, pages.y, w, mm(9), title, size=mm(3), min_size=mm(2.4), bold=True,
                   align=align)  # fmt: skip
    pages.y += mm(9.5)
    sheet.rect(pages.left, pages.y, pages.right - pages.left, max(2, mm(0.3)))
    pages.y += mm(1.5)


def table_row(pages: Pages, cells: Sequence[str]) -> None:
    """One line of the table, on the next page (under its heads) when it does not fit."""
    mm = pages.sheet.mm
    spans = pages.spans()
    heights = []
    for text, (_, w) in zip(cells, spans, strict=True):
        fitted = fit(text, w, mm(30), mm(TEXT), mm(SMALLEST))
        heights.append(block_height(len(fitted[0]), fitted[1]) if fitted else mm(30))
    pages.room(max(heights) + mm(2))
    for text, (title, _, align), (x, w) in zip(cells, pages.columns, spans, strict=True):
        pages.sheet.text(x, pages.y, w, mm(30), text, size=mm(TEXT), min_size=mm(SMALLEST),
                         align=align, field=f"{title.lower()} of line {cells[0]}")  # fmt: skip
    pages.y += max(heights) + mm(1)
    pages.sheet.rect(pages.left, pages.y, pages.right - pages.left, 1)
    pages.y += mm(1)


def tax_rows(
    taxable_minor: int, cgst_minor: int, sgst_minor: int, igst_minor: int, *, intra_state: bool
) -> list[tuple[str, int]]:
    """The totals' rows before the last: the taxable value, then CGST + SGST or IGST."""
    rows = [("Taxable value", taxable_minor)]
    if intra_state:
        return [*rows, ("CGST", cgst_minor), ("SGST", sgst_minor)]
    return [*rows, ("IGST", igst_minor)]


def totals(
    pages: Pages, rows: Sequence[tuple[str, int]], notes: str, signed: Sequence[str]
) -> None:
    """The totals on the right, the last row bold under a rule, ``notes`` on the left and
    the ``signed`` lines under the totals; on the next page when they do not fit."""
    mm = pages.sheet.mm
    pages.room(mm(7) * len(rows) + mm(6) * len(signed) + mm(6), heads=False)
    sheet, top = pages.sheet, pages.y + mm(2)
    split = pages.left + (pages.right - pages.left) * 55 // 100
    sheet.text(pages.left, top, split - pages.left - mm(6), mm(30), notes, size=mm(3),
               min_size=mm(2.4), field="notes")  # fmt: skip
    for index, (title, minor) in enumerate(rows):
        last = index == len(rows) - 1
        y = top + index * mm(6.5) + (mm(1.5) if last else 0)
        if last:
            sheet.rect(split, y - mm(1.5), pages.right - split, max(2, mm(0.3)))
        size = mm(4 if last else 3.4)
        sheet.text(split, y, mm(45), mm(6), title, size=size, bold=last)
        sheet.text(split + mm(45), y, pages.right - split - mm(45), mm(6),
                   Money(minor).format(), size=size, bold=last, align="right")  # fmt: skip
    y = top + len(rows) * mm(6.5) + mm(3)
    for line in signed:
        said = sheet.text(split, y, pages.right - split, mm(10), line, size=mm(2.8),
                          min_size=mm(2.4), align="right")  # fmt: skip
        y = said.y + said.h + mm(1.5)
    pages.y = max(sheet.lowest(), top + mm(30)) + mm(2)


def number_pages(pages: Pages, name: str) -> None:
    """The foot of every page: ``name`` · page n of N."""
    for number, page in enumerate(pages.sheets, start=1):
        page.text(pages.left, page.height - page.mm(17), pages.right - pages.left, page.mm(5),
                  f"{name} · page {number} of {len(pages.sheets)}", size=page.mm(3),
                  align="right")  # fmt: skip
