"""Geometry, checked apart from the decoder: whole-dot modules, quiet zones, inside media.

The layout is checked as data, then the rasterized PDF (and the ZPL rendered offline)
is read back dot by dot along each symbol: every bar and space has exactly its width in
printer dots, and the quiet zones are free of ink over the full bar height.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PIL import Image

from app.labels.layout import Linear, Matrix, Page, Rect, Text, min_module
from tests.labels import cases
from tests.labels.support import pdf_pages, symbols, zpl_pages

# Smallest module, in millimetres, by kind of symbol (DESIGN.md §6).
MIN_MM = {"code128": 0.33, "gs1-128": 0.495, "ean13": 0.33, "upca": 0.33}


def _expected_row(item: Linear) -> list[bool]:
    row = [False] * item.quiet_left
    for index, run in enumerate(item.symbol.runs):
        row += [index % 2 == 0] * (run * item.module)
    return row + [False] * item.quiet_right


def _box(item: Linear | Matrix) -> tuple[int, int, int, int]:
    """The symbol with its quiet zone / border: x0, y0, x1, y1 (exclusive)."""
    if isinstance(item, Linear):
        return (
            item.x - item.quiet_left,
            item.y,
            item.x + item.width + item.quiet_right,
            item.y + item.total_height,
        )
    return (
        item.x - item.border,
        item.y - item.border,
        item.x + item.size + item.border,
        item.y + item.size + item.border,
    )


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_layout_modules_are_whole_dots_and_symbols_inside_media(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    found = symbols(label)
    assert found
    for page_index, item in found:
        page = label.pages[page_index]
        assert isinstance(item.module, int)
        assert isinstance(item.x, int)
        assert isinstance(item.y, int)
        if isinstance(item, Linear):
            assert item.module >= min_module(MIN_MM[item.symbol.symbology], dpi)
            assert item.symbol.quiet_left >= (11 if item.symbol.symbology == "ean13" else 9)
            if item.symbol.symbology in ("code128", "gs1-128"):
                assert item.symbol.quiet_left >= 10
                assert item.symbol.quiet_right >= 10
        else:
            assert item.module >= 3
            assert item.symbol.border == 4
        x0, y0, x1, y1 = _box(item)
        assert x0 >= 0 and x1 <= page.width and y0 >= 0 and y1 <= page.height


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_no_other_item_enters_a_symbol_or_its_quiet_zone(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    for page in label.pages:
        boxes = [(_box(i), i) for i in page.items if isinstance(i, Linear | Matrix)]
        for item in page.items:
            if isinstance(item, Text | Rect):
                own = (item.x, item.y, item.x + item.w, item.y + item.h)
                for box, symbol in boxes:
                    assert not _overlaps(own, box), (item, symbol.symbol.content)
        for index, (box, _) in enumerate(boxes):
            assert not any(_overlaps(box, other) for other, _ in boxes[index + 1 :])


def _grey(image: Image.Image) -> Callable[[int, int], float]:
    """The grey level at (x, y) of a greyscale page image: 0 is ink, 255 bare paper."""
    assert image.mode == "L", image.mode
    px = image.load()
    assert px is not None

    def level(x: int, y: int) -> float:
        value = px[x, y]
        assert not isinstance(value, tuple), value
        return value

    return level


def _check_linear(image: Image.Image, item: Linear, *, crisp: bool) -> None:
    px = _grey(image)
    x0 = item.x - item.quiet_left
    x1 = item.x + item.width + item.quiet_right
    for y in (item.y + 2, item.y + item.height // 2, item.y + item.height - 3):
        row = [px(x, y) for x in range(x0, x1)]
        dark = [v < 128 for v in row]
        assert dark == _expected_row(item), f"bars at y={y} differ from the module pattern"
        if crisp:
            assert all(v < 40 or v > 215 for v in row), "bar edges are off the dot grid"
    quiet = [(x0, item.x), (item.x + item.width, x1)]
    for a, b in quiet:
        ink = min(px(x, y) for x in range(a, b) for y in range(item.y, item.y + item.height))
        assert ink > 200, "ink in the quiet zone"


def _check_matrix(image: Image.Image, item: Matrix, *, every_module: bool = True) -> None:
    px = _grey(image)
    m = item.module
    half = m // 2
    for r, row in enumerate(item.symbol.rows if every_module else ()):
        for c, dark in enumerate(row):
            assert (px(item.x + c * m + half, item.y + r * m + half) < 128) == dark
    x0, y0 = item.x - item.border, item.y - item.border
    x1, y1 = item.x + item.size + item.border, item.y + item.size + item.border
    for x in range(x0, x1):
        for y in range(y0, y1):
            if not (item.x <= x < item.x + item.size and item.y <= y < item.y + item.size):
                assert px(x, y) > 200, "ink in the QR quiet zone"


def _check_finders(image: Image.Image, item: Matrix) -> None:
    """The three finder patterns (the same under any mask) sit exactly where laid out."""
    px = _grey(image)
    m, n = item.module, item.symbol.size
    for r0, c0 in ((0, 0), (0, n - 7), (n - 7, 0)):
        for r in range(r0, r0 + 7):
            for c in range(c0, c0 + 7):
                dark = item.symbol.rows[r][c]
                assert (px(item.x + c * m + m // 2, item.y + r * m + m // 2) < 128) == dark


def _check_page(image: Image.Image, page: Page, *, crisp: bool, printer: bool) -> None:
    for item in page.items:
        if isinstance(item, Linear):
            _check_linear(image, item, crisp=crisp)
        elif isinstance(item, Matrix) and printer:
            _check_finders(image, item)
            _check_matrix(image, item, every_module=False)
        elif isinstance(item, Matrix):
            _check_matrix(image, item)


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_pdf_raster_has_exact_modules_and_clear_quiet_zones(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    crisp = cases.profile(name, dpi).bar_reduction == 0
    for page, image in zip(label.pages, pdf_pages(cases.pdf(name, dpi), dpi), strict=True):
        _check_page(image, page, crisp=crisp, printer=False)


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_zpl_draws_the_same_bars_and_places_qr_where_laid_out(name: str, dpi: int) -> None:
    """The printer-native symbols: same bars dot for dot; QR (its own mask) in place."""
    label = cases.label(name, dpi)
    pages = zpl_pages(cases.zpl(name, dpi), cases.profile(name, dpi))
    for page, image in zip(label.pages, pages, strict=True):
        _check_page(image, page, crisp=True, printer=True)
