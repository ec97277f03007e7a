"""The dot-grid layout model: every position and size is a whole number of printer dots.

A template fills a ``Sheet`` (one page of media at the profile's dpi) with text blocks,
rectangles, linear symbols and QR matrices; the PDF, ZPL and PNG renderers draw the same
items. Text that does not fit its box even at its smallest size, and a barcode that does
not fit with whole-dot modules and its quiet zones, are refused with ``BadInput``; an item
that would leave the media (either direction) with ``OffMedia``, so a layout made for
larger media is refused rather than printed with pieces missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from app.errors import BadInput
from app.labels import fonts
from app.labels.symbols import LinearSymbol, MatrixSymbol

Align = Literal["left", "center", "right"]

HRI_MODULES = 8  # EAN/UPC digits under the bars take this many modules of height


class OffMedia(BadInput):
    """A laid-out item does not fit on the media; ``lay_out`` names template and media."""


@lru_cache(maxsize=4096)
def dots(mm: float, dpi: int) -> int:
    """Millimetres to whole printer dots (nearest)."""
    return round(mm * dpi / 25.4)


def min_module(mm: float, dpi: int) -> int:
    """Fewest whole dots that make a module at least ``mm`` wide."""
    return max(1, math.ceil(mm * dpi / 25.4 - 1e-9))


@dataclass(frozen=True)
class Text:
    x: int
    y: int
    w: int
    h: int
    lines: tuple[str, ...]
    size: int  # em in dots
    bold: bool = False
    align: Align = "left"
    reverse: bool = False  # white on a filled box the template draws first

    @property
    def line_height(self) -> int:
        return round(self.size * fonts.LINE_HEIGHT)

    @property
    def baseline(self) -> int:
        return round(self.size * fonts.BASELINE)

    def line_x(self, line: str) -> float:
        """Left edge of ``line`` by the block's alignment."""
        if self.align == "left":
            return float(self.x)
        width = fonts.text_width(line, self.size)
        if self.align == "right":
            return self.x + self.w - width
        return self.x + (self.w - width) / 2


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int
    thickness: int = 0  # 0: filled


@dataclass(frozen=True)
class Linear:
    """A linear symbol; ``x``/``y`` is the top left of its first bar (quiet zone outside)."""

    x: int
    y: int
    module: int
    height: int
    symbol: LinearSymbol
    hri: bool = False  # EAN/UPC: digits under the bars, guard bars extended
    reduction: float = 0.0  # bar-width reduction in dots, set by the profile at render

    @property
    def width(self) -> int:
        return self.symbol.width * self.module

    @property
    def quiet_left(self) -> int:
        return self.symbol.quiet_left * self.module

    @property
    def quiet_right(self) -> int:
        return self.symbol.quiet_right * self.module

    @property
    def guard_extra(self) -> int:
        return 5 * self.module if self.hri else 0

    @property
    def total_height(self) -> int:
        return self.height + (HRI_MODULES * self.module if self.hri else 0)


@dataclass(frozen=True)
class Matrix:
    """A QR matrix; ``x``/``y`` is the top left of its first module (border outside)."""

    x: int
    y: int
    module: int
    symbol: MatrixSymbol

    @property
    def size(self) -> int:
        return self.symbol.size * self.module

    @property
    def border(self) -> int:
        return self.symbol.border * self.module


Item = Text | Rect | Linear | Matrix


def _bottom(item: Item) -> int:
    if isinstance(item, Linear):
        return item.y + item.total_height
    if isinstance(item, Matrix):
        return item.y + item.size + item.border
    return item.y + item.h


def hri_digits(item: Linear) -> tuple[int, int, tuple[tuple[float, str], ...]]:
    """EAN/UPC human-readable digits: (em size, baseline y, ((centre x, digit), ...))."""
    m = item.module
    code = item.symbol.text
    cells: list[tuple[float, str]] = []
    if len(code) == 13:
        cells.append((item.x - 5 * m, code[0]))
        cells += [(item.x + (3 + 7 * i + 3.5) * m, d) for i, d in enumerate(code[1:7])]
        cells += [(item.x + (50 + 7 * i + 3.5) * m, d) for i, d in enumerate(code[7:])]
    else:
        cells.append((item.x - 5 * m, code[0]))
        cells += [(item.x + (10 + 7 * i + 3.5) * m, d) for i, d in enumerate(code[1:6])]
        cells += [(item.x + (50 + 7 * i + 3.5) * m, d) for i, d in enumerate(code[6:11])]
        cells.append((item.x + 100 * m, code[11]))
    return HRI_MODULES * m, item.y + item.height + 7 * m, tuple(cells)


