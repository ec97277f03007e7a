"""The exchange slip: a scanner reads back the customer's QR (``CBPU1:<order>:<code>``)
and the order's Code 128, its text carries the pickup code, each replacement and the
balance either way, and the most replacements an exchange takes still fit one page."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest

from app.domain.pickup_codes import parse_qr_payload
from app.domain.returns.exchange import MAX_LINES, ExchangeSlip, Replacement
from app.domain.returns.refund_rules import RefundMethod
from app.labels.layout import Label, Text, dots
from app.labels.profiles import BUILT_IN
from app.labels.samples import REPLACEMENTS, sample_exchange_slip
from app.labels.templates.exchange_slip import lay_out_exchange_slip, render_exchange_slip
from tests.labels.support import decode, expected, pdf_pages, pdf_texts

ORDER = "EX-BLR-01-5F0C2A4E8B7D"
SAREE = Replacement(
    "SKU-1009",
    "Handwoven Kanchipuram silk saree with zari border, peacock blue with magenta pallu, "
    "dry clean only, blouse piece included",  # 118 characters: a catalogue name may be 120
    12_999_00,
    from_here=False,
)
SLIPS = {
    # ₹1,893.92 back for a ₹2,199.00 speaker here and a ₹449.00 bottle sent: ₹754.08 to pay
    "to-pay": lambda: sample_exchange_slip(),
    # ₹5,000.00 back for the same: ₹2,352.00 back as store credit
    "to-refund": lambda: sample_exchange_slip(
        refund_minor=5_000_00, method=RefundMethod.STORE_CREDIT
    ),
    "most": lambda: sample_exchange_slip(
        tuple((SAREE, *REPLACEMENTS) * MAX_LINES)[:MAX_LINES], refund_minor=10_000_00
    ),
}


@cache
def _slip(name: str) -> ExchangeSlip:
    return SLIPS[name]()


@cache
def _label(name: str, profile: str, dpi: int) -> Label:
    return lay_out_exchange_slip(_slip(name), BUILT_IN[profile].at_dpi(dpi))


@cache
def _pdf(name: str, profile: str = "a4-laser", dpi: int = 300) -> bytes:
    return render_exchange_slip(_slip(name), BUILT_IN[profile].at_dpi(dpi))


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("name", ["to-pay", "most"])
def test_the_pickup_qr_and_the_order_barcode_decode(name: str, dpi: int) -> None:
    (page,) = pdf_pages(_pdf(name, dpi=dpi), dpi)
    read = decode(page)
    assert read == expected(_label(name, "a4-laser", dpi).pages[0])
    assert read == [("Code128", ORDER, "]C0"), ("QRCode", f"CBPU1:{ORDER}:482913", "]Q1")]
    # the Pickup screen's scan reads the order and its code off the QR
    assert parse_qr_payload(read[1][1]) == (ORDER, "482913")


def test_the_slip_says_the_pickup_code_each_replacement_and_what_is_left_to_pay() -> None:
    (text,) = pdf_texts(_pdf("to-pay"))
    for said in (
        "Exchange slip", "Counterbench Bengaluru · 18 Dec 2026 · with credit note "
        "C0001/2627/00001", "Pickup code", "482913", f"Order {ORDER}",
        "Bluetooth speaker, 20 W (SKU-1004), on this store's shelf", "₹2,199.00",
        "Steel water bottle 1 litre (SKU-1001), sent to this store", "₹449.00",
        "Refund of the return", "₹1,893.92", "Replacement", "₹2,648.00",
        # 2,648.00 − 1,893.92 = 754.08
        "The refund of ₹1,893.92 pays for part of it: the customer pays ₹754.08 at the till.",
    ):  # fmt: skip
        assert said in text, said


def test_a_refund_larger_than_the_replacement_says_what_goes_back_and_how() -> None:
    (text,) = pdf_texts(_pdf("to-refund"))
    # 5,000.00 − 2,648.00 = 2,352.00, as store credit
    assert "₹5,000.00" in text and "₹2,648.00" in text
    assert " ".join(text.split()).count(
        "₹2,648.00 of the refund pays for it; ₹2,352.00 is refunded as store credit."
    ) == 1  # fmt: skip
    assert "482913" in text


def test_a_slip_whose_refund_waits_names_no_credit_note() -> None:
    slip = ExchangeSlip(**(vars(_slip("to-pay")) | {"credit_note": ""}))
    (text,) = pdf_texts(render_exchange_slip(slip))
    assert "Counterbench Bengaluru · 18 Dec 2026\n" in text + "\n"
    assert "credit note C0001" not in text


@pytest.mark.parametrize("profile", ["a4-laser", "letter-laser"])
@pytest.mark.parametrize("dpi", [203, 300, 600])
def test_the_most_replacements_fit_one_page_on_a4_and_letter(profile: str, dpi: int) -> None:
    label = _label("most", profile, dpi)  # OffMedia if anything ran off the page
    (page,) = label.pages
    bottom = max(item.y + item.h for item in page.items if isinstance(item, Text))
    assert bottom <= page.height - dots(10, dpi)  # clear of the laser's unprintable edge


def test_a_long_catalogue_name_gives_way_to_the_sku_and_where_it_comes_from() -> None:
    pages = pdf_texts(_pdf("most", "letter-laser", 300))
    assert len(pages) == 1
    (text,) = pages
    assert text.count("Handwoven Kanchipuram silk saree") == 7
    assert text.count("… (SKU-1009), sent to this store") == 7
    assert "dry clean only" not in text
    assert text.count("(SKU-1004), on this store's shelf") == 7
    assert text.count("(SKU-1001), sent to this store") == 6


def test_a_reprint_that_does_not_know_where_a_replacement_comes_from_says_pick_up_here() -> None:
    unknown = tuple(replace(r, from_here=None) for r in REPLACEMENTS)
    (text,) = pdf_texts(render_exchange_slip(sample_exchange_slip(unknown)))
    assert "Bluetooth speaker, 20 W (SKU-1004), to pick up here" in text
    assert "Steel water bottle 1 litre (SKU-1001), to pick up here" in text
