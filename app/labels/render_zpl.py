"""ZPL renderer: printer-native symbols (``^BC``, ``^BE``, ``^BU``, ``^BQ``), UTF-8 text.

Code 128 goes out in mode N with the codewords chosen in ``app.labels.symbols`` written
as ZPL invocation codes (``>:`` start B, ``>;`` start C, ``>5`` code C, ``>6`` code B,
``>8`` FNC1, ``>0`` a ">"), so the printer draws exactly the bars the PDF and the
preview show. Never a bitmap. ASCII text uses font 0, in ``^FB`` boxes checked against
font 0's widths (a line the printer would wrap is refused, never overprinted); other
text (₹, "—", Devanagari) a bundled TrueType font (:mod:`.zpl_fonts`), carried in the job
or stored on the printer.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.errors import BadInput
from app.labels import fonts
from app.labels.layout import Label, Linear, Matrix, Page, Rect, Text
from app.labels.symbols import _CODE_B, _CODE_C, _START_C, FNC1, Symbology
from app.labels.zpl_fonts import (
    FONT0,
    FontSource,
    font0_width,
    font_download,
    font_name,
    printer_runs,
)


def _field_data(text: str) -> str:
    """Escape for ``^FH``: ``_`` is the hex indicator, ``^`` ``~`` commands, ``\\`` ``^FB``'s."""
    return text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E").replace("\\", "_5C")


def code128_field(codewords: tuple[int, ...]) -> str:
    """``^FD`` data for ``^BC`` mode N: start code and data codewords (no check, no stop)."""
    out: list[str] = []
    in_c = codewords[0] == _START_C
    out.append(">;" if in_c else ">:")
    for value in codewords[1:-2]:
        if value == FNC1:
            out.append(">8")
        elif in_c and value == _CODE_B:
            out.append(">6")
            in_c = False
        elif not in_c and value == _CODE_C:
            out.append(">5")
            in_c = True
        elif in_c:
            out.append(f"{value:02d}")
        else:
            char = chr(value + 32)  # ">0" is value 30, the ">" itself (">" alone invokes)
            out.append(">0" if char == ">" else char)
    return "".join(out)


class _Fields:
    """Text fields of one job and the TrueType faces they use."""

    def __init__(self, source: FontSource) -> None:
        self.source = source
        self.chars: dict[str, set[str]] = {}  # TrueType face: the characters drawn in it

    def text(self, item: Text, out: list[str]) -> None:
        runs = [_runs_of(line) for line in item.lines]
        # ^FB reads a backslash as its own escape: such text goes out run by run.
        if all(face == FONT0 for line in runs for face, _ in line) and not any(
            "\\" in line for line in item.lines
        ):
            self._block(item, out)
        else:
            self._runs(item, runs, out)

    def _block(self, item: Text, out: list[str]) -> None:
        """ASCII text in a ^FB box, each line checked against font 0's own widths: a line
        the printer would wrap would push the last line over the one before it."""
        width = _font0_width(item)
        for line in item.lines:
            _refuse_overflow(item, line, font0_width(line, width))
        justify = {"left": "L", "center": "C", "right": "R"}[item.align]
        spacing = item.line_height - item.size
        body = "\\&".join(_field_data(line) for line in item.lines)
        out.append(
            f"^FO{item.x},{item.y}^A0N,{item.size},{width}"
            f"^FB{item.w},{len(item.lines)},{spacing},{justify},0{_reverse(item)}^FH^FD{body}^FS"
        )

    def _runs(self, item: Text, runs: list[list[tuple[str, str]]], out: list[str]) -> None:
        """One field per run, placed by the layout's metrics, each run in a face that has it."""
        for index, line in enumerate(runs):
            x = item.line_x(item.lines[index])
            y = item.y + index * item.line_height
            right = x
            for face, chunk in line:
                if face == FONT0:
                    font = f"^A0N,{item.size},{_font0_width(item)}"
                    drawn = font0_width(chunk, _font0_width(item))
                else:
                    self.chars.setdefault(face, set()).update(chunk)
                    font = f"^A@N,{item.size},{item.size},{font_name(face, self.source)}"
                    drawn = fonts.advance(face, chunk, item.size)
                field = f"^FO{round(x)},{y}{font}{_reverse(item)}^FH^FD{_field_data(chunk)}^FS"
                out.append(field)
                right = max(right, x + drawn)
                x += fonts.text_width(chunk, item.size)  # the layout's own advance
            _refuse_overflow(item, item.lines[index], right - item.x)


