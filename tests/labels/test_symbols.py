"""Symbol encoders: Code 128 codeword choice, GS1-128 FNC1, EAN-13/UPC-A patterns, QR."""

from __future__ import annotations

import barcode
import pytest
import segno
import zxingcpp
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from app.domain.gs1 import Element
from app.labels.symbols import FNC1, LinearSymbol, code128, ean13, gs1_128, qr, upca


def _image(symbol: LinearSymbol, module: int = 3, height: int = 60) -> Image.Image:
    width = (symbol.quiet_left + symbol.width + symbol.quiet_right) * module
    image = Image.new("L", (width, height + 20), 255)
    draw = ImageDraw.Draw(image)
    for start, run in symbol.bars():
        x = (symbol.quiet_left + start) * module
        draw.rectangle((x, 10, x + run * module - 1, 10 + height), fill=0)
    return image


def _read(
    image: Image.Image, symbology: zxingcpp.BarcodeFormat = zxingcpp.BarcodeFormat.Code128
) -> tuple[str, str]:
    formats = zxingcpp.BarcodeFormats(symbology)
    (found,) = zxingcpp.read_barcodes(image, formats=formats, text_mode=zxingcpp.TextMode.Plain)
    return found.text, found.symbology_identifier


def _pattern(symbol: LinearSymbol) -> str:
    return "".join(("1" if i % 2 == 0 else "0") * run for i, run in enumerate(symbol.runs))


def test_digits_use_code_set_c_and_letters_set_b() -> None:
    assert code128("12345678").codewords[:5] == (105, 12, 34, 56, 78)
    # "ORD-" in B, then the digit run "10023" costs less as B '1' … or C pairs after.
    assert code128("ORD-10023").codewords[0] == 104
    assert len(code128("ABC").codewords) == 1 + 3 + 2


def test_check_codeword_is_the_weighted_sum_mod_103() -> None:
    # Start B (104) + P J J 1 2 3 C weighted 1..7: 879 % 103 = 55.
    assert code128("PJJ123C").codewords == (104, 48, 42, 42, 17, 18, 19, 35, 55, 106)


def test_gs1_128_starts_with_fnc1_and_carries_no_parentheses() -> None:
    symbol = gs1_128((Element("00", "106141412345678908"),))
    assert symbol.codewords[:2] == (105, FNC1)
    assert symbol.content == "00106141412345678908"
    assert _read(_image(symbol, module=4)) == ("00106141412345678908", "]C1")


def test_gs1_128_ends_variable_fields_with_fnc1() -> None:
    symbol = gs1_128((Element("10", "AB1"), Element("21", "77")))
    assert symbol.codewords.count(FNC1) == 2
    assert _read(_image(symbol)) == ("10AB1\x1d2177", "]C1")


printable = st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(printable)
def test_any_printable_text_reads_back_exactly(text: str) -> None:
    assert _read(_image(code128(text))) == (text, "]C0")


@settings(max_examples=60, deadline=None)
@given(printable)
def test_never_longer_than_python_barcode(text: str) -> None:
    theirs = barcode.get("code128", text).build()[0]
    # python-barcode drops some data (it writes "99" as start C, check, stop): compare
    # only with its symbols that carry the text.
    assume(_read_pattern(theirs) == text)
    assert len(_pattern(code128(text))) <= len(theirs)


def _read_pattern(pattern: str, module: int = 3) -> str | None:
    image = Image.new("L", ((len(pattern) + 20) * module, 80), 255)
    draw = ImageDraw.Draw(image)
    for index, bit in enumerate(pattern):
        if bit == "1":
            x = (10 + index) * module
            draw.rectangle((x, 10, x + module - 1, 70), fill=0)
    found = zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)
    return found[0].text if len(found) == 1 else None


@pytest.mark.parametrize("code", ["4006381333931", "8901234567890", "5901234123457"])
def test_ean13_matches_python_barcode_pattern(code: str) -> None:
    symbol = ean13(code)
    assert _pattern(symbol) == barcode.get("ean13", code).build()[0]
    assert symbol.width == 95
    assert (symbol.quiet_left, symbol.quiet_right) == (11, 7)
    assert _read(_image(symbol), zxingcpp.BarcodeFormat.EAN13) == (code, "]E0")


def test_upca_is_ean13_with_leading_zero_and_9_module_quiet_zones() -> None:
    symbol = upca("036000291452")
    assert _pattern(symbol) == _pattern(ean13("0036000291452"))
    assert (symbol.quiet_left, symbol.quiet_right) == (9, 9)
    (found,) = zxingcpp.read_barcodes(_image(symbol))
    assert found.text.lstrip("0") == "36000291452"  # zxing-cpp reports UPC-A in EAN-13 form
    assert found.text.endswith("036000291452")


def test_qr_spans_cover_exactly_the_dark_modules() -> None:
    symbol = qr("https://track.example.in/1Z999AA10123456784")
    dark = {(r, c) for r, row in enumerate(symbol.rows) for c, v in enumerate(row) if v}
    spanned = {(r, c + i) for r, c, n in symbol.spans for i in range(n)}
    assert spanned == dark
    assert symbol.border == 4
    assert symbol.size == 17 + 4 * symbol.version


@pytest.mark.parametrize("content", ["HELLO 123", "COUNTERBENCH", "A-12 BIN"])
def test_qr_matrix_is_bit_identical_to_segno_for_the_same_mask(content: str) -> None:
    # An encoder independent of the decoder (segno), mask tried one by one; content that
    # both encode as a single alphanumeric segment.
    ours = qr(content)
    candidates = [
        tuple(
            tuple(bool(v) for v in row)
            for row in segno.make_qr(
                content, error="m", boost_error=False, mask=mask, version=ours.version
            ).matrix
        )
        for mask in range(8)
    ]
    assert ours.rows in candidates


def test_code128_refuses_non_ascii() -> None:
    with pytest.raises(ValueError):
        code128("प्रिया")
