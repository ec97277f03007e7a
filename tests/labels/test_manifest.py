"""The carrier's end-of-day manifest PDF: every parcel's SSCC barcode, and a booked
parcel's carrier tracking number, reads back with zxing on every page, rasterized at the
laser's dpi; the parcels left behind stand out."""

from __future__ import annotations

import dataclasses

from app.domain.gtin import make_sscc
from app.labels.layout import Linear, Text
from app.labels.manifest import ManifestHeader, lay_out_manifest, render_manifest
from app.labels.profiles import BUILT_IN
from app.labels.samples import MANIFEST_HEADER, MANIFEST_PARCELS
from tests.labels.support import decode, expected, pdf_pages

A4 = BUILT_IN["a4-laser"]
# 27 parcels: three pages of the sample's nine, each with its own SSCC
MANY = tuple(
    dataclasses.replace(p, sscc=make_sscc(2, "0614141", 5000 + n))
    for n, p in enumerate(MANIFEST_PARCELS * 3)
)


def test_every_parcels_barcode_decodes_on_every_page() -> None:
    label = lay_out_manifest(MANY, MANIFEST_HEADER, A4)
    images = pdf_pages(render_manifest(MANY, MANIFEST_HEADER, A4), A4.dpi)
    assert len(images) == len(label.pages) >= 3
    read = [decode(image) for image in images]
    assert read == [expected(page) for page in label.pages]
    ssccs = [text for page in read for _, text, ident in page if ident == "]C1"]
    assert sorted(ssccs) == sorted(f"00{p.sscc}" for p in MANY)
    tracking = [text for page in read for _, text, ident in page if ident == "]C0"]
    assert sorted(tracking) == sorted(p.tracking for p in MANY)  # the carrier's, beside


def test_our_riders_parcel_and_an_unscannably_long_number_get_their_text_only() -> None:
    own, booked = MANIFEST_PARCELS[0], MANIFEST_PARCELS[1]
    riders = dataclasses.replace(own, carrier="LOCAL", tracking=own.sscc)  # tracks by SSCC
    long = dataclasses.replace(booked, tracking="SWX" + "AB12CD34EF" * 2)  # too wide to scan
    (page,) = lay_out_manifest((riders, long), MANIFEST_HEADER, A4).pages
    bars = [i.symbol.content for i in page.items if isinstance(i, Linear)]
    assert bars == [f"00{riders.sscc}", f"00{long.sscc}"]  # the SSCCs alone
    texts = ["\n".join(i.lines) for i in page.items if isinstance(i, Text)]
    assert f"{long.tracking}\n{long.order_number}" in texts
    assert any(t.startswith(f"{riders.sscc}\n") for t in texts)


def test_parcels_not_scanned_are_bold_and_say_they_stay() -> None:
    (page,) = lay_out_manifest(MANIFEST_PARCELS, MANIFEST_HEADER, A4).pages
    left = [i for i in page.items if isinstance(i, Text) and i.lines[0] == "NOT SCANNED"]
    assert len(left) == sum(1 for p in MANIFEST_PARCELS if not p.handed_over) == 3
    assert all(i.bold and i.lines[1:] == ("stays here",) for i in left)


def test_the_carrier_is_named_with_its_code_in_brackets_or_by_its_code_alone() -> None:
    def words(header: ManifestHeader) -> list[str]:
        (page,) = lay_out_manifest(MANIFEST_PARCELS, header, A4).pages
        return ["\n".join(i.lines) for i in page.items if isinstance(i, Text)]

    named = words(MANIFEST_HEADER)
    assert "Manifest · Swift Express (SWIFT)" in named
    assert "Swift Express (SWIFT) manifest · page 1 of 1" in named
    coded = words(dataclasses.replace(MANIFEST_HEADER, carrier_name=""))
    assert "Manifest · SWIFT" in coded and "SWIFT manifest · page 1 of 1" in coded
