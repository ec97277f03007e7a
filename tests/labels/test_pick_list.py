"""The batch pick list PDF: every tote and stop is on it in walk order, the header repeats on
every page, short items come last, and each tote barcode reads back (pdfium + zxing-cpp)."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium

from app.domain.pick_walk import BatchOrder, BinStock, PickLine, PickWalk, plan_walk
from app.labels.pick_list import PickListHeader, lay_out_pick_list, render_pick_list
from tests.labels.support import decode, pdf_pages

HEADER = PickListHeader("BLR-01 Indiranagar", date(2026, 12, 6))
NAMES = ("Masala chai 250 g", "Ceramic mug 350 ml", "Cotton kurta, indigo, M", "Steel tiffin box")


def _walk(orders: int) -> PickWalk:
    """A batch long enough to run over several pages, with one SKU held nowhere."""
    batch = [
        BatchOrder(
            f"WEB-{200100 + n}",
            (
                PickLine(f"SKU-{n % 17}", NAMES[n % 4], 1 + n % 3),
                PickLine(f"SKU-{(n * 5 + 3) % 17}", NAMES[(n + 1) % 4], 1),
            ),
        )
        for n in range(orders)
    ]
    stock = [
        BinStock(f"{'ABC'[i % 3]}-{i % 11 + 1:02d}-{i % 4 + 1}", f"SKU-{i}", 4 + i)
        for i in range(16)  # SKU-16 is in no bin
    ]
    return plan_walk("PB-0412", batch, stock)


def _page_texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in doc]
    finally:
        doc.close()


def test_every_tote_and_stop_is_printed_in_walk_order() -> None:
    walk = _walk(30)
    text = "\n".join(_page_texts(render_pick_list(walk, HEADER)))
    for tote in walk.totes:
        assert f"{tote.label}" in text and tote.order_number in text
    position = text.index("Walk")
    for stop in walk.stops:
        row = f"{stop.bin_code}"
        found = text.index(row, position)
        assert stop.sku in text[found : found + 200]
        shares = ", ".join(f"{s.tote}×{s.quantity}" for s in stop.totes)
        printed = text[found : found + 400].replace("\r\n", "").replace(" ", "")
        assert shares.replace(" ", "") in printed
        position = found


def test_short_items_are_listed_after_the_walk() -> None:
    walk = _walk(30)
    assert walk.short, "the batch needs something no bin holds"
    text = "\n".join(_page_texts(render_pick_list(walk, HEADER)))
    short_at = text.index("Short: no bin holds these")
    assert short_at > text.index(walk.stops[-1].bin_code)
    for line in walk.short:
        assert line.sku in text[short_at:]


def test_long_walks_break_pages_and_repeat_the_header() -> None:
    walk = _walk(60)
    pages = _page_texts(render_pick_list(walk, HEADER))
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Pick list PB-0412" in text
        assert "60 orders" in text and f"{walk.units} units" in text
        assert f"page {number} of {len(pages)}" in text


def test_every_tote_barcode_decodes_to_its_tote_code() -> None:
    walk = _walk(30)
    label = lay_out_pick_list(walk, HEADER)
    read = {
        text
        for image in pdf_pages(render_pick_list(walk, HEADER), label.dpi)
        for kind, text, _ in decode(image)
        if kind == "Code128"
    }
    assert read == {tote.code for tote in walk.totes}
