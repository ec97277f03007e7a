"""Fonts on a ZPL printer: which text its built-in font 0 can draw, how wide it draws it,
and the TrueType fonts that draw the rest (₹, "—", accents, Devanagari).

Font 0 is drawn for printable ASCII only: beyond it, what a printer has depends on its
firmware (the zplkit renderer lacks "£" and "—", and every printer lacks Devanagari). Any
other character goes out in a bundled Noto font that has it, named on the printer as
``R:`` (carried in the label itself, ``~DY`` before the first ``^XA``: the label prints on
any printer; cut down to the label's own characters, a few kB) or ``E:`` (stored once
with ``counterbench label send-font``).
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache, lru_cache
from io import BytesIO

from fontTools import subset
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFontFile

from app.labels import fonts

# Advance of each printable ASCII character in font 0 at ^A0N,100,100, in dots, measured
# from zplkit 0.3.2's font 0 (the printer's CG Triumvirate Bold Condensed).
_FONT0_ADVANCE = {
    25.0: "ijl",
    28.2: " !'(),./:;I[\\]`ft",
    34.4: "r",
    37.5: "z",
    43.7: "?Jcksvxy",
    46.9: '"#$*0123456789Laeo',
    50.0: "EFTZ^_bdghnpqu{|}",
    53.2: "CSV",
    56.2: "ABKOPQXY",
    59.4: "DGR",
    62.5: "&HNU",
    65.7: "w",
    75.0: "Mm",
    81.2: "W",
    90.7: "%+-=@",
    100.0: "<>~",
}
FONT0_ADVANCE = {char: width for width, chars in _FONT0_ADVANCE.items() for char in chars}
FONT0 = "font 0"

# Printer names of the bundled faces, without the drive letter.
FILE_NAMES = {fonts.LATIN: "NOTOSANS.TTF", fonts.DEVANAGARI: "NOTODEVA.TTF"}


class FontSource(StrEnum):
    """Where a ZPL profile's printer finds the TrueType fonts a label needs."""

    EMBED = "embed"  # each label carries them (~DY to R:): prints on any printer
    STORED = "stored"  # stored once on the printer (E:) with ``label send-font``

    @property
    def drive(self) -> str:
        return "R:" if self is FontSource.EMBED else "E:"


def font0_width(text: str, width: int) -> float:
    """Dots ``text`` takes in font 0 with character width ``width`` (ASCII only)."""
    return sum(FONT0_ADVANCE[char] for char in text) * width / 100


@cache
def _coverage(face: str) -> frozenset[int]:
    return frozenset(TTFontFile(str(fonts.font_path(face))).charToGlyph)


def face_for(char: str) -> str:
    """The face the printer draws ``char`` in: font 0 for ASCII, else a bundled TTF that has
    it (Devanagari first, so a Hindi name with "₹" or "—" needs one download)."""
    if " " <= char <= "~":
        return FONT0
    for face in (fonts.DEVANAGARI, fonts.LATIN):
        if ord(char) in _coverage(face):
            return face
    raise KeyError(char)


def printer_runs(line: str) -> list[tuple[str, str]]:
    """(face, chunk) runs of ``line`` as the printer draws them; a space joins the run it
    follows. Raises KeyError for a character no bundled font has."""
    out: list[tuple[str, str]] = []
    for char in line:
        face = out[-1][0] if char == " " and out else face_for(char)
        if out and out[-1][0] == face:
            out[-1] = (face, out[-1][1] + char)
        else:
            out.append((face, char))
    return out


def font_name(face: str, source: FontSource) -> str:
    """The face's name on the printer, e.g. ``R:NOTODEVA.TTF``."""
    return source.drive + FILE_NAMES[face]


def font_download(face: str, source: FontSource, chars: frozenset[str] | None = None) -> bytes:
    """``~DY`` that stores the bundled ``face`` on the printer under ``font_name``: cut down
    to ``chars`` (a label's own text: a few kB), or whole (None) to store it once."""
    data = font_file(face, chars)
    name = FILE_NAMES[face].split(".")[0]
    return f"~DY{source.drive}{name},B,T,{len(data)},,".encode() + data


@lru_cache(maxsize=64)
def font_file(face: str, chars: frozenset[str] | None = None) -> bytes:
    """The bundled ``face`` as TrueType without hinting, with only the glyphs ``chars`` need
    (and the layout tables that shape them); None keeps every character.

    Hinting goes: it is optional, printers draw labels at sizes where it does not matter,
    and zplkit's bytecode interpreter fails on some of Noto's glyph programs.
    """
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = TTFont(BytesIO(fonts.font_path(face).read_bytes()))
    wanted = font.getBestCmap().keys() if chars is None else {ord(c) for c in chars | {" "}}
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=wanted)
    cutter.subset(font)
    out = BytesIO()
    font.save(out)
    return out.getvalue()
