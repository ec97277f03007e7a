"""The shipping label names its carrier: a booked carrier's routing code large, white on
black, and its tracking number's Code 128 beside our SSCC's GS1-128; our own riders'
label says "Own fleet" and tracks by the SSCC. Both read back with zxing from the PNG
preview and from the ZPL as zplkit draws it (every template is also read from its PDF
in test_decode)."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from app.domain.labels import LabelKind, ShippingLabel
from app.errors import BadInput
from app.labels.layout import Label, Text
from app.labels.parcel_documents import carrier_on_label
from app.labels.profiles import BUILT_IN
from app.labels.render_png import render_png
from app.labels.render_zpl import render_zpl
from app.labels.samples import SHIPPING, SHIPPING_LOCAL, sample_invoice
from app.labels.templates import lay_out
from tests.labels.support import decode, zpl_pages

PROFILE = BUILT_IN["zebra-4x6-203"]


def _label(data: ShippingLabel, dpi: int = 203) -> Label:
    return lay_out(LabelKind.SHIPPING, data, dataclasses.replace(PROFILE, dpi=dpi))


def _texts(label: Label) -> dict[str, Text]:
    return {"\n".join(i.lines): i for i in label.pages[0].items if isinstance(i, Text)}


def _read(label: Label) -> dict[str, list[tuple[str, str, str]]]:
    """What zxing reads off the PNG preview and off zplkit's drawing of the ZPL."""
    profile = dataclasses.replace(PROFILE, dpi=label.dpi)
    return {
        "png": decode(Image.open(io.BytesIO(render_png(label)[0]))),
        "zpl": decode(zpl_pages(render_zpl(label), profile)[0]),
    }


@pytest.mark.parametrize("dpi", [203, 300])
def test_a_booked_label_reads_the_carriers_tracking_beside_our_sscc(dpi: int) -> None:
    for renderer, found in _read(_label(SHIPPING, dpi)).items():
        assert ("Code128", "SW0000012345", "]C0") in found, renderer
        assert ("Code128", "00106141412345678908", "]C1") in found, renderer


def test_the_routing_code_is_large_white_on_black_with_the_sort_code_beside_it() -> None:
    label = _label(SHIPPING)
    texts = _texts(label)
    routing, sort = texts["BLR/560"], texts["S10"]
    assert routing.reverse and routing.bold and sort.reverse
    assert routing.size >= PROFILE.dpi * 6 / 25.4  # 6 mm: read at arm's length
    assert routing.size > max(t.size for t in texts.values() if t not in (routing,)
                              and t.lines[0] not in ("560102", "COD ₹8,395.00"))  # fmt: skip
    assert texts["SWIFT"].bold and "Express" in texts and "SWIFT TRACKING" in texts
    zpl = render_zpl(label).decode("utf-8", "replace")  # after the font it carries
    assert "^FDBLR/560^FS" in zpl and "^FDS10^FS" in zpl


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_own_fleet_label_says_so_and_tracks_by_the_sscc(dpi: int) -> None:
    label = _label(SHIPPING_LOCAL, dpi)
    texts = _texts(label)
    assert "Own fleet" in texts and "OWN FLEET TRACKING = SSCC" in texts
    assert not any(t.reverse for t in texts.values())  # prepaid, and no routing code
    sscc = SHIPPING_LOCAL.sscc
    for renderer, found in _read(label).items():
        assert ("Code128", sscc, "]C0") in found, renderer
        assert ("Code128", f"00{sscc}", "]C1") in found, renderer


def test_our_riders_codes_print_as_own_fleet_and_a_carrier_as_its_code() -> None:
    assert [carrier_on_label(c) for c in ("own_fleet", "LOCAL", "local", "SWIFT")] == [
        "Own fleet", "Own fleet", "Own fleet", "SWIFT",
    ]  # fmt: skip


@pytest.mark.parametrize("dpi", [203, 300])
def test_the_longest_routing_code_fits_and_a_longer_one_is_refused(dpi: int) -> None:
    longest = dataclasses.replace(SHIPPING, routing_code="DEL/110-WW", sort_code="S999",
                                  carrier="Swift Express Logistics")  # fmt: skip
    assert "DEL/110-WW" in _texts(_label(longest, dpi))
    with pytest.raises(BadInput, match="routing code 'DEL/110-WWX S999' is too long"):
        dataclasses.replace(longest, routing_code="DEL/110-WWX")


def test_the_sample_label_collects_what_the_sample_invoice_totals() -> None:
    assert SHIPPING.payment.cod is not None
    assert SHIPPING.payment.cod.minor == sample_invoice().amounts.total_minor
