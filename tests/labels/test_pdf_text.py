"""PDF text: bold runs are filled and stroked, every other run is plain fill.

The text render mode (``Tr``) is graphics state: it outlives the text object that set it,
so one bold heading used to turn every later run on the page bold. pdfium reads the
mode each text run is drawn with; it must match the layout run for run.
"""

from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from app.labels import fonts
from app.labels.layout import Label, Linear, Text, hri_digits
from tests.labels import cases

FILL, FILL_STROKE = pdfium_c.FPDF_TEXTRENDERMODE_FILL, pdfium_c.FPDF_TEXTRENDERMODE_FILL_STROKE


def drawn_runs(pdf: bytes) -> list[list[tuple[int, str]]]:
    """Per page, each text run as pdfium reads it: (render mode, text)."""
    doc = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for page in doc:
            textpage = page.get_textpage()
            runs = []
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                length = pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * length)()
                pdfium_c.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, length * 2)
                text = bytes(buffer).decode("utf-16-le").rstrip("\x00")
                runs.append((pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw), text))
            pages.append(runs)
    finally:
        doc.close()
    return pages


def laid_out_runs(label: Label) -> list[list[bool]]:
    """Per page, whether each run the renderer draws is bold, in drawing order."""
    pages = []
    for page in label.pages:
        bold: list[bool] = []
        for item in page.items:
            if isinstance(item, Text):
                bold += [item.bold for line in item.lines for _ in fonts.runs(line)]
            elif isinstance(item, Linear) and item.hri:
                bold += [False] * len(hri_digits(item)[2])
        pages.append(bold)
    return pages


@pytest.mark.parametrize(("name", "dpi"), cases.CASES, ids=cases.IDS)
def test_only_bold_runs_are_stroked(name: str, dpi: int) -> None:
    drawn = drawn_runs(cases.pdf(name, dpi))
    expected = laid_out_runs(cases.label(name, dpi))
    assert [len(page) for page in drawn] == [len(page) for page in expected]
    for page_runs, page_bold in zip(drawn, expected, strict=True):
        for (mode, text), bold in zip(page_runs, page_bold, strict=True):
            assert mode == (FILL_STROKE if bold else FILL), text


def test_plain_text_after_a_bold_heading_is_plain() -> None:
    # The shipping label opens with the bold "FROM" and then the plain store address.
    (first_page, *_) = drawn_runs(cases.pdf("shipping", 203))
    assert first_page[0] == (FILL_STROKE, "FROM")
    assert first_page[1] == (FILL, "Counterbench Bengaluru (BLR-01)")
    assert {mode for mode, _ in first_page} == {FILL, FILL_STROKE}
