"""Every template at 203 and 300 dpi, with sample data, laid out and rendered once."""

from __future__ import annotations

import dataclasses
from functools import cache

from app.domain.labels import Address, LabelData, LabelKind
from app.domain.tax.invoice import Sale, SaleLine
from app.labels.layout import Label
from app.labels.profiles import BUILT_IN, DEFAULT_BY_KIND, PrinterProfile
from app.labels.render_pdf import render_pdf
from app.labels.render_zpl import render_zpl
from app.labels.samples import (
    PACKING_SLIP,
    SAMPLES,
    SHELF_UPC,
    SHIPPING_LOCAL,
    TAX_INVOICE_SLIP,
    sample_invoice,
    slip_lines,
)
from app.labels.templates import lay_out

LONG_SLIP = dataclasses.replace(PACKING_SLIP, lines=slip_lines(70))
MUMBAI = Address("Ravi Iyer", ("7 Marine Drive", "Churchgate"), "Mumbai", "400020", "Maharashtra")
LONG_SALE = Sale(
    tuple(
        SaleLine(f"Cotton kurta, style {n}, size M", "61091000", 1 + n % 3, 1_299_00 + 75_00 * n,
                 f"SKU-{2000 + n}")
        for n in range(40)
    ),
    discount_minor=1_234_56,
    shipping_minor=149_00,
)  # fmt: skip
LONG_INVOICE = dataclasses.replace(
    PACKING_SLIP, invoice=sample_invoice(LONG_SALE, MUMBAI, "BLR1-2627-000124")
)

DATA: dict[str, tuple[LabelKind, LabelData]] = {
    **{str(kind): (kind, data) for kind, data in SAMPLES.items()},
    "shelf-upca": (LabelKind.SHELF, SHELF_UPC),
    "shipping-local": (LabelKind.SHIPPING, SHIPPING_LOCAL),
    "packing-slip-long": (LabelKind.PACKING_SLIP, LONG_SLIP),
    "packing-slip-letter": (LabelKind.PACKING_SLIP, LONG_SLIP),
    "tax-invoice": (LabelKind.PACKING_SLIP, TAX_INVOICE_SLIP),
    "tax-invoice-long": (LabelKind.PACKING_SLIP, LONG_INVOICE),
    "tax-invoice-letter": (LabelKind.PACKING_SLIP, LONG_INVOICE),
}
PROFILE_OF = {"packing-slip-letter": "letter-laser", "tax-invoice-letter": "letter-laser"}
CASES = [(name, dpi) for name in DATA for dpi in (203, 300)]
IDS = [f"{name}@{dpi}" for name, dpi in CASES]


@cache
def profile(name: str, dpi: int) -> PrinterProfile:
    kind = DATA[name][0]
    base = BUILT_IN[PROFILE_OF.get(name, DEFAULT_BY_KIND[kind])]
    return dataclasses.replace(base, dpi=dpi)


@cache
def label(name: str, dpi: int) -> Label:
    kind, data = DATA[name]
    return lay_out(kind, data, profile(name, dpi))


@cache
def pdf(name: str, dpi: int) -> bytes:
    return render_pdf(label(name, dpi), bar_reduction=profile(name, dpi).bar_reduction)


@cache
def zpl(name: str, dpi: int) -> bytes:
    return render_zpl(label(name, dpi))
