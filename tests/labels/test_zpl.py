"""ZPL specifics: Code 128 invocation codes, escaping, printer-native commands only."""

from __future__ import annotations

import dataclasses

from app.domain.gs1 import Element
from app.domain.labels import LabelKind
from app.labels.printing import Format, render
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
    profile = BUILT_IN["zebra-4x6-203"]
    for kind, data in SAMPLES.items():
        if kind is LabelKind.PACKING_SLIP:
            continue  # a sheet: ZPL is refused for it (test_bad_input_cli)
        (zpl,) = render(lay_out(kind, data, profile), profile, Format.ZPL)
        body = zpl[zpl.index(b"^XA") :].decode()  # after any font the label carries
        assert body.startswith("^XA\n^CI28")
        assert "^GF" not in body and "~DG" not in body  # no graphic fields
        assert ("^BC" in body) or ("^BE" in body)
