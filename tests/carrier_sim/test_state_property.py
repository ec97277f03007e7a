"""Any mix of bookings, repeats, cancellations and events keeps the simulator's books
straight: one tracking number per key, a gapless event feed, nothing after the end."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from app.carrier_sim.state import BOOKED, CANCELLED, NEXT, SHIPPED, SimCarrier, SimRefusal
from tests.carrier_sim.test_state import request

KEYS = st.sampled_from([f"K{n}" for n in range(6)])
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["book", "cancel", "advance"]),
        KEYS,
        st.sampled_from([None, "failed_delivery", "rto", "delivered"]),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(STEPS)
def test_the_books_stay_straight(steps: list[tuple[str, str, str | None]]) -> None:
    carrier = SimCarrier()
    booked: dict[str, str] = {}
    for action, key, to in steps:
        try:
            if action == "book":
                shipment, made = carrier.book(key, request())
                assert made == (key not in booked)
                assert booked.setdefault(key, shipment.tracking) == shipment.tracking
            elif key in booked and action == "cancel":
                carrier.cancel(booked[key])
            elif key in booked:
                carrier.advance(booked[key], to)
        except SimRefusal:
            assert action != "book"
    assert carrier.issued == len(booked) == len(set(booked.values()))
    feed = carrier.events_after(0, limit=1000)
    assert [e.seq for e in feed] == list(range(1, len(feed) + 1))
    for key, tracking in booked.items():
        kinds = [e.kind for e in feed if e.tracking == tracking]
        status = carrier.find(key).status
        if not kinds:
            assert status in (BOOKED, CANCELLED)
            continue
        assert status == kinds[-1] and kinds[0] == SHIPPED
        for before, after in pairwise(kinds):
            assert after in NEXT[before][1]
