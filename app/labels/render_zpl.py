"""ZPL renderer: printer-native symbols (``^BC``, ``^BE``, ``^BU``, ``^BQ``), UTF-8 text.

Code 128 goes out in mode N with the codewords chosen in ``app.labels.symbols`` written
as ZPL invocation codes (``>:`` start B, ``>;`` start C, ``>5`` code C, ``>6`` code B,
``>8`` FNC1, ``>0`` a ">"), so the printer draws exactly the bars the PDF and the
preview show. Never a bitmap. Text uses font 0; Devanagari (and ₹) need a TrueType font
stored on the printer (``DEVANAGARI_FONT``), which ``font_download`` sends once.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.labels import fonts
from app.labels.layout import Label, Linear, Matrix, Page, Rect, Text
from app.labels.symbols import _CODE_B, _CODE_C, _START_C, FNC1, Symbology

DEVANAGARI_FONT = "E:NOTODEVA.TTF"


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


def printer_runs(line: str) -> list[tuple[str, str]]:
    """Runs as the printer draws them: font 0 lacks Devanagari and ₹, the stored font has both."""
    if line.isascii():
        return [(fonts.LATIN, line)]
    out: list[tuple[str, str]] = []
    for face, chunk in fonts.runs(line):
        for char in chunk:
            want = fonts.DEVANAGARI if face == fonts.DEVANAGARI or char == "₹" else fonts.LATIN
            if char == " " and out:
                want = out[-1][0]
            if out and out[-1][0] == want:
                out[-1] = (want, out[-1][1] + char)
            else:
                out.append((want, char))
    return out


def _font0(item: Text) -> str:
    return f"^A0N,{item.size},{round(item.size * (1.05 if item.bold else 0.9))}"


def _text(item: Text, out: list[str]) -> None:
    # ^FB reads a backslash as its own escape, and font 0 lacks Devanagari: such text goes
    # out field by field instead, placed by the layout's metrics.
    mixed = any(face == fonts.DEVANAGARI for line in item.lines for face, _ in printer_runs(line))
    if mixed or any("\\" in line for line in item.lines):
        _text_runs(item, out)
        return
    justify = {"left": "L", "center": "C", "right": "R"}[item.align]
    spacing = item.line_height - item.size
    body = "\\&".join(_field_data(line) for line in item.lines)
    out.append(
        f"^FO{item.x},{item.y}{_font0(item)}^FB{item.w},{len(item.lines)},{spacing},{justify},0"
        f"^FH^FD{body}^FS"
    )


def _text_runs(item: Text, out: list[str]) -> None:
    """Mixed-script lines: one field per run, placed by the layout's own metrics."""
    devanagari = f"^A@N,{item.size},{item.size},{DEVANAGARI_FONT}"
    for index, line in enumerate(item.lines):
        x = item.line_x(line)
        y = item.y + index * item.line_height
        for face, chunk in printer_runs(line):
            font = devanagari if face == fonts.DEVANAGARI else _font0(item)
            out.append(f"^FO{round(x)},{y}{font}^FH^FD{_field_data(chunk)}^FS")
            x += fonts.advance(face, chunk, item.size)


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


def page_zpl(page: Page, *, offset: tuple[int, int] = (0, 0)) -> str:
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
            _text(item, out)
        elif isinstance(item, Linear):
            _linear(item, out)
        elif isinstance(item, Matrix):
            _matrix(item, out)
        else:
            _rect(item, out)
    out.append("^XZ")
    return "\n".join(out) + "\n"


def render_zpl(labels: Label | Iterable[Label], *, offset: tuple[int, int] = (0, 0)) -> bytes:
    """ZPL for every page of ``labels``, UTF-8."""
    items = [labels] if isinstance(labels, Label) else labels
    return "".join(page_zpl(p, offset=offset) for label in items for p in label.pages).encode()


def font_download() -> bytes:
    """``~DY`` that stores the bundled Devanagari font on the printer as ``DEVANAGARI_FONT``."""
    data = (fonts.FONT_DIR / fonts.FILES[fonts.DEVANAGARI]).read_bytes()
    device, name = DEVANAGARI_FONT.split(":")
    return f"~DY{device}:{name.split('.')[0]},B,T,{len(data)},,".encode() + data
