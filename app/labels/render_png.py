"""PNG preview: each page drawn at the printer's dpi, one pixel per printer dot."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from app.labels import fonts
from app.labels.layout import Label, Linear, Matrix, Page, Rect, Text, hri_digits


def _text(draw: ImageDraw.ImageDraw, item: Text, ox: int, oy: int) -> None:
    stroke = max(1, round(item.size / 30)) if item.bold else 0
    ink = 255 if item.reverse else 0
    for index, line in enumerate(item.lines):
        x = item.line_x(line) + ox
        y = item.y + oy + index * item.line_height + item.baseline
        for face, chunk in fonts.runs(line):
            font = fonts.pil_font(face, item.size)
            draw.text(
                (x, y),
                chunk,
                font=font,
                fill=ink,
                anchor="ls",
                stroke_width=stroke,
                stroke_fill=ink,
            )
            x += fonts.advance(face, chunk, item.size)


def _linear(draw: ImageDraw.ImageDraw, item: Linear, ox: int, oy: int) -> None:
    m = item.module
    guards = item.symbol.guards
    for start, width in item.symbol.bars():
        extra = item.guard_extra if any(a <= start < b for a, b in guards) else 0
        x0 = item.x + ox + start * m
        draw.rectangle(
            (x0, item.y + oy, x0 + width * m - 1, item.y + oy + item.height + extra - 1), fill=0
        )
    if item.hri:
        size, baseline, cells = hri_digits(item)
        font = fonts.pil_font(fonts.LATIN, size)
        for centre, digit in cells:
            draw.text((centre + ox, baseline + oy), digit, font=font, fill=0, anchor="ms")


def _matrix(draw: ImageDraw.ImageDraw, item: Matrix, ox: int, oy: int) -> None:
    m = item.module
    for row, column, length in item.symbol.spans:
        x0 = item.x + ox + column * m
        y0 = item.y + oy + row * m
        draw.rectangle((x0, y0, x0 + length * m - 1, y0 + m - 1), fill=0)


def _rect(draw: ImageDraw.ImageDraw, item: Rect, ox: int, oy: int) -> None:
    box = (item.x + ox, item.y + oy, item.x + ox + item.w - 1, item.y + oy + item.h - 1)
    if item.thickness:
        draw.rectangle(box, outline=0, width=item.thickness)
    else:
        draw.rectangle(box, fill=0)


def page_image(page: Page, *, offset: tuple[int, int] = (0, 0)) -> Image.Image:
    """The page as a greyscale image, one pixel per printer dot."""
    image = Image.new("L", (page.width, page.height), 255)
    image.info["dpi"] = (page.dpi, page.dpi)
    draw = ImageDraw.Draw(image)
    ox, oy = offset
    for item in page.items:
        if isinstance(item, Text):
            _text(draw, item, ox, oy)
        elif isinstance(item, Linear):
            _linear(draw, item, ox, oy)
        elif isinstance(item, Matrix):
            _matrix(draw, item, ox, oy)
        else:
            _rect(draw, item, ox, oy)
    return image


def render_png(label: Label, *, offset: tuple[int, int] = (0, 0)) -> list[bytes]:
    """One PNG per page, tagged with the printer dpi."""
    out: list[bytes] = []
    for page in label.pages:
        buffer = io.BytesIO()
        page_image(page, offset=offset).save(buffer, "PNG", dpi=(page.dpi, page.dpi))
        out.append(buffer.getvalue())
    return out
