"""The bundled OFL fonts (Noto Sans, Noto Sans Devanagari) and text measurement.

Neither font covers the other's script, so text is split into runs by script and each
run is drawn with its own face. Widths come from the font metrics, in the same unit as
the size (printer dots), so a layout fits the same way whatever renders it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr

from app.resources import font_dir

LATIN = "NotoSans"
DEVANAGARI = "NotoSansDevanagari"
FILES = {LATIN: "NotoSans-Regular.ttf", DEVANAGARI: "NotoSansDevanagari-Regular.ttf"}

# Line box of the layout, in ems: Devanagari vowel signs reach well above the headline.
LINE_HEIGHT = 1.4
BASELINE = 1.02
LAST_LINE = 1.3

_registered = False


def _is_devanagari(char: str) -> bool:
    code = ord(char)
    return 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF or code in (0x200C, 0x200D)


@lru_cache(maxsize=8192)
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """Split ``text`` into (face, chunk) runs; spaces stay with the run they follow."""
    if text.isascii():
        return ((LATIN, text),)
    out: list[tuple[str, str]] = []
    for char in text:
        face = DEVANAGARI if _is_devanagari(char) else LATIN
        if out and (out[-1][0] == face or char == " "):
            out[-1] = (out[-1][0], out[-1][1] + char)
        else:
            out.append((face, char))
    return tuple(out)


def font_path(face: str) -> Path:
    """The file of one bundled face."""
    return font_dir() / FILES[face]


def register_pdf_fonts() -> None:
    """Register both faces with reportlab once."""
    global _registered
    if _registered:
        return
    for name in FILES:
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    _registered = True


@lru_cache(maxsize=8192)
def shaped(chunk: str, size: float) -> ShapedStr:
    """A Devanagari run shaped by HarfBuzz (conjuncts, vowel signs) for reportlab."""
    register_pdf_fonts()
    return shapeStr(chunk, DEVANAGARI, size, force=True)


def advance(face: str, chunk: str, size: float) -> float:
    """Advance width of one run at ``size``, shaped where the script needs it."""
    if face == DEVANAGARI:
        return sum(g.x_advance for g in shaped(chunk, 1000).__shapeData__) * size / 1000
    register_pdf_fonts()
    return float(pdfmetrics.stringWidth(chunk, face, size))


@lru_cache(maxsize=8192)
def text_width(text: str, size: int) -> float:
    """Advance width of ``text`` at ``size`` (em in dots), in dots."""
    return sum(advance(face, chunk, size) for face, chunk in runs(text))


@lru_cache(maxsize=256)
def pil_font(face: str, size: int) -> ImageFont.FreeTypeFont:
    """The face at ``size`` pixels per em, shaped by raqm where Pillow has it."""
    return ImageFont.truetype(str(font_path(face)), size)