def _reverse(item: Text) -> str:
    """``^FR``: the field inverts what is under it, so text on a filled box prints white."""
    return "^FR" if item.reverse else ""


def _font0_width(item: Text) -> int:
    return round(item.size * (1.05 if item.bold else 0.9))


def _runs_of(line: str) -> list[tuple[str, str]]:
    try:
        return printer_runs(line)
    except KeyError as missing:
        raise BadInput(
            f"'{line}' has a character no printer font here can draw: {missing.args[0]!r}.",
            next_step="Replace it, or print this label as PDF.",
        ) from None


def _refuse_overflow(item: Text, line: str, needed: float) -> None:
    if needed > item.w + 1:  # a dot of rounding
        shown = line if len(line) <= 40 else line[:37] + "…"
        raise BadInput(
            f"'{shown}' is too wide for its box in the printer's own font "
            f"({round(needed)} of {item.w} dots): it would print over other text.",
            next_step="Shorten it, or choose a larger label.",
        )


def _linear(item: Linear, out: list[str]) -> None:
    symbol = item.symbol
    head = f"^FO{item.x},{item.y}^BY{item.module}"
    height = item.height  # EAN/UPC: the printer adds its digits and guard extension below
    if symbol.symbology in (Symbology.CODE128, Symbology.GS1_128):
        data = code128_field(symbol.codewords)
        out.append(f"{head}^BCN,{item.height},N,N,N,N^FD{data}^FS")
    elif symbol.symbology is Symbology.EAN13:
        hri = "Y" if item.hri else "N"
        out.append(f"{head}^BEN,{height},{hri},N^FD{symbol.content[:12]}^FS")
    else:
        hri = "Y" if item.hri else "N"
        out.append(f"{head}^BUN,{height},{hri},N,Y^FD{symbol.content[:11]}^FS")


def _matrix(item: Matrix, out: list[str]) -> None:
    symbol = item.symbol
    data = _field_data(symbol.content)
    out.append(f"^FO{item.x},{item.y}^BQN,2,{item.module}^FH^FD{symbol.error}A,{data}^FS")


def _rect(item: Rect, out: list[str]) -> None:
    thickness = item.thickness or min(item.w, item.h)
    out.append(f"^FO{item.x},{item.y}^GB{item.w},{item.h},{thickness}^FS")


def page_zpl(page: Page, fields: _Fields, *, offset: tuple[int, int] = (0, 0)) -> str:
    """One ``^XA … ^XZ`` format for one page."""
    out = [
        "^XA",
        "^CI28",
        "^PA0,1,1,1",
        f"^PW{page.width}",
        f"^LL{page.height}",
        f"^LH{offset[0]},{offset[1]}",
    ]
    for item in page.items:
        if isinstance(item, Text):
            fields.text(item, out)
        elif isinstance(item, Linear):
            _linear(item, out)
        elif isinstance(item, Matrix):
            _matrix(item, out)
        else:
            _rect(item, out)
    out.append("^XZ")
    return "\n".join(out) + "\n"


def render_zpl(
    labels: Label | Iterable[Label],
    *,
    offset: tuple[int, int] = (0, 0),
    font_source: FontSource = FontSource.EMBED,
) -> bytes:
    """ZPL for every page of ``labels``, UTF-8; with ``EMBED``, the TrueType fonts its text
    needs go first (``~DY``), once for the job, so it prints on its own."""
    items = [labels] if isinstance(labels, Label) else labels
    fields = _Fields(font_source)
    body = "".join(page_zpl(p, fields, offset=offset) for label in items for p in label.pages)
    downloads = b""
    if font_source is FontSource.EMBED:
        downloads = b"".join(
            font_download(face, font_source, frozenset(chars))
            for face, chars in sorted(fields.chars.items())
        )
    return downloads + body.encode()
