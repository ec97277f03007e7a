"""The order's timeline as the bench reads it from a pulled parcel: the store's steps,
then each carrier event in the store's local time with its place; a failed delivery or a
return to origin is an alarm, and its latest line says what the open exception asks."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from app.domain.exception_texts import DELIVERY_FAILED, RETURNING_TO_STORE
from app.domain.shipping.timeline import order_timeline, parcel_timeline

IST = ZoneInfo("Asia/Kolkata")
SSCC = "089012340000000047"
CALL = "Call the customer and rebook, or wait for the carrier's second attempt."
RECEIVE = "Receive it at the bench when it arrives."


def _parcel(**more: Any) -> dict[str, Any]:
    return {
        "sscc": SSCC, "lines": [["SKU-1", 1]], "void": False, "carrier": "SWIFT",
        "carrier_name": "Swift Express", "tracking": "SW0000000009",
        "packed_at": "2026-12-06T08:02:00+00:00", "packed_by": "A100",
        "booked_at": "2026-12-06T08:03:00+00:00",
        "handed_over_at": "2026-12-06T11:30:00+00:00", "handed_over_by": "A101",
        "events": [
            {"kind": "shipped", "at": "2026-12-06T12:00:00+00:00", "place": "", "note": ""},
            {"kind": "in_transit", "at": "2026-12-06T13:10:00+00:00", "place": "Hub BLR",
             "note": ""},
        ],
        **more,
    }  # fmt: skip


def _texts(parcel: dict[str, Any], must: dict[str, str] | None = None) -> list[str]:
    timeline = parcel_timeline(parcel, {"A100": "Asha Rao"}, must or {})
    return [line.text(IST) for line in timeline.lines]


def test_packed_booked_handed_over_then_each_event_in_local_time() -> None:
    assert _texts(_parcel()) == [
        "06 Dec 13:32 · Packed · by Asha Rao",
        "06 Dec 13:33 · Booked · Swift Express SW0000000009",
        "06 Dec 17:00 · Handed over · by A101",  # a code the station has no name for
        "06 Dec 17:30 · Collected by the carrier",
        "06 Dec 18:40 · In transit · Hub BLR",
    ]


def test_a_carrier_the_ledger_sent_no_name_for_is_named_by_its_code() -> None:
    unnamed = [_parcel(carrier_name=None), {**_parcel(), "carrier_name": ""}]
    old = {k: v for k, v in _parcel().items() if k != "carrier_name"}  # an older ledger's
    for parcel in (*unnamed, old):
        assert _texts(parcel)[1] == "06 Dec 13:33 · Booked · SWIFT SW0000000009"


def test_our_own_riders_parcel_is_not_booked_and_one_not_handed_over_says_nothing_of_it() -> None:
    own = _parcel(carrier="LOCAL", tracking=SSCC, handed_over_at=None, events=[])
    assert _texts(own) == ["06 Dec 13:32 · Packed · by Asha Rao"]


def test_failed_delivery_and_rto_are_alarms_with_the_open_exceptions_next_steps() -> None:
    events = [
        {"kind": "failed_delivery", "at": "2026-12-07T05:00:00+00:00", "place": "Koramangala",
         "note": "customer not home"},
        {"kind": "failed_delivery", "at": "2026-12-08T05:00:00+00:00", "place": "Koramangala",
         "note": ""},
        {"kind": "rto", "at": "2026-12-09T04:00:00+00:00", "place": "Hub BLR", "note": ""},
    ]  # fmt: skip
    must = {DELIVERY_FAILED: CALL, RETURNING_TO_STORE: RECEIVE}
    lines = parcel_timeline(_parcel(events=events), {}, must).lines[-3:]

    assert [(line.text(IST), line.alarm) for line in lines] == [
        ("07 Dec 10:30 · Failed delivery (customer not home) · Koramangala", True),
        (f"08 Dec 10:30 · Failed delivery · Koramangala — {CALL}", True),
        (f"09 Dec 09:30 · Returning to the store · Hub BLR — {RECEIVE}", True),
    ]
    resolved = parcel_timeline(_parcel(events=events), {}, {}).lines[-1]
    assert resolved.alarm and resolved.next_step == ""  # nothing open: nothing to do


def test_every_live_parcel_has_its_own_timeline_in_packing_order() -> None:
    second = _parcel(sscc="089012340000000054", events=[])
    void = _parcel(sscc="089012340000000061", void=True)

    timeline = order_timeline([_parcel(), void, second], {}, {})

    assert [(p.sscc, len(p.lines)) for p in timeline] == [(SSCC, 5), (second["sscc"], 3)]


def test_a_parcel_pulled_before_the_ledger_said_when_it_was_packed_shows_no_time() -> None:
    old = {"sscc": SSCC, "lines": [], "void": False, "carrier": "LOCAL", "tracking": SSCC}
    assert _texts(old) == ["Packed"]
