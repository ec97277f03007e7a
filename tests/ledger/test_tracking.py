"""Tracking (SQLite and PostgreSQL; a real ledger, the real carrier simulator pushing to
its webhook): a booked parcel advanced to delivered shows on the order's timeline with
its date and on the bench's pulled order; a failed delivery and a return to origin open
exceptions for the shipping location; an event pushed twice and pulled is applied once;
a missed push is filled in by the pull; a bad token is refused; an event about a parcel
the ledger does not know is kept, logged and answered as taken."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import requests

from app.ledger.tracking.delivered import delivered_lines
from app.ledger.tracking.pull import Pulled, pull_carrier
from tests.ledger.bench_support import new_sscc
from tests.ledger.tracking_support import (
    TOKEN,
    Tracked,
    booked_parcel,
    events_of,
    eventually,
    parcel_state,
    tracked_ledger,
)
from tests.support.ledger import backend_params


@pytest.fixture(scope="module", params=backend_params())
def t(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Tracked]:
    with tracked_ledger(request.param, tmp_path_factory.mktemp("tracking")) as tracked:
        yield tracked


def pull_carrier_from_start(t: Tracked) -> Pulled:
    """Pull the whole feed again, as after a lost cursor: nothing is applied twice."""
    t.ledger.sql("DELETE FROM carrier_cursors")
    return pull_carrier(t.ledger.engine, t.sim.client())


def order_timeline(t: Tracked, number: str) -> dict[str, Any]:
    answer = requests.get(
        f"{t.ledger.url}/v1/orders/{number}",
        headers={"Authorization": f"Bearer {t.ledger.admin_token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def timeline(t: Tracked, number: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = order_timeline(t, number)["events"]
    return events


def timeline_states(t: Tracked, number: str) -> dict[str, str]:
    states: dict[str, str] = order_timeline(t, number)["states"]
    return states


def open_exceptions(t: Tracked, number: str) -> list[tuple[Any, ...]]:
    return t.ledger.sql(
        "SELECT e.kind, e.message, e.next_step, l.code FROM exceptions e "
        "JOIN locations l ON l.id = e.location_id "
        "WHERE e.order_number = :n AND e.status = 'open' ORDER BY e.id",
        {"n": number},
    )


def test_a_parcel_advanced_to_delivered_shows_on_the_timeline_with_its_date(t: Tracked) -> None:
    shipped = booked_parcel(t, "WEB-TR01")
    cursor = t.bench.head()

    for _ in range(4):  # shipped, in transit, out for delivery, delivered
        last = t.advance(shipped.tracking)

    kinds = eventually(
        lambda: len(found := events_of(t, shipped.sscc)) == 4 and [k for k, _, _ in found],
        "four pushed events",
    )  # the pushes land in any order; the parcel takes the latest by the carrier's time
    state, delivered_at = parcel_state(t, shipped.sscc)
    day = last["at"][:10]
    assert last["event"] == "delivered" and state == "delivered" and delivered_at is not None
    assert kinds == ["shipped", "in_transit", "out_for_delivery", "delivered"]
    tracked = {e["kind"]: e for e in timeline(t, "WEB-TR01") if e["actor"] == "carrier:SWIFT"}
    assert sorted(tracked) == sorted(f"ship.{k}" for k in kinds)
    delivered = tracked["ship.delivered"]
    assert delivered["at"][:10] == day and delivered["actor"] == "carrier:SWIFT"
    assert (
        delivered["note"]
        == f"Parcel {shipped.sscc} delivered at {last['place']}, Swift Express, {day}."
    )
    assert delivered["location"] == "BLR-01" and delivered["state"] == "delivered"
    assert tracked["ship.shipped"]["state"] == "shipped"
    assert timeline_states(t, "WEB-TR01") == {"BLR-01": "delivered"}
    with t.ledger.engine.connect() as conn:
        lines = delivered_lines(conn, "WEB-TR01")
    assert list(lines) == [shipped.sku] and lines[shipped.sku].date().isoformat() == day
    changes, _ = t.bench.pull_all(cursor)
    rows = [
        c["data"]
        for c in changes
        if c["scope"] == "fulfilment" and c["key"] == str(shipped.fulfilment_id)
    ]
    (parcel,) = rows[-1]["parcels"]
    assert parcel["state"] == "delivered" and parcel["delivered_at"][:10] == day


def test_a_failed_delivery_and_a_return_to_origin_open_exceptions_at_the_shipping_store(
    t: Tracked,
) -> None:
    shipped = booked_parcel(t, "WEB-TR02")
    for _ in range(3):  # up to out for delivery
        t.advance(shipped.tracking)
    cursor = t.bench.head()

    t.advance(shipped.tracking, "failed_delivery")
    failed = eventually(lambda: open_exceptions(t, "WEB-TR02"), "failed delivery exception")
    t.advance(shipped.tracking, "rto")
    both = eventually(lambda: open_exceptions(t, "WEB-TR02")[1:], "return to origin exception")

    assert failed == [
        ("delivery_failed", "WEB-TR02 failed delivery",
         "Call the customer and rebook, or wait for the carrier's second attempt.", "BLR-01"),
    ]  # fmt: skip
    assert both[0] == (
        "returning_to_store", "WEB-TR02 returning to BLR-01",
        "Receive it at the bench when it arrives.", "BLR-01",
    )  # fmt: skip
    assert parcel_state(t, shipped.sscc) == ("rto", None)
    assert timeline_states(t, "WEB-TR02") == {"BLR-01": "shipped"}  # on its way back
    changes, _ = t.bench.pull_all(cursor)
    seen = [c["data"]["message"] for c in changes if c["scope"] == "exceptions"]
    assert seen == ["WEB-TR02 failed delivery", "WEB-TR02 returning to BLR-01"]


def test_a_carriers_reason_is_said_in_the_failed_delivery(t: Tracked) -> None:
    shipped = booked_parcel(t, "WEB-TR05")
    events = [t.advance(shipped.tracking) for _ in range(3)]
    at = (datetime.fromisoformat(events[-1]["at"]) + timedelta(seconds=1)).isoformat()

    answer = t.post_event(
        {"seq": None, "tracking": shipped.tracking, "idempotency_key": shipped.sscc,
         "event": "failed_delivery", "at": at, "note": "customer not at home"}
    )  # fmt: skip

    assert answer.status_code == 202 and answer.json() == {"status": "applied"}
    ((kind, message, next_step, where),) = open_exceptions(t, "WEB-TR05")
    assert (kind, where) == ("delivery_failed", "BLR-01")
    assert f"{message}: {next_step[0].lower()}{next_step[1:]}" == (
        "WEB-TR05 failed delivery (customer not at home): call the customer and rebook, "
        "or wait for the carrier's second attempt."
    )


def test_an_event_pushed_twice_and_pulled_is_applied_once_and_a_missed_push_is_pulled(
    t: Tracked,
) -> None:
    shipped = booked_parcel(t, "WEB-TR03")
    pushed = t.advance(shipped.tracking)  # shipped: pushed to the webhook (and in the feed)
    eventually(lambda: events_of(t, shipped.sscc), "pushed event")
    missed = t.sim.carrier.advance(shipped.tracking)  # in transit: never pushed

    filled = eventually(lambda: events_of(t, shipped.sscc)[1:], "the ledger's pull")
    again = t.post_event(pushed)
    pulled = pull_carrier(t.ledger.engine, t.sim.client())  # from the kept cursor

    assert missed.kind == "in_transit" and filled == [("in_transit", "pull", True)]
    assert again.status_code == 202 and again.json() == {"status": "duplicate"}
    assert pulled.error == "" and pulled.applied == 0
    assert [k for k, _, _ in events_of(t, shipped.sscc)] == ["shipped", "in_transit"]
    steps = t.ledger.sql(
        "SELECT kind FROM fulfilment_events WHERE fulfilment_order_id = :f "
        "AND actor LIKE 'carrier:%' ORDER BY id",
        {"f": shipped.fulfilment_id},
    )
    assert steps == [("ship.shipped",), ("ship.in_transit",)]
    assert parcel_state(t, shipped.sscc) == ("in_transit", None)
    from_start = pull_carrier_from_start(t)
    assert from_start.applied == 0 and from_start.duplicates >= 2


def test_a_bad_token_is_refused_and_nothing_is_recorded(t: Tracked) -> None:
    shipped = booked_parcel(t, "WEB-TR04")
    event = {"seq": None, "tracking": shipped.tracking, "idempotency_key": shipped.sscc,
             "event": "shipped", "at": "2026-12-06T10:00:00+00:00"}  # fmt: skip

    wrong = t.post_event(event, token="not-the-swift-token-at-all")
    none = t.post_event(event, token=None)
    other_carrier = t.post_event(event, carrier="INDPOST", token=TOKEN)
    admin = requests.post(
        t.webhook(token=None),
        json=event,
        headers={"Authorization": f"Bearer {t.ledger.admin_token}"},
        timeout=30,
    )
    bearer = requests.post(
        t.webhook(token=None), json=event, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
    )

    assert [r.status_code for r in (wrong, none, other_carrier, admin)] == [401] * 4
    assert bearer.status_code == 202 and bearer.json() == {"status": "applied"}
    assert events_of(t, shipped.sscc) == [("shipped", "webhook", True)]


def test_an_event_for_a_parcel_we_do_not_know_is_kept_logged_and_taken(t: Tracked) -> None:
    stranger = new_sscc()
    event = {"seq": None, "tracking": "SW9999999999", "idempotency_key": stranger,
             "event": "delivered", "at": "2026-12-06T11:00:00+00:00"}  # fmt: skip

    first = t.post_event(event)
    again = t.post_event(event)

    assert first.status_code == 202 and first.json() == {"status": "unknown_parcel"}
    assert again.status_code == 202 and again.json() == {"status": "duplicate"}
    assert events_of(t, stranger) == [("delivered", "webhook", False)]
    assert f"for a parcel we do not know (SSCC {stranger}" in t.ledger.log_tail(20_000)


def test_an_event_the_ledger_cannot_read_is_refused(t: Tracked) -> None:
    base = {
        "seq": None,
        "tracking": "SW1",
        "idempotency_key": new_sscc(),
        "at": "2026-12-06T11:00:00+00:00",
    }

    unknown_kind = t.post_event({**base, "event": "teleported"})
    no_offset = t.post_event({**base, "event": "delivered", "at": "2026-12-06T11:00:00"})

    too_long = t.post_event({**base, "event": "delivered", "tracking": "S" * 41})

    assert [unknown_kind.status_code, no_offset.status_code, too_long.status_code] == [422] * 3
    assert "teleported" in unknown_kind.text
