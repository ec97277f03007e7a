"""One row per cause: refusals with the same reason on one order are one row, a different
reason is another; an operation the ledger could not record and the "not recorded" flag
it opened for it are one row."""

from __future__ import annotations

from typing import Any

from app.domain import exception_texts as texts
from app.services.station import Station
from app.storage import outbox
from app.storage.engine import raw_connection
from app.sync import mirror
from app.sync.protocol import Scope
from tests.services.conftest import Clock

BAD_BIN = "Bin Z-9 is not a hold-shelf bin of this store."


def refused(
    station: Station, clock: Clock, op_type: str, payload: dict[str, Any], reason: str
) -> str:
    """Queue one operation and record the ledger's refusal of it; returns its op_id."""
    with station.db.writing() as session:
        op = outbox.append(
            session, op_type=op_type, payload=payload, actor="A100", base_ledger_seq=0, now=clock()
        )
        result = {"reason": reason, "next_step": "Scan a hold-shelf bin."}
        outcome = outbox.OpOutcome(op.op_id, op.device_seq, "rejected", None, result)
        outbox.record_outcomes(session, [outcome], clock())
    return op.op_id


def test_the_same_refusal_twice_on_one_order_is_one_row(station: Station, clock: Clock) -> None:
    stage = {"location": "BLR-01", "fulfilment_id": 99, "bin": "Z-9"}
    first = refused(station, clock, "pickup.stage", stage, BAD_BIN)
    clock.advance(60)
    second = refused(station, clock, "pickup.stage", stage, BAD_BIN)
    other = refused(station, clock, "pickup.ready", {**stage, "lines": []}, "Not staged yet.")

    rows = station.exceptions.open_exceptions()
    assert [r.members for r in rows] == [(f"op:{first}", f"op:{second}"), (f"op:{other}",)]
    assert rows[0].kind == texts.STEP_REFUSED and rows[0].title == "Step not recorded"
    assert BAD_BIN in rows[0].detail and "staging on the hold shelf" in rows[0].detail
    assert rows[0].detail.count(BAD_BIN) == 1  # the same words once
    assert rows[0].next_step.startswith("Scan a hold-shelf bin.")
    assert rows[0].age_s == 60 and station.status.status().open_exceptions == 2

    lead = station.auth.login_pin("L200", "2222")
    station.exceptions.resolve(lead, rows[0].key, "staged it on H-01")
    assert [r.key for r in station.exceptions.open_exceptions()] == [f"op:{other}"]


def test_not_recorded_and_its_flag_are_one_row(station: Station, clock: Clock) -> None:
    op_id = refused(
        station, clock, "stock.count",
        {"location": "BLR-01", "sku": "SKU-0003", "bucket": "sellable", "observed": 2},
        "The ledger could not record this count. Nothing of it was applied; tell your IT "
        "team: DataError.",
    )  # fmt: skip
    flag = {
        "id": 7, "kind": texts.NOT_RECORDED, "op_id": op_id, "status": "open",
        "message": "The ledger could not record operation 1 (stock.count).",
        "next_step": "Ask IT.", "created_at": None, "order_number": None, "sku": None,
    }  # fmt: skip
    with station.db.writing() as session:
        mirror.apply_changes(raw_connection(session), [(Scope.EXCEPTIONS, "7", flag)])

    (row,) = station.exceptions.open_exceptions()
    assert row.kind == texts.NOT_RECORDED and row.members == (f"op:{op_id}", "ledger:7")
    assert row.title == "Not recorded by the ledger" and row.ledger_flag
    assert "count of" in row.detail and "For IT support: DataError." in row.detail
    assert row.sku == "SKU-0003" and "SKU-0003" in row.about

    lead = station.auth.login_pin("L200", "2222")
    station.exceptions.resolve(lead, row.key, "counted again")
    assert station.exceptions.open_exceptions() == []
    with station.db.reading() as session:
        queued = outbox.pending_batch(session, 10)
    assert [(q.type, q.payload["exception_id"]) for q in queued] == [("exception.resolve", 7)]
