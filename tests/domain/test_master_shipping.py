"""Carrier, carrier pincode, location carrier and box rows: each field's check, bad rows
reported by line with what to fix."""

from __future__ import annotations

import pytest

from app.domain.master_rows import MasterKind, read_rows
from app.domain.master_shipping import check_cutoff, check_prefix
from app.errors import BadInput

CARRIER_HEADER = "code,name,kind,cutoff,rate_local,rate_regional,rate_national,days_national"
BOX_HEADER = "location,code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g"


def lines(header: str, *rows: str) -> list[str]:
    return "".join([header + "\n", *(r + "\n" for r in rows)]).splitlines(keepends=True)


def test_a_carrier_row_reads_rupees_as_paise_and_an_empty_rate_as_a_zone_not_carried() -> None:
    parsed = read_rows(
        MasterKind.CARRIERS, lines(CARRIER_HEADER, "dash,Dash Couriers,partner,9:30,45.50,,,")
    )
    assert parsed.problems == ()
    ((line, rec),) = parsed.rows
    assert (line, rec.code, rec.kind, rec.cutoff) == (2, "DASH", "partner", "09:30")
    assert rec.rates == (4550, None, None) and rec.days == (1, 2, 4)
    assert rec.service == "Standard" and rec.active is True


def test_bad_carrier_rows_are_listed_by_line_with_what_to_fix() -> None:
    parsed = read_rows(
        MasterKind.CARRIERS,
        lines(
            CARRIER_HEADER,
            "A1,Air,courier,16:00,50,,,",
            "A2,Air,partner,24:00,50,,,",
            "A3,Air,partner,4pm,50,,,",
            "A4,Air,partner,16:00,,,,",
            "A5,Air,own_fleet,16:00,-5,,,",
            "A6,Air,partner,16:00,50,,,3",
            "A7,Air,partner,16:00,50,,,99",
            "A6,Air again,partner,16:00,50,,,",
        ),
    )
    said = {p.line: str(p) for p in parsed.problems}
    assert "kind: 'courier' is not a carrier kind; use partner, own_fleet" in said[2]
    assert "cutoff: '24:00' is not a time of day" in said[3] and "HH:MM" in said[3]
    assert "cutoff: '4pm' is not a time of day" in said[4]
    assert "rate_local: A4 has no rate for any zone" in said[5]
    assert "rate_local: '-5' is not a price" in said[6]
    assert "days_national: The national days is 99; it must be 0 to 30" in said[8]
    assert "A6 is also on line 7" in said[9]
    assert [line for line, _ in parsed.rows] == [7]


@pytest.mark.parametrize(
    ("text", "prefix"), [("560095", "560095"), ("5", "5"), (" 560 ", "560"), ("5600 95", "560095")]
)
def test_a_pincode_or_its_first_digits_is_a_prefix(text: str, prefix: str) -> None:
    assert check_prefix(text) == prefix


@pytest.mark.parametrize("text", ["", "0560", "5600951", "56a", "５６０"])
def test_a_prefix_is_1_to_6_digits_not_starting_with_0(text: str) -> None:
    with pytest.raises(BadInput, match="is not a pincode or the start of one"):
        check_prefix(text)


@pytest.mark.parametrize("text", ["23:60", "7", "07:5", "-1:00", "12:00:00", "noon"])
def test_a_cutoff_is_a_time_on_a_24_hour_clock(text: str) -> None:
    with pytest.raises(BadInput, match="is not a time of day"):
        check_cutoff(text)


def test_pincode_rows_name_the_carrier_and_a_repeated_pincode_is_one_row_too_many() -> None:
    parsed = read_rows(
        MasterKind.CARRIER_PINCODES,
        lines("carrier,pincode", "dash,560", "dash,0560", "dash,560", "swift,560"),
    )
    assert [(line, r.carrier, r.prefix) for line, r in parsed.rows] == [
        (2, "DASH", "560"),
        (5, "SWIFT", "560"),
    ]
    assert [str(p) for p in parsed.problems][1] == "line 4: DASH 560 is also on line 2. Keep one."
    assert parsed.problems[0].line == 3


def test_a_location_carrier_row_may_leave_the_cutoff_to_the_carrier() -> None:
    parsed = read_rows(
        MasterKind.LOCATION_CARRIERS,
        lines(
            "location,carrier,cutoff,collects",
            "blr-01,dash,17:45,",
            "blr-02,dash,,no",
            "blr-03,dash,5:45pm,",
        ),
    )
    assert [(r.location, r.carrier, r.cutoff, r.collects) for _, r in parsed.rows] == [
        ("BLR-01", "DASH", "17:45", True),
        ("BLR-02", "DASH", "", False),
    ]
    ((problem),) = parsed.problems
    assert problem.line == 4 and "cutoff: '5:45pm' is not a time of day" in problem.message


def test_box_sizes_are_positive_and_a_box_carries_more_than_it_weighs() -> None:
    parsed = read_rows(
        MasterKind.BOXES,
        lines(
            BOX_HEADER,
            "BLR-01,box-xs,Box extra small,150,120,80,60,1000",
            "BLR-01,BOX-0,Flat,150,120,0,60,1000",
            "BLR-01,BOX-N,Negative,-150,120,80,60,1000",
            "BLR-01,BOX-H,Heavy,150,120,80,900,800",
            "BLR-01,BOX-X,Huge,15000,120,80,60,1000",
        ),
    )
    ((_, box),) = parsed.rows
    assert (box.code, box.length_mm, box.tare_g, box.max_weight_g) == ("BOX-XS", 150, 60, 1000)
    said = {p.line: p.message for p in parsed.problems}
    assert said[3] == "height_mm: The inner height in mm is 0; it must be 1 to 5,000."
    assert said[4] == "length_mm: The inner length in mm is -150; it must be 1 to 5,000."
    assert said[5] == "max_weight_g: BOX-H may carry 800 g but weighs 900 g empty."
    assert said[6].startswith("length_mm: The inner length in mm is 15000")
