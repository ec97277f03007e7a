"""GS1 element strings read back by AI, as scanners send them: with GS for FNC1, with or
without AIM symbology identifiers, and told apart from SKUs, bins and order numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.gs1 import (
    GS,
    Element,
    element_string,
    item_code,
    parse_element_string,
    read_gs1,
    split_symbology,
)
from app.errors import BadInput

GTIN = "09501101530003"  # GS1 General Specifications example
SSCC = "106141412345678908"
# GTIN, expiry, batch (variable: GS after it), serial: a GS1 DataMatrix on a medicine pack.
PACK = "01" + GTIN + "17270331" + "10AB-12" + GS + "21XYZ9"


def test_a_gs1_datamatrix_is_read_by_ai() -> None:
    read = read_gs1(PACK)
    assert read is not None
    assert [(e.ai, e.data) for e in read.elements] == [
        ("01", GTIN),
        ("17", "270331"),
        ("10", "AB-12"),
        ("21", "XYZ9"),
    ]
    assert (read.gtin, read.expiry, read.batch, read.serial) == (GTIN, "270331", "AB-12", "XYZ9")
    assert read.human_readable() == f"(01) {GTIN} (17) 270331 (10) AB-12 (21) XYZ9"


@pytest.mark.parametrize("symbology", ["]C1", "]d2", "]Q3", "]e0", ""])
def test_gs1_symbology_identifiers_are_read_and_stripped(symbology: str) -> None:
    read = read_gs1(symbology + PACK)
    assert read is not None and read.gtin == GTIN and read.serial == "XYZ9"
    assert item_code(symbology + PACK) == GTIN


def test_a_leading_fnc1_and_a_gs_after_a_fixed_field_are_tolerated() -> None:
    read = read_gs1(GS + "01" + GTIN + GS + "10LOT7")
    assert read is not None and (read.gtin, read.batch) == (GTIN, "LOT7")


def test_an_sscc_on_a_gs1_128_label_names_the_parcel() -> None:
    assert item_code("00" + SSCC) == SSCC
    assert item_code("]C100" + SSCC) == SSCC
    read = read_gs1("00" + SSCC + "400" + "PO-77")
    assert read is not None and read.value("400") == "PO-77"


@pytest.mark.parametrize(
    "code",
    [
        "STA-01842",  # SKU
        "H-04",  # bin
        "CBPU1:WEB-240001:240001",  # pickup QR
        "BADGE-L200",  # badge
        "8901234567893",  # plain EAN-13
        "09501101530003",  # plain GTIN-14
        "240001",  # reads as AI 240, but nothing says it is GS1
        SSCC,  # a bare SSCC: AI 10 by its digits, but not GS1
    ],
)
def test_other_codes_stay_what_they_are(code: str) -> None:
    assert read_gs1(code) is None
    assert item_code(code) == code


def test_non_gs1_symbology_identifiers_are_taken_off() -> None:
    assert split_symbology("]C0STA-01842") == ("]C0", "STA-01842")
    assert item_code("]Q1CBPU1:WEB-240001:240001") == "CBPU1:WEB-240001:240001"
    assert read_gs1("]C0" + PACK) is None, "a plain Code 128 is not read as GS1"
    assert item_code("]E08901234567893") == "8901234567893"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ("01" + GTIN[:-1] + "4", "check digit"),
        ("01" + GTIN + "17271332", "YYMMDD"),
        ("01" + GTIN + "9X1", "not known"),
        ("01" + GTIN[:10], "14 digits"),
        ("", "empty"),
        ("10" + "A" * 21, "at most 20"),
    ],
)
def test_bad_gs1_data_is_refused_with_the_reason(data: str, why: str) -> None:
    with pytest.raises(BadInput, match=why):
        parse_element_string(data)
    assert read_gs1("]d2" + data) is None
    assert item_code("]d2" + data) == data, "an unreadable GS1 scan is looked up as sent"


def test_measure_and_date_ais() -> None:
    read = read_gs1("01" + GTIN + "3103001250" + "15270300")
    assert read is not None
    assert read.value("3103") == "001250"
    assert read.value("15") == "270300", "day 00: the end of the month"


# AIs outside our table, as real packs carry them: a Russian crypto key (91), an expiry
# with time (7003), a country of processing (422), a production date and time (8008), a
# price with its ISO currency (3922). Each ends with GS unless it is last.
UNLISTED = {"91": "ABC/+=9", "7003": "2703311200", "422": "380", "8008": "2703311200"}
UNLISTED["3922"] = "9781299"


@pytest.mark.parametrize("ai", list(UNLISTED))
@pytest.mark.parametrize("symbology", ["]d2", ""])
def test_an_ai_outside_the_table_is_read_and_the_gtin_with_it(symbology: str, ai: str) -> None:
    last = "01" + GTIN + ai + UNLISTED[ai]
    between = "01" + GTIN + ai + UNLISTED[ai] + GS + "10AB-12"
    assert item_code(symbology + last) == GTIN
    assert item_code(symbology + between) == GTIN
    read = read_gs1(symbology + between)
    assert read is not None and read.value(ai) == UNLISTED[ai] and read.batch == "AB-12"


def test_the_repro_of_the_review_reads_the_gtin() -> None:
    assert item_code("0109501101530003" + "91ABC") == "09501101530003"


def test_an_unlisted_ai_of_predefined_length_needs_no_gs() -> None:
    read = read_gs1("01" + GTIN + "3300001234" + "14270331" + "10LOT7")
    assert read is not None
    assert (read.value("3300"), read.value("14"), read.batch) == ("001234", "270331", "LOT7")


_ALNUM = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./", min_size=1, max_size=20)


@given(batch=_ALNUM, serial=_ALNUM)
def test_element_strings_read_back_as_written(batch: str, serial: str) -> None:
    elements = (
        Element("01", GTIN),
        Element("10", batch),
        Element("17", "261231"),
        Element("21", serial),
    )
    assert parse_element_string(element_string(elements)) == elements


_CSET82_TEXT = st.text(alphabet="ABCXYZabcxyz0123456789!%&'*+,-./:;<=>?_", min_size=1, max_size=90)


@given(
    ai=st.sampled_from(["91", "92", "99", "7003", "422", "8008", "3922", "710"]), data=_CSET82_TEXT
)
def test_any_unlisted_variable_ai_reads_back_beside_the_gtin(ai: str, data: str) -> None:
    for scan in ("01" + GTIN + ai + data, ai + data + GS + "01" + GTIN):
        read = read_gs1("]d2" + scan)
        assert read is not None and read.gtin == GTIN and read.value(ai) == data
        assert item_code("]d2" + scan) == GTIN
