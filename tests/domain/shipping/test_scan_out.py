"""Scan-out rules: what a label scan carries, the e-way bill number, each refusal's
words, the threshold (the law's or the location's), the parcels not scanned."""

from __future__ import annotations

import pytest

from app.domain.master_rows import MasterKind, read_rows
from app.domain.money import Money
from app.domain.shipping.eway_bill import eway_bill_number
from app.domain.shipping.scan_out import (
    OutParcel,
    carrier_name,
    check_scan,
    missing_words,
    not_scanned,
    sscc_of_scan,
)
from app.errors import BadInput, NotFound, RuleRefused

SSCC = "089012340000000014"


def _parcel(**changes: object) -> OutParcel:
    base: dict[str, object] = {
        "sscc": SSCC, "fulfilment_id": 7, "order_number": "WEB-1", "carrier": "SWIFT",
        "tracking": "SW1", "weight_g": 900, "cod_minor": 0, "goods_minor": 49_900,
    }  # fmt: skip
    return OutParcel(**{**base, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize("scanned", [f"00{SSCC}", f"]C100{SSCC}", f"(00) {SSCC}", SSCC])
def test_a_label_scan_gives_its_sscc(scanned: str) -> None:
    assert sscc_of_scan(scanned) == SSCC


def test_an_eway_bill_number_has_12_digits() -> None:
    assert eway_bill_number("1234 5678 9012") == "123456789012"
    with pytest.raises(BadInput, match="has 12 digits"):
        eway_bill_number("12345")


def test_our_riders_are_local_whatever_the_parcel_calls_them() -> None:
    assert carrier_name("own_fleet") == carrier_name("local") == "LOCAL"
    assert carrier_name("swift") == "SWIFT"


def test_each_refusal_says_why() -> None:
    with pytest.raises(NotFound, match="'X1' is not a parcel packed at this bench"):
        check_scan(None, "X1", "SWIFT")
    with pytest.raises(RuleRefused, match="has a void label"):
        check_scan(_parcel(void=True), SSCC, "SWIFT")
    with pytest.raises(RuleRefused, match="already handed to SWIFT at 17:02"):
        check_scan(_parcel(handed_over="17:02"), SSCC, "SWIFT")
    with pytest.raises(
        RuleRefused, match="This is a LOCAL parcel, not SWIFT: keep it for the LOCAL rider"
    ):
        check_scan(_parcel(carrier="LOCAL"), SSCC, "SWIFT")
    with pytest.raises(
        RuleRefused, match="a SWIFT parcel, not INDPOST: keep it for the SWIFT driver"
    ):
        check_scan(_parcel(), SSCC, "INDPOST")


def test_above_the_threshold_an_eway_bill_is_needed() -> None:
    big = _parcel(goods_minor=5_000_001)
    with pytest.raises(RuleRefused, match=r"worth ₹50,000.01: it cannot leave without an e-way"):
        check_scan(big, SSCC, "SWIFT")
    assert check_scan(big, SSCC, "SWIFT", eway_bill="123456789012") == "123456789012"
    assert check_scan(_parcel(goods_minor=5_000_000), SSCC, "SWIFT") == ""  # not above
    assert check_scan(big, SSCC, "SWIFT", threshold=Money(10_000_000)) == ""
    assert check_scan(_parcel(goods_minor=5_000_001, eway_bill="1" * 12), SSCC, "SWIFT") == "1" * 12


def test_the_parcels_not_scanned_are_listed() -> None:
    parcels = [
        _parcel(),
        _parcel(sscc="2", order_number="WEB-2"),
        _parcel(sscc="3", handed_over="17:00"),
        _parcel(sscc="4", void=True),
        _parcel(sscc="5", carrier="LOCAL"),
    ]
    missing = not_scanned(parcels, "SWIFT")
    assert [p.sscc for p in missing] == [SSCC, "2"]
    assert (
        missing_words(missing, "SWIFT") == f"2 SWIFT parcels not scanned: {SSCC} (WEB-1), 2 (WEB-2)"
    )
    assert missing_words([], "SWIFT") == ""


def test_a_location_sets_its_threshold_in_whole_rupees() -> None:
    header = "code,name,kind,city,pincode,latitude,longitude,eway_bill_threshold\n"
    parsed = read_rows(
        MasterKind.LOCATIONS,
        [
            header,
            "BLR-09,HSR,store,Bengaluru,560102,12.91,77.64,75000\n",
            "BLR-10,Koramangala,store,Bengaluru,560034,12.93,77.62,\n",
            "BLR-11,Odd,store,Bengaluru,560034,12.93,77.62,lots\n",
        ],
    )
    (_, set_one), (_, default) = parsed.rows
    assert set_one.eway_bill_threshold_minor == 7_500_000
    assert default.eway_bill_threshold_minor is None
    assert "e-way bill threshold" in str(parsed.problems[0])
