"""The booked carrier's client against the real simulator on a loopback port."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.carrier_sim.faults import Fault, Mode
from app.carriers.adapter import (
    CarrierAdapter,
    CarrierDown,
    CarrierRefused,
    CarrierSlow,
    EventKind,
)
from app.carriers.booked import BookedCarrier
from app.carriers.choose import adapter_for
from app.errors import BadInput
from tests.carriers.conftest import parcel
from tests.support.carrier_sim import RunningSim, closed_port


def test_books_a_parcel_with_its_tracking_number_and_label_data(sim: RunningSim) -> None:
    adapter: CarrierAdapter = sim.client()
    box = parcel(1, pincode="560034")
    booking = adapter.book(box)
    assert adapter.needs_network
    assert (booking.carrier, booking.sscc, booking.found) == ("SWIFT", box.sscc, False)
    assert booking.tracking == "SW0000000001" == booking.label.barcode
    assert (booking.label.routing_code, booking.label.sort_code) == ("BLR/560", "S03")
    assert booking.label.service == "Express"
    assert booking.booked_at.tzinfo is not None
    assert sim.carrier.find(box.sscc).request["reference"] == box.order_number


def test_booking_again_finds_the_first_booking(sim: RunningSim) -> None:
    client = sim.client()
    first = client.book(parcel(1))
    again = client.book(parcel(1))
    assert again.found and not first.found
    assert replace(again, found=False) == first
    assert client.book(parcel(2)).tracking == "SW0000000002"
    assert sim.carrier.issued == 2


def test_finds_a_booking_by_sscc_and_reads_its_label_again(sim: RunningSim) -> None:
    client = sim.client()
    booking = client.book(parcel(4, pincode="110001"))
    assert client.booking(parcel(4).sscc) == replace(booking, found=False)
    assert client.booking(parcel(5).sscc) is None
    assert client.label(booking.tracking) == booking.label
    assert booking.label.routing_code == "DEL/110"


def test_the_same_sscc_for_another_parcel_is_refused(sim: RunningSim) -> None:
    client = sim.client()
    client.book(parcel(1, order="WEB-1"))
    with pytest.raises(CarrierRefused, match="booked before for another parcel") as refused:
        client.book(parcel(1, order="WEB-2"))
    assert "(order WEB-1)" in refused.value.reason
    assert sim.carrier.issued == 1


def test_serviceability_is_asked_of_the_carrier(sim: RunningSim) -> None:
    sim.carrier.prefixes = ("56",)
    client = sim.client()
    assert client.serviceable("560001")
    assert not client.serviceable("110001")
    with pytest.raises(CarrierRefused, match="do not deliver to pincode 110001"):
        client.book(parcel(1, pincode="110001"))
    assert sim.carrier.issued == 0


def test_too_heavy_is_refused_in_words(sim: RunningSim) -> None:
    with pytest.raises(CarrierRefused, match="weighs more than 30 kg"):
        sim.client().book(replace(parcel(1), weight_g=30_001))


def test_cancels_until_collected(sim: RunningSim) -> None:
    client = sim.client()
    first, second = client.book(parcel(1)), client.book(parcel(2))
    client.cancel(first.tracking)
    client.cancel(first.tracking)  # again: still cancelled, no error
    assert sim.carrier.get(first.tracking).status == "cancelled"
    sim.post("/sim/advance", {"tracking": second.tracking})
    with pytest.raises(CarrierRefused, match="already collected") as refused:
        client.cancel(second.tracking)
    assert refused.value.carrier == "Swift Express"
    with pytest.raises(CarrierRefused, match="no shipment SW0000000099"):
        client.cancel("SW0000000099")


def test_refusing_carrier_books_nothing_and_says_why(sim: RunningSim) -> None:
    sim.set_mode(Fault.REFUSE, reason="no pickups from your store on Sunday.")
    with pytest.raises(CarrierRefused) as refused:
        sim.client().book(parcel(1))
    assert refused.value.reason == "no pickups from your store on Sunday."
    assert "Swift Express refused the parcel: no pickups" in str(refused.value)
    assert sim.carrier.issued == 0


def test_down_books_nothing_after_its_tries(sim: RunningSim) -> None:
    sim.set_mode(Fault.DOWN, times=3)
    waits: list[float] = []
    client = sim.client(attempts=3, backoff_s=0.25, sleep=waits.append)
    with pytest.raises(CarrierDown, match="cannot be reached just now; nothing was booked"):
        client.book(parcel(1))
    assert waits == [0.25, 0.5]
    assert sim.carrier.issued == 0
    assert client.book(parcel(1)).tracking == "SW0000000001"  # its 3 answers were all used


def test_down_for_one_answer_books_on_the_next_try(sim: RunningSim) -> None:
    sim.set_mode(Fault.DOWN, times=1)
    booking = sim.client().book(parcel(1))
    assert not booking.found
    assert sim.carrier.issued == 1


def test_nobody_listening_is_down() -> None:
    client = BookedCarrier(
        code="SWIFT", name="Swift Express", base_url=f"http://127.0.0.1:{closed_port()}",
        attempts=2, backoff_s=0.0,
    )  # fmt: skip
    with pytest.raises(CarrierDown):
        client.book(parcel(1))
    with pytest.raises(CarrierDown):
        client.serviceable("560001")


def test_slow_then_a_retry_finds_the_first_booking(sim: RunningSim) -> None:
    sim.set_mode(Fault.SLOW, delay_ms=60_000)
    client = sim.client(timeout_s=0.2, attempts=2)
    with pytest.raises(CarrierSlow, match="may or may not be booked") as slow:
        client.book(parcel(1))
    assert "Do not give it to another carrier" in str(slow.value)
    assert sim.carrier.issued == 1  # booked on the first try; the answer came too late
    sim.clear()
    again = sim.client().book(parcel(1))
    assert again.found and again.tracking == "SW0000000001"
    assert sim.carrier.issued == 1


def test_slow_once_the_clients_own_retry_finds_the_first(sim: RunningSim) -> None:
    sim.set_mode(Fault.SLOW, delay_ms=60_000, times=1)
    booking = sim.client(timeout_s=1.0).book(parcel(1))
    assert booking.found and booking.tracking == "SW0000000001"
    assert sim.carrier.issued == 1


def test_slow_reads_are_slow_not_unsure_bookings(sim: RunningSim) -> None:
    sim.set_mode(Fault.SLOW, delay_ms=60_000)
    with pytest.raises(CarrierSlow) as slow:
        sim.client(timeout_s=0.2, attempts=1).serviceable("560001")
    assert str(slow.value) == "Swift Express did not answer in time. Try again in a minute."


def test_an_answer_lost_after_booking_is_found_by_the_retry(sim: RunningSim) -> None:
    sim.set_mode(Fault.DROP, times=1)
    booking = sim.client().book(parcel(1))
    assert booking.found and booking.tracking == "SW0000000001"
    assert [s.key for s in sim.carrier.shipments()] == [parcel(1).sscc]


def test_a_lost_answer_then_down_is_still_unknown(sim: RunningSim) -> None:
    """A try that may have booked makes the outcome unknown, whatever later tries say."""
    sim.set_mode(Fault.DROP)
    client = sim.client(attempts=2, sleep=lambda _: sim.switch.set(Mode(Fault.DOWN)))
    with pytest.raises(CarrierSlow):
        client.book(parcel(1))
    assert sim.carrier.issued == 1
    sim.clear()
    assert client.book(parcel(1)).found


def test_tracking_events_come_in_order_from_a_cursor(sim: RunningSim) -> None:
    client = sim.client()
    a, b = client.book(parcel(1)), client.book(parcel(2))
    for tracking, to in [(a, None), (a, None), (b, None), (a, None), (a, "failed_delivery"),
                         (a, None), (a, "failed_delivery"), (a, "rto")]:  # fmt: skip
        sim.post("/sim/advance", {"tracking": tracking.tracking, "to": to})
    page = client.events(after=0)
    assert [(e.seq, e.tracking, e.kind) for e in page.events] == [
        (1, a.tracking, EventKind.SHIPPED),
        (2, a.tracking, EventKind.IN_TRANSIT),
        (3, b.tracking, EventKind.SHIPPED),
        (4, a.tracking, EventKind.OUT_FOR_DELIVERY),
        (5, a.tracking, EventKind.FAILED_DELIVERY),
        (6, a.tracking, EventKind.OUT_FOR_DELIVERY),
        (7, a.tracking, EventKind.FAILED_DELIVERY),
        (8, a.tracking, EventKind.RTO),
    ]
    assert page.cursor == 8
    assert page.events[0].sscc == parcel(1).sscc
    later = client.events(after=5)
    assert [e.seq for e in later.events] == [6, 7, 8] and later.cursor == 8
    assert client.events(after=8).events == ()


def test_a_partner_in_master_data_is_booked_at_its_address(sim: RunningSim) -> None:
    swift = adapter_for(code="SWIFT", name="Swift Express", kind="partner", booking_url=sim.url)
    assert isinstance(swift, BookedCarrier)
    assert swift.book(parcel(1)).carrier == "SWIFT"
    with pytest.raises(BadInput, match="Swift Express has no booking address"):
        adapter_for(code="SWIFT", name="Swift Express", kind="partner", booking_url=" ")
