"""PDF renderer: vector, in printer dots (user space scaled by 72/dpi), on the dot grid.

Bars and QR modules go out as one filled path per symbol; bars may be narrowed by the
profile's bar-width reduction, symmetrically, so their centres stay on the grid.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from reportlab.pdfgen.canvas import Canvas

from app.labels import fonts
from app.labels.layout import Label, Linear, Matrix, Page, Rect, Text, hri_digits


class _PageDrawer:
    def __init__(self, canvas: Canvas, page: Page, ox: int, oy: int, reduction: float) -> None:
        self.c = canvas
        self.height = page.height
        self.ox = ox
        self.oy = oy
        self.reduction = reduction

    def y(self, top: float) -> float:
        """PDF y (upwards) of a point ``top`` dots below the top edge."""
        return self.height - (top + self.oy)

    def text(self, item: Text) -> None:
        # The text render mode (Tr) is graphics state that outlives BT ... ET, and reportlab's
        # text object assumes 0 and so never writes "0 Tr": bold text (fill and stroke) goes
        # inside q ... Q, so everything after it is drawn plain again.
        c = self.c
        if item.bold or item.reverse:
            c.saveState()
            c.setLineWidth(2 * max(1, round(item.size / 30)))
        if item.reverse:
            c.setFillGray(1)
            c.setStrokeGray(1)
        text = c.beginText()
        if item.bold:
            text.setTextRenderMode(2)
        for index, line in enumerate(item.lines):
            x = item.line_x(line) + self.ox
            y = self.y(item.y + index * item.line_height + item.baseline)
            for face, chunk in fonts.runs(line):
                text.setFont(face, item.size)
                text.setTextOrigin(x, y)
                text.textOut(fonts.shaped(chunk, item.size) if face == fonts.DEVANAGARI else chunk)
                x += fonts.advance(face, chunk, item.size)
        c.drawText(text)
        if item.bold or item.reverse:
            c.restoreState()

    def _fill(self, rects: list[str]) -> None:
        """One filled path of ``x y w h re`` rectangles, written as PDF operators."""
        self.c.addLiteral("\n".join(rects) + "\nf")

    def linear(self, item: Linear) -> None:
        m = item.module
        cut = self.reduction
        guards = item.symbol.guards
        rects = []
        for start, width in item.symbol.bars():
            extra = item.guard_extra if any(a <= start < b for a, b in guards) else 0
            height = item.height + extra
            x0 = item.x + self.ox + start * m
            y0 = self.y(item.y + height)
            if cut:
                rects.append(f"{x0 + cut / 2:.3f} {y0} {width * m - cut:.3f} {height} re")
            else:
                rects.append(f"{x0} {y0} {width * m} {height} re")
        self._fill(rects)
        if item.hri:
            size, baseline, cells = hri_digits(item)
            self.c.setFont(fonts.LATIN, size)
            for centre, digit in cells:
                self.c.drawCentredString(centre + self.ox, self.y(baseline), digit)

    def matrix(self, item: Matrix) -> None:
        m = item.module
        x, top = item.x + self.ox, item.y
        self._fill(
            [
                f"{x + column * m} {self.y(top + (row + 1) * m)} {length * m} {m} re"
                for row, column, length in item.symbol.spans
            ]
        )

    def rect(self, item: Rect) -> None:
        x, y = item.x + self.ox, self.y(item.y + item.h)
        if item.thickness:
            t = item.thickness
            self.c.setLineWidth(t)
            self.c.rect(x + t / 2, y + t / 2, item.w - t, item.h - t, stroke=1, fill=0)
        else:
            self.c.rect(x, y, item.w, item.h, stroke=0, fill=1)


def _draw_page(canvas: Canvas, page: Page, ox: int, oy: int, reduction: float) -> None:
    scale = 72 / page.dpi
    canvas.setPageSize((page.width * scale, page.height * scale))
    canvas.saveState()
    canvas.scale(scale, scale)
    drawer = _PageDrawer(canvas, page, ox, oy, reduction)
    for item in page.items:
        if isinstance(item, Text):
            drawer.text(item)
        elif isinstance(item, Linear):
            drawer.linear(item)
        elif isinstance(item, Matrix):
            drawer.matrix(item)
        else:
            drawer.rect(item)
    canvas.restoreState()
    canvas.showPage()


def render_pdf(
    labels: Label | Iterable[Label],
    *,
    offset: tuple[int, int] = (0, 0),
    bar_reduction: float = 0.0,
    compress: bool = False,
) -> bytes:
    """One PDF holding every page of ``labels``; fonts embedded once.

    ``compress`` (zlib) makes a single 4x6 label about 40% smaller and costs about
    1.5 ms of its ~5; worth it for a batch going to a file, not for one label to a printer.
    """
    fonts.register_pdf_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1 if compress else 0, invariant=1)
    canvas.setTitle("Counterbench label")
    for label in [labels] if isinstance(labels, Label) else labels:
        for page in label.pages:
            _draw_page(canvas, page, offset[0], offset[1], bar_reduction)
    canvas.save()
    return buffer.getvalue()
