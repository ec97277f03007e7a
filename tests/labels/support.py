"""Rasterize rendered labels and read them back: pypdfium2, zplkit, zxing-cpp."""

from __future__ import annotations

import zplkit
import zxingcpp
from PIL import Image

from app.labels.layout import Label, Linear, Matrix, Page
from app.labels.profiles import PrinterProfile


def pdf_pages(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Each PDF page rasterized at ``dpi`` (one pixel per printer dot), greyscale."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        # A hair under dpi/72 so float noise in the page size cannot add a pixel (pdfium
        # would then stretch the page over it and move every bar off the dot grid).
        scale = dpi / 72 * (1 - 1e-7)
        return [doc[i].render(scale=scale).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def pdf_texts(pdf: bytes) -> list[str]:
    """The text of each PDF page as pdfium extracts it, one line per printed line."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in doc]
    finally:
        doc.close()


def zpl_pages(zpl: bytes, profile: PrinterProfile) -> list[Image.Image]:
    """Each ZPL format rendered offline by zplkit at the profile's size and dpi."""
    options = zplkit.Options(
        profile="specification", width=profile.width, height=profile.height, dpi=profile.dpi
    )
    document = zplkit.render(zpl, options)  # on its own: the label carries its fonts
    pages = []
    for scene in document.labels:
        raster = scene.rasterize()
        pages.append(Image.frombytes("L", (raster.width, raster.height), raster.pixels))
    return pages


def decode(image: Image.Image) -> list[tuple[str, str, str]]:
    """(format, text, symbology identifier) of every symbol found, sorted."""
    found = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain, try_rotate=False)
    return sorted((r.format.name, r.text, r.symbology_identifier) for r in found)


def expected(page: Page) -> list[tuple[str, str, str]]:
    """What a decoder must read from ``page``: its symbols' contents, exactly."""
    out = []
    for item in page.items:
        if isinstance(item, Matrix):
            out.append(("QRCode", item.symbol.content, "]Q1"))
        elif isinstance(item, Linear):
            kind = item.symbol.symbology
            if kind == "gs1-128":
                out.append(("Code128", item.symbol.content, "]C1"))
            elif kind == "code128":
                out.append(("Code128", item.symbol.content, "]C0"))
            elif kind == "ean13":
                out.append(("EAN13", item.symbol.content, "]E0"))
            else:  # UPC-A reads back as its EAN-13 form
                out.append(("EAN13", "0" + item.symbol.content, "]E0"))
    return sorted(out)


def symbols(label: Label) -> list[tuple[int, Linear | Matrix]]:
    return [
        (index, item)
        for index, page in enumerate(label.pages)
        for item in page.items
        if isinstance(item, Linear | Matrix)
    ]
