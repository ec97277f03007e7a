"""A ship order's shipping label and packing slip, built from the bench's cached order
and a parcel, print and scan; an address a courier cannot deliver to is refused by name."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.gtin import make_sscc
from app.domain.labels import LabelKind, SlipLine
from app.errors import BadInput
from app.labels.parcel_documents import (
    Parcel,
    ShipOrder,
    delivery_address,
    packing_slip,
    payment_of,
    shipping_label,
)
from app.labels.profiles import BUILT_IN
from app.labels.render_pdf import render_pdf
from app.labels.render_zpl import render_zpl
from app.labels.samples import STORE
from app.labels.templates import lay_out
from tests.labels.support import decode, expected, pdf_pages, zpl_pages

LABEL_PRINTER = BUILT_IN["zebra-4x6-203"]
SHIP_TO = {
    "name": "Asha Rao",
    "line1": "22, 5th Main, Jayanagar 4th Block",
    "line2": "",
    "city": "Bengaluru",
    "state": "Karnataka",
    "pincode": "560011",
    "phone": "+91 98860 11223",
}
ORDER = ShipOrder(
    order_number="WEB-200117",
    ordered_on=date(2026, 12, 5),
    ship_to=SHIP_TO,
    payment="cod",
    cod_minor=1_499_00,
    carrier="Local courier",
    service="Same day",
)
SSCC = make_sscc(1, "8901234", 42)
PARCEL = Parcel(sscc=SSCC, tracking_number=SSCC, weight_grams=1320, number=2, count=2)


def test_the_label_carries_the_order_parcel_and_cod_and_scans_in_pdf_and_zpl() -> None:
    data = shipping_label(ORDER, PARCEL, ship_from=STORE, ship_date=date(2026, 12, 6))
    label = lay_out(LabelKind.SHIPPING, data, LABEL_PRINTER)
    (page,) = label.pages
    read = decode(pdf_pages(render_pdf(label), LABEL_PRINTER.dpi)[0])

    assert data.ship_to.lines == ("22, 5th Main, Jayanagar 4th Block",)  # blank line2 dropped
    assert data.payment.text() == "COD ₹1,499.00"
    assert (data.parcel_number, data.parcel_count) == (2, 2)
    assert ("Code128", f"00{SSCC}", "]C1") in read  # the SSCC as sorters read it
    assert read == expected(page)
    assert decode(zpl_pages(render_zpl(label), LABEL_PRINTER)[0]) == expected(page)


def test_a_prepaid_order_prints_prepaid() -> None:
    assert payment_of("prepaid", None).text() == "PREPAID"
    assert payment_of(None, None).text() == "PREPAID"  # a pickup-era row: nothing to collect


def test_the_packing_slip_lists_the_parcel_and_links_returns() -> None:
    line = SlipLine(2, "GRO-00904", "8901234018422", "Basmati rice 5 kg")
    slip = packing_slip(
        ORDER, [line], store_name="Counterbench Bengaluru", returns_url="https://r.example.in/"
    )
    assert slip.lines == (line,)
    assert slip.return_url == "https://r.example.in/WEB-200117"
    assert slip.ship_to.postcode == "560011"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pincode": ""}, "has no pincode"),
        ({"pincode": "56001"}, "'56001' is not 6 digits"),
        ({"line1": "  "}, "has no street line"),
        ({"state": None}, "has no state"),
        ({"name": ""}, "has no name"),
    ],
)
def test_an_address_a_courier_cannot_deliver_to_is_refused_by_name(
    change: dict[str, str | None], words: str
) -> None:
    with pytest.raises(BadInput, match=words) as refused:
        delivery_address({**SHIP_TO, **change})
    assert "HQ" in (refused.value.next_step or "")


def test_an_unknown_payment_is_refused() -> None:
    with pytest.raises(BadInput, match="neither prepaid nor cash on delivery"):
        payment_of("card", None)
