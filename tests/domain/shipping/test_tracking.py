"""A carrier's tracking event in the store's words: the timeline's line, what the store
must do when a parcel does not reach its customer, and where a pulled parcel is."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from app.domain.exception_texts import DELIVERY_FAILED, RETURNING_TO_STORE
from app.domain.shipping.tracking import (
    TrackingNews,
    checked_kind,
    order_state_after,
    parcel_tracking,
)
from app.errors import BadInput

IST = ZoneInfo("Asia/Kolkata")


def news(kind: str, **more: str) -> TrackingNews:
    return TrackingNews(order_number="WEB-240201", location="BLR-01", sscc="089012340000000016",
                        carrier="Swift Express", kind=kind, day="2026-12-06", **more)  # fmt: skip


def test_the_timeline_says_what_happened_where_by_whom_and_when() -> None:
    assert news("delivered", place="BLR/560").timeline_note() == (
        "Parcel 089012340000000016 delivered at BLR/560, Swift Express, 2026-12-06."
    )
    assert news("failed_delivery", note="customer not at home").timeline_note() == (
        "Parcel 089012340000000016 failed delivery (customer not at home), Swift Express, "
        "2026-12-06."
    )


def test_a_failed_delivery_and_a_return_tell_the_store_what_to_do() -> None:
    assert news("failed_delivery", note="customer not at home").store_must() == (
        DELIVERY_FAILED,
        "WEB-240201 failed delivery (customer not at home)",
        "Call the customer and rebook, or wait for the carrier's second attempt.",
    )
    assert news("rto").store_must() == (
        RETURNING_TO_STORE,
        "WEB-240201 returning to BLR-01",
        "Receive it at the bench when it arrives.",
    )
    assert news("in_transit").store_must() is None and news("delivered").store_must() is None


def test_an_event_we_do_not_know_is_refused() -> None:
    assert checked_kind("rto") == "rto"
    with pytest.raises(BadInput, match="teleported"):
        checked_kind("teleported")


def test_a_pulled_parcel_says_where_it_is_in_the_stores_time_zone() -> None:
    late = {"sscc": "1", "state": "delivered", "delivered_at": "2026-12-06T20:00:00+00:00"}
    assert parcel_tracking(late, IST) == "Parcel 1: delivered on 07 Dec 2026"
    assert parcel_tracking({"sscc": "1", "state": "out_for_delivery"}, IST) == (
        "Parcel 1: out for delivery"
    )
    assert parcel_tracking({"sscc": "1"}, IST) == ""
    assert parcel_tracking({"sscc": "1", "state": "rto", "void": True}, IST) == ""


def test_a_packed_order_ships_with_its_first_parcel_and_is_delivered_with_its_last() -> None:
    assert order_state_after("packed", ["", ""]) == "packed"  # no word from the carrier
    assert order_state_after("packed", ["shipped", ""]) == "shipped"
    assert order_state_after("shipped", ["delivered", "out_for_delivery"]) == "shipped"
    assert order_state_after("shipped", ["delivered", "delivered"]) == "delivered"
    assert order_state_after("packed", ["delivered"]) == "delivered"
    assert order_state_after("picking", ["delivered"]) == "picking"  # the rest is not packed
    assert order_state_after("cancelled", ["delivered"]) == "cancelled"
