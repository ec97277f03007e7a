"""Reading what the associate scanned or typed to find the order a return is against."""

from __future__ import annotations

import pytest

from app.domain.gtin import gs1_check_digit
from app.domain.returns.lookup import Look, LookFor, read_query
from app.errors import BadInput

SSCC_BODY = "38901234000000001"
SSCC = SSCC_BODY + str(gs1_check_digit(SSCC_BODY))
GTIN_BODY = "890123400001"
GTIN = GTIN_BODY + str(gs1_check_digit(GTIN_BODY))


def test_an_email_is_looked_for_as_the_shop_keeps_it() -> None:
    assert read_query("  Asha.K@Example.com ") == (Look(LookFor.EMAIL, "asha.k@example.com"),)


@pytest.mark.parametrize("scan", [SSCC, "00" + SSCC, "]C100" + SSCC, "(00)" + SSCC])
def test_a_parcel_label_is_its_sscc(scan: str) -> None:
    assert read_query(scan)[0] == Look(LookFor.PARCEL, SSCC)


@pytest.mark.parametrize("scan", [GTIN, "]C101" + GTIN.zfill(14)])
def test_an_item_barcode_looks_for_orders_that_hold_it(scan: str) -> None:
    looks = read_query(scan)
    assert looks[0].way is LookFor.ITEM and looks[0].value.lstrip("0") == GTIN.lstrip("0")
    assert looks[1].way is LookFor.ORDER  # a numeric receipt that reads as a GTIN


@pytest.mark.parametrize("typed", ["98450 12345", "+91 98450-12345", "09845012345"])
def test_a_phone_number_in_any_usual_form(typed: str) -> None:
    assert read_query(typed)[0] == Look(LookFor.PHONE, "9845012345")


def test_anything_else_is_an_order_number_then_a_tracking_number() -> None:
    assert read_query("w-1001") == (Look(LookFor.ORDER, "w-1001"), Look(LookFor.PARCEL, "W-1001"))


def test_a_bad_check_digit_is_not_an_item() -> None:
    assert read_query("8901234000013")[0].way is LookFor.ORDER


def test_nothing_typed_says_what_to_do() -> None:
    with pytest.raises(BadInput, match="Nothing to look for") as caught:
        read_query("   ")
    assert "Scan the receipt" in (caught.value.next_step or "")
