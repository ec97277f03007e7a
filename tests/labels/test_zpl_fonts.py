"""ZPL text beyond font 0 (₹, "—", accents, Devanagari) prints: the label carries a
bundled TrueType font that has it (or names the one stored on the printer); a field the
printer would wrap out of its ^FB box is refused. Rendered on its own by zplkit."""

from __future__ import annotations

import dataclasses
import re

import pytest
import zplkit
from PIL import Image

from app.domain.labels import BinLabel, LabelKind, ShelfLabel
from app.domain.money import Money
from app.errors import BadInput
from app.labels import fonts
from app.labels.layout import Label, Text
from app.labels.printing import Format, render
from app.labels.profiles import BUILT_IN, PrinterProfile
from app.labels.samples import SHELF, SHIPPING
from app.labels.templates import lay_out
from app.labels.zpl_fonts import FontSource, font_download
from tests.labels.support import decode, zpl_pages

BIN_PRINTER = BUILT_IN["zebra-4x2-203"]


def _zpl(kind: LabelKind, data: object, profile: PrinterProfile) -> bytes:
    (zpl,) = render(lay_out(kind, data, profile), profile, Format.ZPL)  # type: ignore[arg-type]
    return zpl


def _ink(page: Image.Image, item: Text) -> int:
    """Dark pixels inside a text item's box."""
    box = (item.x, item.y, item.x + item.w, item.y + item.h)
    return sum(page.crop(box).histogram()[:128])


def _texts(label: Label) -> list[Text]:
    return [item for item in label.pages[0].items if isinstance(item, Text)]


def test_font_0_lacks_these_characters() -> None:
    # Why the bundled fonts: a renderer (and a printer) cannot draw them in font 0.
    for char in ("₹", "—", "क"):
        with pytest.raises(ValueError, match="unsupported embedded font glyph"):
            zplkit.render(f"^XA^CI28^FO0,0^A0N,30,30^FD{char}^FS^XZ".encode())


def test_a_rupee_price_prints_in_the_font_the_label_carries() -> None:
    profile = BUILT_IN["shelf-50x30-203"]
    zpl = _zpl(LabelKind.SHELF, SHELF, profile)
    assert zpl.startswith(b"~DYR:NOTODEVA,B,T,")
    assert re.search(r"\^A@N,\d+,\d+,R:NOTODEVA.TTF\^FH\^FD₹\^FS".encode(), zpl)
    assert len(zpl) < 6000  # the font cut down to "₹" and a space, not 229 kB
    (page,) = zpl_pages(zpl, profile)  # on its own: no font sent beforehand
    assert ("EAN13", SHELF.gtin, "]E0") in decode(page)
    price = next(t for t in _texts(lay_out(LabelKind.SHELF, SHELF, profile)) if t.bold)
    assert _ink(page, price) > 200


@pytest.mark.parametrize(
    ("caption", "download"),
    [
        ("Hold shelf — aisle 4", b"~DYR:NOTODEVA"),  # an em dash
        ("Café corner", b"~DYR:NOTOSANS"),  # an accent Devanagari's font lacks
        ("पिकअप शेल्फ — A", b"~DYR:NOTODEVA"),
    ],
)
def test_text_beyond_font_0_renders_on_its_own(caption: str, download: bytes) -> None:
    data = BinLabel("H-01", caption)
    zpl = _zpl(LabelKind.BIN, data, BIN_PRINTER)
    assert zpl.startswith(download) and zpl.count(b"~DY") == 1
    (page,) = zpl_pages(zpl, BIN_PRINTER)
    assert decode(page) == [("Code128", "H-01", "]C0")]
    caption_item = _texts(lay_out(LabelKind.BIN, data, BIN_PRINTER))[1]
    assert caption_item.lines == (caption,)
    assert _ink(page, caption_item) > 100


def test_a_printer_with_the_fonts_stored_gets_none_in_its_labels() -> None:
    stored = dataclasses.replace(BUILT_IN["zebra-4x6-203"], fonts=FontSource.STORED)
    zpl = _zpl(LabelKind.SHIPPING, SHIPPING, stored)
    assert zpl.startswith(b"^XA") and b"~DY" not in zpl
    assert b"E:NOTODEVA.TTF" in zpl
    with pytest.raises(ValueError, match="unresolved named font"):
        zpl_pages(zpl, stored)  # not on its own: the printer must hold the font ...
    sent_once = b"".join(font_download(face, FontSource.STORED) for face in fonts.FILES)
    (page,) = zpl_pages(sent_once + zpl, stored)  # ... which `label send-font` stores
    assert ("Code128", SHIPPING.tracking_number, "]C0") in decode(page)


def test_a_field_the_printer_would_wrap_out_of_its_box_is_refused() -> None:
    # Fits the layout's Noto Sans, but font 0 draws "-" and "=" far wider.
    data = BinLabel("H-01", "Zone A " + "-=" * 24)
    label = lay_out(LabelKind.BIN, data, BIN_PRINTER)
    assert render(label, BIN_PRINTER, Format.PDF)  # the PDF draws what it measured
    with pytest.raises(BadInput, match="too wide for its box in the printer's own font"):
        render(label, BIN_PRINTER, Format.ZPL)


def test_a_character_no_bundled_font_has_is_refused() -> None:
    data = dataclasses.replace(SHELF, item_name="Green tea 茶")
    label = lay_out(LabelKind.SHELF, data, BUILT_IN["shelf-50x30-203"])
    with pytest.raises(BadInput, match="no printer font here can draw: '茶'"):
        render(label, BUILT_IN["shelf-50x30-203"], Format.ZPL)


def test_every_price_currency_prints() -> None:
    profile = BUILT_IN["shelf-50x30-203"]
    for currency in ("INR", "USD", "EUR", "GBP", "JPY"):
        data = ShelfLabel("Tea", Money(12300, currency), SHELF.gtin)
        (page,) = zpl_pages(_zpl(LabelKind.SHELF, data, profile), profile)
        assert ("EAN13", SHELF.gtin, "]E0") in decode(page)
