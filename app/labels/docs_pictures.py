"""The pictures of a parcel's and a return's documents in docs/, which the README links:
made from the samples (:mod:`app.labels.samples`) by the same templates and PNG renderer
the stations print and preview with, so a picture shows what people will hold.

The shipping labels are drawn at the label printer's 203 dpi, one pixel per dot; the A4
tax invoice, manifest, credit note and exchange slip at the laser's 300 dpi, halved to
150 dpi (their first page), small enough for a README.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from app.domain.labels import LabelKind
from app.labels.layout import Label
from app.labels.manifest import lay_out_manifest
from app.labels.profiles import BUILT_IN
from app.labels.render_png import render_png
from app.labels.samples import (
    MANIFEST_HEADER,
    MANIFEST_PARCELS,
    RETURN,
    SHIPPING,
    SHIPPING_LOCAL,
    TAX_INVOICE_SLIP,
    sample_exchange_slip,
    sample_receipt,
    sample_store_credit,
)
from app.labels.templates import lay_out
from app.labels.templates.credit_note import lay_out_credit_note
from app.labels.templates.exchange_slip import lay_out_exchange_slip
from app.labels.templates.store_credit import lay_out_store_credit

LABEL_PRINTER = BUILT_IN["zebra-4x6-203"]
A4 = BUILT_IN["a4-laser"]
RMA_PRINTER = BUILT_IN["zebra-4x2-203"]
SHEET_SHRINK = 2  # 300 dpi pages shown at 150 dpi


def docs_documents() -> dict[str, Label]:
    """Each docs picture's file name and the laid-out document it shows."""
    return {
        "shipping-label-sample.png": lay_out(LabelKind.SHIPPING, SHIPPING, LABEL_PRINTER),
        "shipping-label-local-sample.png": lay_out(
            LabelKind.SHIPPING, SHIPPING_LOCAL, LABEL_PRINTER
        ),
        "tax-invoice-sample.png": lay_out(LabelKind.PACKING_SLIP, TAX_INVOICE_SLIP, A4),
        "manifest-sample.png": lay_out_manifest(MANIFEST_PARCELS, MANIFEST_HEADER, A4),
        "credit-note-sample.png": lay_out_credit_note(sample_receipt(), A4),
        "store-credit-receipt-sample.png": lay_out_store_credit(sample_store_credit(), A4),
        "rma-label-sample.png": lay_out(LabelKind.RETURN, RETURN, RMA_PRINTER),
        "exchange-slip-sample.png": lay_out_exchange_slip(sample_exchange_slip(), A4),
    }


def picture(label: Label) -> bytes:
    """The first page of ``label`` as the docs show it (a sheet halved, a label as is)."""
    png = render_png(label)[0]
    if label.dpi < A4.dpi:
        return png
    image = Image.open(io.BytesIO(png))
    size = (image.width // SHEET_SHRINK, image.height // SHEET_SHRINK)
    dpi = label.dpi // SHEET_SHRINK
    out = io.BytesIO()
    image.convert("L").resize(size, Image.Resampling.LANCZOS).save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()


def write_docs_pictures(folder: Path) -> list[Path]:
    """Write every picture into ``folder``; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, label in docs_documents().items():
        path = folder / name
        path.write_bytes(picture(label))
        written.append(path)
    return written
