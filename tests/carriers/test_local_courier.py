from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.carriers.adapter import CarrierAdapter, CarrierRefused
from app.carriers.choose import adapter_for
from app.carriers.local_courier import LocalCourier
from app.errors import BadInput
from tests.carriers.conftest import parcel

NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def riders() -> LocalCourier:
    return LocalCourier(prefixes=["560", "562", " "], clock=lambda: NOON)


def test_the_sscc_is_the_tracking_number_and_the_carrier_barcode() -> None:
    box = parcel(7, pincode="560034")
    booking = riders().book(box)
    assert booking.carrier == "LOCAL"
    assert booking.tracking == box.sscc == booking.label.barcode
    assert (booking.label.routing_code, booking.label.sort_code) == ("560", "034")
    assert booking.label.service == "Local courier"
    assert booking.booked_at == NOON


def test_booking_again_is_the_same_booking_offline() -> None:
    adapter: CarrierAdapter = riders()
    assert not adapter.needs_network
    assert adapter.book(parcel(3)) == adapter.book(parcel(3))


def test_serves_only_pincodes_with_its_prefixes() -> None:
    courier = riders()
    assert courier.prefixes == ("560", "562")
    assert courier.serviceable("560001")
    assert courier.serviceable("562 125")
    assert not courier.serviceable("110001")
    with pytest.raises(CarrierRefused, match="do not go to pincode 110001") as refused:
        courier.book(parcel(1, pincode="110001"))
    assert "another carrier or our own riders" in str(refused.value)


def test_a_pincode_that_is_no_pincode_is_bad_input() -> None:
    with pytest.raises(BadInput, match="not a pincode"):
        riders().serviceable("05600")


def test_no_feed_no_stored_bookings_and_cancelling_is_local() -> None:
    courier = riders()
    box = parcel(2)
    assert courier.booking(box.sscc) is None
    courier.cancel(box.sscc)
    page = courier.events(after=41)
    assert (page.events, page.cursor) == ((), 41)
    with pytest.raises(BadInput, match="not an SSCC"):
        courier.cancel("SW0000000001")


def test_own_fleet_in_master_data_is_the_local_courier() -> None:
    courier = adapter_for(code="LOCAL", name="Counterbench Riders", kind="own_fleet",
                          prefixes=["560"])  # fmt: skip
    assert isinstance(courier, LocalCourier)
    assert courier.serviceable("560034") and not courier.needs_network
