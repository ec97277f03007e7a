"""Parcel SSCCs made offline by stations: the layout, no two stations' numbers collide, every
check digit holds, the station and counter read back, and the local courier's tracking."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.gs1 import read_gs1
from app.domain.gtin import has_valid_check_digit, make_sscc
from app.domain.shipping.parcels import (
    LOCAL_COURIER,
    ParcelNumber,
    SsccScheme,
    tracking_number,
)
from app.errors import BadInput

SCHEME = SsccScheme("8901234")  # a 7-digit Indian company prefix: 5 counter digits


def test_layout_extension_prefix_station_counter_check() -> None:
    sscc = SCHEME.sscc(station=42, counter=7)
    assert len(sscc) == 18
    assert sscc[0] == "0"  # counter below 100,000: extension 0
    assert sscc[1:8] == "8901234"
    assert sscc[8:12] == "0042"
    assert sscc[12:17] == "00007"
    assert has_valid_check_digit(sscc)


def test_the_counter_runs_into_the_extension_digit() -> None:
    sscc = SCHEME.sscc(station=1, counter=123_456)
    assert sscc[0] == "1" and sscc[8:17] == "000123456"
    assert SCHEME.per_station == 1_000_000
    assert SCHEME.sscc(1, 999_999)[0] == "9"


def test_an_sscc_reads_back_to_its_station_and_counter() -> None:
    assert SCHEME.read(SCHEME.sscc(42, 654_321)) == ParcelNumber(42, 654_321)


def test_a_scanned_parcel_label_reads_back_through_gs1() -> None:
    sscc = SCHEME.sscc(3, 99)
    scan = read_gs1("]C100" + sscc)
    assert scan is not None and scan.sscc == sscc


def test_a_station_that_has_used_every_number_is_told_to_ask_hq() -> None:
    with pytest.raises(BadInput, match="Station 5 has used all its 1,000,000 parcel numbers"):
        SCHEME.sscc(5, 1_000_000)


@pytest.mark.parametrize("station", [0, -1, 10_000, True])
def test_a_station_number_outside_the_block_is_refused(station: int) -> None:
    with pytest.raises(BadInput, match="does not fit the parcel numbers"):
        SCHEME.sscc(station, 0)


def test_a_negative_counter_is_refused() -> None:
    with pytest.raises(BadInput, match="Parcel counter -1 is not a count"):
        SCHEME.sscc(1, -1)


def test_a_long_prefix_leaves_fewer_numbers_and_a_too_long_one_is_refused() -> None:
    assert SsccScheme("890123456").per_station == 10_000  # 3 counter digits
    with pytest.raises(BadInput, match="leave no room for a parcel counter"):
        SsccScheme("8901234567")
    assert SsccScheme("8901234567", station_digits=3).counter_digits == 3
    with pytest.raises(BadInput, match="is not a GS1 company prefix"):
        SsccScheme("89012")


def test_reading_another_retailers_sscc_is_refused() -> None:
    other = SsccScheme("8909999").sscc(42, 7)
    with pytest.raises(BadInput, match="is not one of this retailer's parcels"):
        SCHEME.read(other)
    ours = SCHEME.sscc(42, 7)
    with pytest.raises(BadInput, match="wrong check digit"):
        SCHEME.read(ours[:-1] + str((int(ours[-1]) + 1) % 10))
    with pytest.raises(BadInput, match="was not made by a bench station"):
        SCHEME.read(make_sscc(0, "8901234", 5))  # station block 0000: numbered by hand


def test_the_local_courier_tracks_by_the_sscc() -> None:
    sscc = SCHEME.sscc(42, 7)
    assert tracking_number(LOCAL_COURIER, sscc) == sscc
    assert tracking_number("delhivery", sscc, " DL123456 ") == "DL123456"
    with pytest.raises(BadInput, match="no delhivery tracking number yet"):
        tracking_number("delhivery", sscc)


_pairs = st.tuples(st.integers(1, 9_999), st.integers(0, 999_999))


@settings(max_examples=50)
@given(st.lists(_pairs, min_size=2, max_size=40, unique=True))
def test_distinct_station_and_counter_never_collide_and_always_check(
    pairs: list[tuple[int, int]],
) -> None:
    ssccs = [SCHEME.sscc(station, counter) for station, counter in pairs]
    assert len(set(ssccs)) == len(pairs)
    for (station, counter), sscc in zip(pairs, ssccs, strict=True):
        assert len(sscc) == 18 and has_valid_check_digit(sscc)
        assert SCHEME.read(sscc) == ParcelNumber(station, counter)


@settings(max_examples=50)
@given(
    st.sampled_from(["890123", "8901234", "89012345", "890123456"]),
    st.integers(1, 3),
    st.data(),
)
def test_every_prefix_length_keeps_stations_apart(
    prefix: str, station_digits: int, data: st.DataObject
) -> None:
    scheme = SsccScheme(prefix, station_digits)
    pair = st.tuples(st.integers(1, scheme.last_station), st.integers(0, scheme.per_station - 1))
    a, b = data.draw(st.lists(pair, min_size=2, max_size=2, unique=True))
    assert scheme.sscc(*a) != scheme.sscc(*b)
    assert scheme.read(scheme.sscc(*a)) == ParcelNumber(*a)
