"""Exactly once: whatever the simulator does to bookings (slow, down, refusing, losing its
answer), no SSCC is ever booked twice, a found booking is always the first one, and a
parcel the carrier said was not booked is not booked."""

from __future__ import annotations

import random

import pytest

from app.carrier_sim.faults import Fault, Mode
from app.carriers.adapter import Booking, CarrierDown, CarrierRefused, CarrierSlow
from tests.carriers.conftest import parcel
from tests.support.carrier_sim import RunningSim

TRIES = 60  # bookings per seed, over PARCELS parcels
PARCELS = 12
FAULTS = (
    Mode(),
    Mode(Fault.SLOW, delay_ms=60_000, times=1),
    Mode(Fault.SLOW, delay_ms=60_000, times=2),
    Mode(Fault.DROP, times=1),
    Mode(Fault.DROP, times=2),
    Mode(Fault.DOWN, times=1),
    Mode(Fault.DOWN, times=2),
    Mode(Fault.REFUSE, times=1),
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_no_parcel_is_ever_booked_twice(sim: RunningSim, seed: int) -> None:
    rng = random.Random(seed)
    client = sim.client(timeout_s=0.2, attempts=2)
    first: dict[str, str] = {}  # sscc -> the tracking number of its first booking
    outcomes: dict[str, int] = {}
    for _ in range(TRIES):
        box = parcel(rng.randrange(PARCELS))
        sim.switch.set(rng.choice(FAULTS))
        booked_before = box.sscc in {s.key for s in sim.carrier.shipments()}
        try:
            booking = client.book(box)
        except (CarrierDown, CarrierRefused) as said_no:
            outcomes[type(said_no).__name__] = outcomes.get(type(said_no).__name__, 0) + 1
            booked_now = box.sscc in {s.key for s in sim.carrier.shipments()}
            assert booked_now == booked_before, f"{said_no} yet the parcel was booked"
            continue
        except CarrierSlow:
            outcomes["CarrierSlow"] = outcomes.get("CarrierSlow", 0) + 1
            continue
        outcomes["booked"] = outcomes.get("booked", 0) + 1
        _same_as_first(booking, first)
    sim.clear()
    patient = sim.client()
    for counter in range(PARCELS):
        _same_as_first(patient.book(parcel(counter)), first)
    assert sim.carrier.issued == PARCELS == len(first)
    assert len({s.tracking for s in sim.carrier.shipments()}) == PARCELS
    assert outcomes.keys() >= {"booked", "CarrierDown", "CarrierRefused", "CarrierSlow"}


def _same_as_first(booking: Booking, first: dict[str, str]) -> None:
    assert first.setdefault(booking.sscc, booking.tracking) == booking.tracking
