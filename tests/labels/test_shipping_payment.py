"""The shipping label carries what Indian carriers and sorters need: the destination
pincode large, PREPAID or COD with the amount, and the ship date; printed and scannable."""

from __future__ import annotations

import dataclasses
import io
from datetime import date
from functools import cache

import pypdfium2 as pdfium
import pytest
from PIL import Image

from app.domain.labels import COD_CAP, LabelKind, Payment, ShippingLabel
from app.domain.money import Money
from app.errors import BadInput
from app.labels.data import label_data
from app.labels.layout import Label, Text
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.render_png import render_png
from app.labels.render_zpl import render_zpl
from app.labels.samples import SHIPPING
from app.labels.templates import lay_out
from tests.labels.support import decode, expected, pdf_pages, zpl_pages
from tests.labels.test_validation import SHIPPING_JSON

PROFILE = BUILT_IN["zebra-4x6-203"]
COD = dataclasses.replace(SHIPPING, payment=Payment(Money(1_23_456_00)))
PREPAID = dataclasses.replace(SHIPPING, payment=Payment(), ship_date=date(2027, 1, 9))
LABELS = {"cod": COD, "prepaid": PREPAID}


@cache
def _label(name: str) -> Label:
    return lay_out(LabelKind.SHIPPING, LABELS[name], PROFILE)


def _pdf_text(name: str) -> str:
    doc = pdfium.PdfDocument(render_pdf(_label(name)))
    try:
        return str(doc[0].get_textpage().get_text_range())
    finally:
        doc.close()


def test_payment_prints_prepaid_or_cod_with_indian_grouping() -> None:
    assert Payment().text() == "PREPAID"
    assert Payment(Money(1_23_456_00)).text() == "COD ₹1,23,456.00"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("cod", ["560102", "COD ₹1,23,456.00", "Ship 06 Dec 2026"]),
        ("prepaid", ["560102", "PREPAID", "Ship 09 Jan 2027"]),
    ],
)
def test_pincode_payment_and_ship_date_are_in_the_pdf(name: str, words: list[str]) -> None:
    text = _pdf_text(name)
    for word in words:
        assert word in text


def test_pincode_is_the_largest_text_and_payment_is_boxed_large() -> None:
    items = [i for i in _label("cod").pages[0].items if isinstance(i, Text)]
    pincode = next(i for i in items if i.lines == ("560102",))
    payment = next(i for i in items if i.lines == ("COD ₹1,23,456.00",))
    assert pincode.bold and pincode.size == max(i.size for i in items)
    assert pincode.size >= PROFILE.dpi * 9 / 25.4  # digits readable from a metre away
    assert payment.bold and payment.size >= PROFILE.dpi * 5 / 25.4


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("cod", ["^FD560102^FS", "^FDCOD ^FS", "^FD1,23,456.00^FS", "Ship 06 Dec 2026"]),
        ("prepaid", ["^FD560102^FS", "^FDPREPAID^FS", "^FDShip 09 Jan 2027^FS"]),
    ],
)
def test_pincode_payment_and_ship_date_are_in_the_zpl(name: str, fields: list[str]) -> None:
    zpl = render_zpl(_label(name)).decode("utf-8", "replace")
    for field in fields:
        assert field in zpl
    assert ("₹" in zpl) == (name == "cod")


@pytest.mark.parametrize("name", ["cod", "prepaid"])
def test_cod_and_prepaid_labels_decode_in_pdf_and_zpl(name: str) -> None:
    label = _label(name)
    (page,) = label.pages
    assert decode(pdf_pages(render_pdf(label), PROFILE.dpi)[0]) == expected(page)
    assert decode(zpl_pages(render_zpl(label), PROFILE)[0]) == expected(page)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Money(0), "₹0.00 is nothing to collect"),
        (Money(-500), "is nothing to collect"),
        (Money(COD_CAP.minor + 1), "is above the ₹2,00,000.00 a courier collects in cash"),
        (Money(10000, "USD"), "in USD cannot be collected here"),
    ],
)
def test_bad_cod_amounts_are_refused_with_what_to_do(amount: Money, message: str) -> None:
    with pytest.raises(BadInput, match=message) as refused:
        Payment(amount)
    assert refused.value.next_step


def test_the_cap_itself_is_accepted() -> None:
    assert Payment(COD_CAP).text() == "COD ₹2,00,000.00"


def test_json_cod_and_refusals_name_the_field() -> None:
    cod = label_data(
        LabelKind.SHIPPING, {**SHIPPING_JSON, "payment": "cod", "cod_amount_minor": 49900}
    )
    assert isinstance(cod, ShippingLabel) and cod.payment.text() == "COD ₹499.00"
    with pytest.raises(BadInput, match="has no 'cod_amount_minor'"):
        label_data(LabelKind.SHIPPING, {**SHIPPING_JSON, "payment": "cod"})
    with pytest.raises(BadInput, match="neither prepaid nor cod"):
        label_data(LabelKind.SHIPPING, {**SHIPPING_JSON, "payment": "later"})
    with pytest.raises(BadInput, match="has no 'ship_date'"):
        label_data(LabelKind.SHIPPING, {k: v for k, v in SHIPPING_JSON.items() if k != "ship_date"})


def _payment_box(name: str) -> tuple[int, int, int, int]:
    page = _label(name).pages[0]
    item = next(
        i
        for i in page.items
        if isinstance(i, Text) and i.lines[0] in ("PREPAID", "COD ₹1,23,456.00")
    )
    return item.x, item.y, item.x + item.w, item.y + item.h


@pytest.mark.parametrize("name", ["cod", "prepaid"])
def test_cod_prints_white_on_black_and_prepaid_black_on_white(name: str) -> None:
    label = _label(name)
    images = {
        "pdf": pdf_pages(render_pdf(label), PROFILE.dpi)[0],
        "zpl": zpl_pages(render_zpl(label), PROFILE)[0],
        "png": Image.open(io.BytesIO(render_png(label)[0])),
    }
    for renderer, image in images.items():
        box = image.convert("L").crop(_payment_box(name))
        dark = box.point(lambda v: 255 if v < 128 else 0).histogram()[255] / (
            box.width * box.height
        )
        # Mostly ink under reversed COD text, mostly paper under PREPAID; some of each.
        assert (dark > 0.5) == (name == "cod"), renderer
        assert 0.05 < dark < 0.95, renderer