@dataclass
class Sheet:
    """One page of media being laid out, in dots."""

    width: int
    height: int
    dpi: int
    media: str
    items: list[Item] = field(default_factory=list)

    def mm(self, value: float) -> int:
        return dots(value, self.dpi)

    def text(
        self,
        x: int,
        y: int,
        w: int,
        h: int,
        text: str,
        *,
        size: int,
        min_size: int | None = None,
        bold: bool = False,
        align: Align = "left",
        field: str = "text",
        reverse: bool = False,
    ) -> Text:
        """Wrap ``text`` into the box, shrinking down to ``min_size``; refuse if it won't fit."""
        fitted = fit(text, w, h, size, min_size or size)
        shown = text if len(text) <= 40 else text[:37] + "…"
        if fitted is not None:
            lines, used_size = fitted
            used = block_height(len(lines), used_size)
            item = Text(x, y, w, used, lines, used_size, bold, align, reverse)
            what = f"the text '{shown}'" if field == "text" else f"the {field}"
            self._on_media(x, y, w, used, what)
            self.items.append(item)
            return item
        raise BadInput(
            f"The {field} '{shown}' is too long for its box on the {self.media} label.",
            next_step="Shorten it, or choose a larger label in the printer settings.",
        )

    def _on_media(self, x: int, y: int, w: int, h: int, what: str) -> None:
        """Refuse an item that would leave the media, across or down."""
        if x < 0 or x + w > self.width:
            raise OffMedia(f"{what} runs off the side")
        if h <= 0 or y < 0 or y + h > self.height:
            raise OffMedia(f"{what} runs off the bottom")

    def lowest(self) -> int:
        """The bottom edge of the lowest item laid out so far (0 on an empty sheet)."""
        return max((_bottom(item) for item in self.items), default=0)

    def rect(self, x: int, y: int, w: int, h: int, thickness: int = 0) -> Rect:
        item = Rect(x, y, w, h, thickness)
        self._on_media(x, y, w, h, "a rule")
        self.items.append(item)
        return item

    def linear(
        self,
        symbol: LinearSymbol,
        *,
        x: int,
        y: int,
        height: int,
        module: int,
        hri: bool = False,
    ) -> Linear:
        item = Linear(x, y, module, height, symbol, hri)
        what = f"the barcode '{symbol.content}'"
        left = item.x - item.quiet_left
        self._on_media(left, y, item.quiet_left + item.width + item.quiet_right, 1, what)
        self._on_media(x, y, item.width, item.total_height, what)
        self.items.append(item)
        return item

    def linear_centered(
        self,
        symbol: LinearSymbol,
        *,
        left: int,
        right: int,
        y: int,
        height: int,
        module: int,
        min_dots: int,
        field: str,
        hri: bool = False,
    ) -> Linear:
        """Centre ``symbol`` between ``left`` and ``right`` with the widest module that fits."""
        total = symbol.quiet_left + symbol.width + symbol.quiet_right
        fit = min(module, (right - left) // total)
        if fit < min_dots:
            raise BadInput(
                f"The {field} '{symbol.content}' is too long to print as a barcode that scans "
                f"on the {self.media} label.",
                next_step="Use a wider label for it.",
            )
        x = left + ((right - left) - total * fit) // 2 + symbol.quiet_left * fit
        return self.linear(symbol, x=x, y=y, height=height, module=fit, hri=hri)

    def matrix(self, symbol: MatrixSymbol, *, x: int, y: int, module: int) -> Matrix:
        item = Matrix(x, y, module, symbol)
        border, whole = item.border, item.size + 2 * item.border
        self._on_media(x - border, y - border, whole, whole, "the QR code")
        self.items.append(item)
        return item

    def page(self) -> Page:
        return Page(self.width, self.height, self.dpi, tuple(self.items))


@dataclass(frozen=True)
class Page:
    width: int
    height: int
    dpi: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Label:
    """A laid-out label: its kind, the profile it was laid out for, and its pages."""

    kind: str
    profile: str
    dpi: int
    pages: tuple[Page, ...]


@lru_cache(maxsize=4096)
def fit(text: str, w: int, h: int, size: int, min_size: int) -> tuple[tuple[str, ...], int] | None:
    """Lines and size that fit ``text`` in a w x h box, largest size first; None if none."""
    for try_size in range(size, min_size - 1, -1):
        lines = wrap(text, w, try_size)
        if lines is not None and block_height(len(lines), try_size) <= h:
            return lines, try_size
    return None


def shortened(text: str, w: int, h: int, size: int, min_size: int) -> str:
    """``text``, or as much of it as fits the box at ``min_size`` ending in "…": for words
    that help a person but must never stop a print (an item's name beside its SKU)."""
    if fit(text, w, h, size, min_size) is not None:
        return text
    for end in range(len(text) - 1, 0, -1):
        cut = text[:end].rstrip(" ,·-") + "…"
        if fit(cut, w, h, size, min_size) is not None:
            return cut
    return "…"


def block_height(lines: int, size: int) -> int:
    """Dots a block of ``lines`` needs: full line pitch, the last line without its leading."""
    return (lines - 1) * round(size * fonts.LINE_HEIGHT) + round(size * fonts.LAST_LINE)


def wrap(text: str, width: int, size: int) -> tuple[str, ...] | None:
    """Greedy word wrap by measured width; ``None`` when one word alone is too wide."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if fonts.text_width(candidate, size) <= width:
                current = candidate
                continue
            if not current or fonts.text_width(word, size) > width:
                return None
            lines.append(current)
            current = word
        lines.append(current)
    return tuple(lines)
