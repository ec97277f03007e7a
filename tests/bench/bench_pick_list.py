"""Batch pick list: 200 orders of 1-4 lines over ~2,000 bins, planned and printed as a PDF.

1,000 SKUs, each bin holding one of them (0-12 units), so most SKUs sit in two bins and
a few orders' lines run short, as in a real store.

Each run has its own catalog numbers, so no item name, SKU or tote code comes from a text
measuring or wrapping cache. The baseline, measured in the same run, writes the same rows
(tote lines, then every stop's bin, name, SKU, quantity and totes, then the short lines)
with plain reportlab ``drawString`` calls at fixed positions: no wrapping, no fitting, no
barcodes, no page headers. It is the raw cost of putting that much text into a PDF, not
a usable pick list.
"""

from __future__ import annotations

import io
import random
import time
from datetime import date

from reportlab.pdfgen.canvas import Canvas

from app.domain.pick_walk import BatchOrder, BinStock, PickLine, PickWalk, plan_walk
from app.labels import fonts
from app.labels.pick_list import PickListHeader, render_pick_list
from tests.bench import Figure, median

HEADER = PickListHeader("BLR-01 Indiranagar", date(2026, 12, 6))
ORDERS = 200
RUNS = 7
ITEMS = ("Masala chai 250 g", "Ceramic mug 350 ml", "Cotton kurta, indigo", "Steel tiffin box")


def _bins() -> list[str]:
    """2,016 bins: aisles A-L, 28 bays, 6 levels."""
    aisles, bays, levels = "ABCDEFGHIJKL", range(1, 29), range(1, 7)
    return [f"{a}-{b:02d}-{lvl}" for a in aisles for b in bays for lvl in levels]


def _batch(run: int) -> tuple[list[BatchOrder], list[BinStock]]:
    rnd = random.Random(run)
    skus = [(f"SKU-{run}-{i:04d}", f"{ITEMS[i % 4]} no. {run}-{i}") for i in range(1000)]
    stock = [
        BinStock(code, sku, rnd.randint(0, 12))
        for code in _bins()
        for sku, _ in rnd.sample(skus, 1)
    ]
    pick = rnd.sample
    orders = [
        BatchOrder(
            f"WEB-{run}-{200000 + n}",
            tuple(PickLine(s, nm, rnd.randint(1, 3)) for s, nm in pick(skus, rnd.randint(1, 4))),
        )
        for n in range(ORDERS)
    ]
    return orders, stock


def _plain_pdf(walk: PickWalk) -> bytes:
    """The baseline: the same rows as plain canvas text, 60 to an A4 page."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1, invariant=1)
    rows = [f"{t.label}  {t.order_number}  {t.code}" for t in walk.totes]
    rows += [
        f"{s.bin_code}  {s.name}  {s.sku}  {s.quantity}  "
        + ", ".join(f"{t.tote}x{t.quantity}" for t in s.totes)
        for s in walk.stops
    ]
    rows += [f"{s.sku}  {s.name}  {s.quantity}" for s in walk.short]
    for start in range(0, len(rows), 60):
        canvas.setFont(fonts.LATIN, 9)
        for index, row in enumerate(rows[start : start + 60]):
            canvas.drawString(34, 800 - 13 * index, row)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def run() -> list[Figure]:
    fonts.register_pdf_fonts()
    ours: list[float] = []
    plain: list[float] = []
    for run_number in range(RUNS + 1):
        orders, stock = _batch(run_number)
        started = time.perf_counter()
        walk = plan_walk(f"PB-{run_number}", orders, stock)
        render_pick_list(walk, HEADER)
        middle = time.perf_counter()
        _plain_pdf(walk)
        ended = time.perf_counter()
        if run_number:  # the first run warms fonts and imports
            ours.append((middle - started) * 1000)
            plain.append((ended - middle) * 1000)
    value = median(ours)
    return [
        Figure(
            f"batch pick list, {ORDERS} orders: plan + PDF (median of {RUNS})",
            value,
            "ms",
            "<= 200 ms",
            value <= 200,
            "same rows as plain reportlab drawString text (no layout, barcodes, headers)",
            median(plain),
            "ms",
        )
    ]
