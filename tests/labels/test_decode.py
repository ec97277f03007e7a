"""Every template, at 203 and 300 dpi, decodes to exactly what was encoded.

PDF rasterized by pypdfium2 at the printer's dpi, ZPL rendered offline by zplkit, the PNG
preview as it is: each read by zxing-cpp. The SSCC must read as GS1 (``]C1``) with no
parentheses in its data.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.labels.render_png import render_png
from tests.labels import cases
from tests.labels.support import decode, expected, pdf_pages, zpl_pages


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_pdf_decodes_to_exact_content(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    pages = pdf_pages(cases.pdf(name, dpi), dpi)
    assert len(pages) == len(label.pages)
    for page, image in zip(label.pages, pages, strict=True):
        assert decode(image) == expected(page)


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_zpl_renders_offline_and_decodes_the_same(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    pages = zpl_pages(cases.zpl(name, dpi), cases.profile(name, dpi))
    assert len(pages) == len(label.pages)
    for page, image in zip(label.pages, pages, strict=True):
        assert decode(image) == expected(page)


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_png_preview_decodes_the_same(name: str, dpi: int) -> None:
    label = cases.label(name, dpi)
    for page, png in zip(label.pages, render_png(label), strict=True):
        image = Image.open(io.BytesIO(png))
        assert image.size == (page.width, page.height)
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
        assert decode(image) == expected(page)


@pytest.mark.parametrize("dpi", [203, 300])
def test_sscc_reads_as_gs1_without_parentheses(dpi: int) -> None:
    found = decode(pdf_pages(cases.pdf("shipping", dpi), dpi)[0])
    sscc = [text for fmt, text, ident in found if ident == "]C1"]
    assert sscc == ["00106141412345678908"]
    assert "(" not in sscc[0]


def test_long_packing_slip_runs_over_pages_with_returns_on_the_last() -> None:
    label = cases.label("packing-slip-long", 203)
    assert len(label.pages) >= 3
    qr_pages = [
        i
        for i, page in enumerate(label.pages)
        for item in page.items
        if type(item).__name__ == "Matrix"
    ]
    assert qr_pages == [len(label.pages) - 1]
