"""Rejected operations and ledger flags show up as exceptions and can be resolved."""

from __future__ import annotations

import pytest

from app.errors import BadInput, NotFound, RuleRefused
from app.services.station import Station
from app.storage import outbox
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import Scope
from tests.services.conftest import Clock
from tests.support.counting import count_settled


def test_rejected_op_and_ledger_flag_are_listed_and_resolved(
    station: Station, clock: Clock
) -> None:
    recorded = count_settled(station.stock, None, "SKU-0001", 3)
    with station.db.writing() as session:
        outbox.record_outcomes(
            session,
            [
                outbox.OpOutcome(
                    recorded.op_id,
                    recorded.device_seq,
                    "rejected",
                    None,
                    {"reason": "Item SKU-0001 is not stocked here.", "next_step": "Tell the lead."},
                )
            ],
            clock(),
        )
        flag = {
            "id": 41,
            "kind": "oversell",
            "op_id": None,
            "message": "Sold more than on hand.",
            "next_step": "Find the units.",
            "status": "open",
            "created_at": "2026-11-27T08:00:00+00:00",
        }
        mirror.apply_changes(raw_connection(session), [(Scope.EXCEPTIONS, "41", flag)])
    rows = station.exceptions.open_exceptions()
    assert [r.key for r in rows] == [f"op:{recorded.op_id}", "ledger:41"]
    assert "not stocked here" in rows[0].detail and rows[0].next_step.startswith("Tell the lead.")
    assert rows[0].title == "Count not recorded" and rows[0].sku == "SKU-0001"
    assert rows[1].title == "Fewer on the shelf than promised"
    assert rows[1].created_at.tzinfo is not None
    assert [r.ledger_flag for r in rows] == [False, True]
    assert station.status.status().open_exceptions == 2
    assert station.stock.item_stock(1).buckets[0].on_hand == 10  # rejected: effect gone

    associate = station.auth.login_pin("A100", "1111")
    lead = station.auth.login_pin("L200", "2222")
    with pytest.raises(RuleRefused):
        station.exceptions.resolve(associate, "ledger:41", "found them")
    with pytest.raises(BadInput):
        station.exceptions.resolve(lead, "ledger:41", "  ")
    station.exceptions.resolve(lead, "ledger:41", "found 2 units in the back room")
    with pytest.raises(NotFound):
        station.exceptions.resolve(lead, "ledger:41", "again")
    with pytest.raises(NotFound):
        station.exceptions.resolve(lead, "op:unknown", "x")
    assert [r.key for r in station.exceptions.open_exceptions()] == [f"op:{recorded.op_id}"]
    assert station.status.status().open_exceptions == 1
    with station.db.reading() as session:
        queued = outbox.pending_batch(session, 10)
    # the ledger flag is closed at the ledger too: its op is queued with the resolution
    assert [(q.type, q.actor, q.payload) for q in queued] == [
        (
            "exception.resolve",
            "L200",
            {"location": "BLR-01", "exception_id": 41, "note": "found 2 units in the back room"},
        )
    ]

    station.exceptions.resolve(lead, f"op:{recorded.op_id}", "recounted, all fine")
    assert station.exceptions.open_exceptions() == []
    with station.db.reading() as session:
        assert len(outbox.pending_batch(session, 10)) == 1  # a rejected op resolves here only


def test_status_of_a_seeded_station(station: Station, clock: Clock) -> None:
    count_settled(station.stock, None, "SKU-0001", 3)
    clock.advance(90)
    status = station.status.status()
    assert status.enrolled and status.location_code == "BLR-01"
    assert (status.station_name, status.station_kind) == ("Counter 1", "counter")
    assert status.pending_ops == 1 and status.oldest_pending_age_s == 90
    assert status.last_sync_at is None and status.cursor == 0


def test_a_ledger_flag_without_a_time_shows_at_the_station_clock(
    station: Station, clock: Clock
) -> None:
    flag = {"id": 42, "kind": "collected_after_cancel", "op_id": None, "message": "Check it.",
            "next_step": None, "status": "open", "created_at": None}  # fmt: skip
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.EXCEPTIONS, "42", flag)])
    (row,) = station.exceptions.open_exceptions()
    assert (row.key, row.created_at) == ("ledger:42", clock())
    assert row.title == "Handed over after a cancel"
    assert "customer service" in row.next_step  # the table's, when the ledger gave none
