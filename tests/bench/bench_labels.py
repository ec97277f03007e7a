"""Label rendering speed, each figure beside reportlab's own barcode widgets.

Every measured label has its own customer, order number, tracking number and SSCC, so
no symbol or customer block comes from a cache (the store's own address and the captions
do, as they would at a station); times include laying the label out from its data.
"""

from __future__ import annotations

import dataclasses
import io
import time
from collections.abc import Callable

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from app.domain.gtin import make_sscc
from app.domain.labels import LabelKind, ShippingLabel
from app.labels import fonts
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.render_zpl import render_zpl
from app.labels.samples import SHIPPING
from app.labels.templates import lay_out
from tests.bench import Figure, median

PROFILE = BUILT_IN["zebra-4x6-203"]
_serial = iter(range(10**9))


def _next_label() -> ShippingLabel:
    n = next(_serial)
    tracking = f"1Z999AA1{n:010d}"
    street = (f"Flat {n % 997}, Sai Residency", *SHIPPING.ship_to.lines[1:])
    customer = dataclasses.replace(SHIPPING.ship_to, name=f"Customer {n}", lines=street)
    return dataclasses.replace(
        SHIPPING,
        ship_to=customer,
        order_number=f"WEB-{200000 + n}",
        tracking_number=tracking,
        tracking_url=f"https://track.example.in/{tracking}",
        sscc=make_sscc(1, "0614141", n),
    )


def _widget_label(canvas: Canvas, data: ShippingLabel) -> None:
    """The same label drawn with reportlab's widgets and text calls (the baseline)."""
    width, height = 288.0, 432.0
    canvas.setPageSize((width, height))
    canvas.setFont(fonts.LATIN, 8)
    for i, line in enumerate((*data.ship_from.block(), data.carrier, data.service)):
        canvas.drawString(9, height - 14 - 10 * i, line)
    canvas.setFont(fonts.LATIN, 12)
    for i, line in enumerate(data.ship_to.block()):
        canvas.drawString(9, height - 110 - 14 * i, line)
    qr = QrCodeWidget(data.qr_content)
    box = Drawing(60, 60)
    box.add(qr)
    renderPDF.draw(box, canvas, 220, height - 150)
    Code128(data.tracking_number, barWidth=0.0148 * 72, barHeight=50).drawOn(canvas, 20, 150)
    sscc = "\xf1" + "00" + data.sscc
    Code128(sscc, barWidth=0.0197 * 72, barHeight=90).drawOn(canvas, 20, 30)
    canvas.showPage()


def _widget_pdf(count: int) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    for _ in range(count):
        _widget_label(canvas, _next_label())
    canvas.save()
    return buffer.getvalue()


def _timed(render: Callable[[ShippingLabel], bytes], repeat: int) -> float:
    """Median ms to lay out and render one label; the data is made beforehand."""
    labels = [_next_label() for _ in range(repeat)]
    samples = []
    for data in labels:
        started = time.perf_counter()
        render(data)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def _ours_pdf(data: ShippingLabel) -> bytes:
    return render_pdf(lay_out(LabelKind.SHIPPING, data, PROFILE))


def _ours_zpl(data: ShippingLabel) -> bytes:
    return render_zpl(lay_out(LabelKind.SHIPPING, data, PROFILE))


def _widget_ms(repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        _widget_pdf(1)
        samples.append((time.perf_counter() - started) * 1000)
    return median(samples)


def run() -> list[Figure]:
    fonts.register_pdf_fonts()
    _ours_pdf(_next_label()), _ours_zpl(_next_label()), _widget_pdf(1)  # warm up
    widget_ms = _widget_ms(40)
    pdf_ms = _timed(_ours_pdf, 200)
    zpl_ms = _timed(_ours_zpl, 1000)

    batch = [_next_label() for _ in range(1000)]
    started = time.perf_counter()
    pages = [lay_out(LabelKind.SHIPPING, data, PROFILE) for data in batch]
    render_pdf(pages, compress=True)
    thousand_s = time.perf_counter() - started
    started = time.perf_counter()
    _widget_pdf(100)
    widget_thousand_s = (time.perf_counter() - started) * 10

    widgets = "reportlab widgets (Code128 + QrCodeWidget), same label"
    return [
        Figure(
            "4x6 shipping label as PDF (median)",
            pdf_ms,
            "ms",
            "<= 10 ms",
            pdf_ms <= 10,
            widgets,
            widget_ms,
            "ms",
        ),
        Figure(
            "1,000 4x6 labels into one PDF",
            thousand_s,
            "s",
            "<= 10 s",
            thousand_s <= 10,
            widgets + ", 100 labels x 10",
            widget_thousand_s,
            "s",
        ),
        Figure(
            "4x6 shipping label as ZPL (median)",
            zpl_ms,
            "ms",
            "<= 1 ms",
            zpl_ms <= 1,
            widgets + " (PDF)",
            widget_ms,
            "ms",
        ),
    ]
