"""GTIN-8/12/13/14 and SSCC-18 check digits against published vectors and properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.gs1 import Element, element_string
from app.domain.gtin import (
    complete_gtin,
    gs1_check_digit,
    gtin14,
    gtin_forms,
    has_valid_check_digit,
    is_gtin,
    make_sscc,
    names_item,
    validate_gtin,
    validate_sscc,
)
from app.errors import BadInput

# Published examples: GS1 General Specifications and the usual textbook codes.
PUBLISHED = [
    "4006381333931",  # EAN-13 (Stabilo pen, the Wikipedia example)
    "036000291452",  # UPC-A (Wikipedia example)
    "96385074",  # EAN-8 (Wikipedia example)
    "10614141000415",  # GTIN-14 (GS1 example)
    "00614141000012",  # GTIN-14 of a GTIN-12
    "8901030865237",  # EAN-13 with India's 890 prefix
]
SSCC_PUBLISHED = ["106141412345678908"]  # GS1 General Specifications example


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_gtins_are_valid(code: str) -> None:
    assert is_gtin(code)
    assert validate_gtin(f" {code} ") == code
    assert complete_gtin(code[:-1]) == code


@pytest.mark.parametrize("code", SSCC_PUBLISHED)
def test_published_ssccs_are_valid(code: str) -> None:
    assert validate_sscc(code) == code
    assert gs1_check_digit(code[:-1]) == int(code[-1])


def test_make_sscc_builds_the_published_example() -> None:
    assert make_sscc(1, "0614141", 234567890) == "106141412345678908"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("4006381333932", "wrong check digit"),
        ("03600029145", "not a GTIN"),
        ("40063813339A1", "not a GTIN"),
        ("", "not a GTIN"),
    ],
)
def test_bad_gtins_are_refused_with_a_clear_reason(code: str, reason: str) -> None:
    with pytest.raises(BadInput, match=reason):
        validate_gtin(code)


def test_bad_ssccs_are_refused() -> None:
    with pytest.raises(BadInput, match="wrong check digit"):
        validate_sscc("106141412345678909")
    with pytest.raises(BadInput, match="18 digits"):
        validate_sscc("(00)106141412345678908")


def test_gtin14_pads_shorter_gtins() -> None:
    assert gtin14("036000291452") == "00036000291452"
    assert gtin14("96385074") == "00000096385074"


bodies = st.sampled_from([7, 11, 12, 13]).flatmap(
    lambda n: st.text(alphabet="0123456789", min_size=n, max_size=n)
)


@given(bodies)
def test_completed_gtins_validate(body: str) -> None:
    code = complete_gtin(body)
    assert is_gtin(code)
    assert code.startswith(body)


@given(bodies, st.data())
def test_any_single_digit_error_is_caught(body: str, data: st.DataObject) -> None:
    code = complete_gtin(body)
    position = data.draw(st.integers(0, len(code) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    assert not has_valid_check_digit(code[:position] + wrong + code[position + 1 :])


@given(bodies, st.data())
def test_adjacent_transpositions_are_caught_unless_digits_differ_by_five(
    body: str, data: st.DataObject
) -> None:
    code = complete_gtin(body)
    i = data.draw(st.integers(0, len(code) - 2))
    a, b = code[i], code[i + 1]
    swapped = code[:i] + b + a + code[i + 2 :]
    if a != b and abs(int(a) - int(b)) != 5:
        assert not has_valid_check_digit(swapped)


@given(st.integers(0, 9), st.integers(0, 10**9 - 1))
def test_made_ssccs_validate(extension: int, serial: int) -> None:
    sscc = make_sscc(extension, "0614141", serial)
    assert validate_sscc(sscc) == sscc
    assert len(sscc) == 18


def test_gs1_element_refuses_parentheses_and_bad_check_digits() -> None:
    with pytest.raises(BadInput, match="parentheses"):
        Element("00", "(00)106141412345678908")
    with pytest.raises(BadInput, match="wrong check digit"):
        Element("00", "106141412345678907")
    with pytest.raises(BadInput, match="18 digits"):
        Element("00", "10614141234567890")
    with pytest.raises(BadInput, match="not supported"):
        Element("99", "1")


def test_element_string_separates_variable_fields_only() -> None:
    gtin = Element("01", "10614141000415")
    lot = Element("10", "AB12")
    serial = Element("21", "7")
    assert element_string((gtin, lot, serial)) == "0110614141000415" + "10AB12\x1d" + "217"
    assert Element("00", "106141412345678908").human_readable() == "(00) 106141412345678908"


def test_a_gtin_is_matched_in_each_of_its_written_forms() -> None:
    ean13 = "8901234567893"

    assert gtin_forms(f" {ean13} ") == {ean13, f"0{ean13}"}
    assert gtin_forms("036000291452") == {"036000291452", "0036000291452", "00036000291452"}
    assert gtin_forms("12345") == set()  # no GTIN length: no GTIN
    assert gtin_forms("SKU-1") == set()
    assert names_item(f"0{ean13}", "SKU-1", ean13)  # a GTIN-14 scan of an EAN-13 item
    assert names_item(ean13, "SKU-1", f"0{ean13}")  # an EAN-13 scan of a GTIN-14 item
    assert names_item("00036000291452", "SKU-2", "036000291452")  # UPC-A as GTIN-14
    assert names_item(" sku-1 ", "SKU-1", ean13)  # the SKU in any case
    assert not names_item("93", "SKU-1", "00000093")  # digits of no GTIN length
    assert not names_item("", "", "")
    assert not names_item("2XL-TEE", "L-TEE", "")  # an SKU is the whole SKU
