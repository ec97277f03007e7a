"""ZPL specifics: Code 128 invocation codes, escaping, printer-native commands only."""

from __future__ import annotations

import dataclasses

from app.domain.gs1 import Element
from app.domain.labels import LabelKind
from app.labels.profiles import BUILT_IN
from app.labels.render_zpl import code128_field, render_zpl
from app.labels.samples import SAMPLES, SHIPPING
from app.labels.symbols import code128, gs1_128
from app.labels.templates import lay_out
from tests.labels.support import decode, zpl_pages


def test_code128_field_writes_our_codewords_as_invocation_codes() -> None:
    assert code128_field(code128("12345678").codewords) == ">;12345678"
    assert code128_field(code128("A>B").codewords) == ">:A>0B"
    assert code128_field(code128("ORD-10023").codewords) == ">:ORD-1>50023"
    sscc = gs1_128((Element("00", "106141412345678908"),))
    assert code128_field(sscc.codewords) == ">;>800106141412345678908"


def test_special_characters_survive_the_printer() -> None:
    profile = BUILT_IN["zebra-4x6-203"]
    data = dataclasses.replace(
        SHIPPING, tracking_number="A>B_C\\D", tracking_url="https://t.example/a_b^c~d\\e?x=1"
    )
    page = zpl_pages(render_zpl(lay_out(LabelKind.SHIPPING, data, profile)), profile)[0]
    texts = {text for _, text, _ in decode(page)}
    assert {"A>B_C\\D", "https://t.example/a_b^c~d\\e?x=1"} <= texts


def test_every_template_uses_printer_native_symbols_and_no_bitmaps() -> None:
    for kind, data in SAMPLES.items():
        profile = (
            BUILT_IN["zebra-4x6-203"]
            if kind is not LabelKind.PACKING_SLIP
            else (BUILT_IN["a4-laser"])
        )
        zpl = render_zpl(lay_out(kind, data, profile)).decode()
        assert zpl.startswith("^XA\n^CI28")
        assert "^GF" not in zpl and "~DG" not in zpl  # no graphic fields
        assert ("^BC" in zpl) or ("^BE" in zpl)
