"""Returns end to end on a real ledger wired to the carrier simulator: orders sold on
every channel and shipped or collected as the ledger records it, carrier events that
deliver a parcel or send it back to origin, a return taken at a real station by the
same calls the return screen makes, and probes of what the ledger and stations hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from app.domain.returns.draft import ReturnDraft, TakenUnit, line_for_scan
from app.domain.returns.grades import Disposition, Grade
from app.domain.returns.intake_op import RETURN_INTAKE
from app.ledger.seed_ship_orders import KORAMANGALA
from app.services.results import StaffSession
from app.services.station import Station
from app.storage import device
from app.storage import outbox as outbox_store
from app.sync.client import LedgerClient
from app.sync.protocol import OpResult
from app.sync.pushing import on_the_wire
from tests.ledger.bench_support import Bench, bin_lines, new_sscc
from tests.ledger.ship_support import fulfilments_of, ship_order
from tests.support.bench_steps import outbox
from tests.support.carrier_ledger import TOKEN
from tests.support.carrier_sim import CODE
from tests.support.ledger import INTAKE_TOKEN, RunningLedger
from tests.sync.stations import FAST

STAFF = StaffSession(1, "A100", "Asha Rao", "associate", datetime.now(UTC))


@dataclass(frozen=True)
class Shipped:
    """A ship order packed into one parcel of carrier SWIFT."""

    number: str
    fulfilment_id: int
    location: str
    sscc: str
    tracking: str


def shipped_order(
    ledger: RunningLedger, number: str, lines: list[tuple[str, int]], **extra: Any
) -> Shipped:
    """A ship order (``extra``: its channel, charges, customer …) picked and packed at the
    one location that stocks its items, into one SWIFT parcel."""
    ledger.place_order(ship_order(number, lines, KORAMANGALA, **extra))
    (fo,) = fulfilments_of(ledger, number)
    fid, location = int(fo["id"]), str(fo["location"])
    bench = Bench(ledger, location)
    sscc = new_sscc()
    box = {
        "sscc": sscc, "box": "BOX-S", "weight_g": 600, "expected_g": 600,
        "lines": [{"sku": s, "quantity": q} for s, q in lines], "carrier": CODE,
        "tracking": f"SW{sscc[-10:]}",
    }  # fmt: skip
    steps = [
        bench.step("ship.pick", fid, lines=bin_lines(*lines), tote="PB-1-T1"),
        bench.step("ship.pack", fid, parcel=box),
    ]
    results = bench.send(*steps)
    assert [r["status"] for r in results] == ["applied"] * 2, results
    return Shipped(number, fid, location, sscc, str(box["tracking"]))


def carrier_says(ledger: RunningLedger, parcel: Shipped, event: str, at: datetime) -> None:
    """SWIFT's webhook tells the ledger ``event`` (shipped, delivered, rto …) of ``parcel``."""
    body = {
        "seq": None, "tracking": parcel.tracking, "idempotency_key": parcel.sscc,
        "event": event, "at": at.isoformat(), "place": "Hub",
    }  # fmt: skip
    answer = requests.post(
        f"{ledger.url}/v1/carriers/{CODE}/events?token={TOKEN}", json=body, timeout=30
    )
    assert answer.status_code == 202 and answer.json() == {"status": "applied"}, answer.text


def till_sale(
    ledger: RunningLedger, receipt: str, lines: list[tuple[str, int]], location: str
) -> None:
    """A walk-in sale at ``location`` yesterday, by card, at ₹800 a unit, as the till sends it."""
    body = {
        "receipt": receipt, "location": location,
        "sold_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        "lines": [{"sku": s, "quantity": q, "unit_paid_minor": 80_000} for s, q in lines],
        "payment": "card", "customer_phone": "+91 99000 77777",
    }  # fmt: skip
    answer = requests.post(
        f"{ledger.url}/v1/sales",
        json=body,
        headers={"Authorization": f"Bearer {INTAKE_TOKEN}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def draft_for(found: ReturnDraft, units: list[tuple[str, Grade, Disposition, str]]) -> ReturnDraft:
    """``found`` with each unit scanned (by SKU) and graded, as the screen builds it."""
    draft = found
    for code, grade, disposition, reason in units:
        line = line_for_scan(draft, code, datetime.now(UTC))
        draft = draft.with_unit(TakenUnit(line.line_no, grade, disposition, reason))
    return draft


def balances(ledger: RunningLedger, location: str, sku: str) -> dict[str, int]:
    """On hand per bucket of ``sku`` at ``location`` in the ledger (empty buckets left out)."""
    rows = ledger.sql(
        "SELECT b.bucket, b.on_hand FROM stock_balances b JOIN items i ON i.id = b.item_id "
        "JOIN locations l ON l.id = b.location_id WHERE i.sku = :s AND l.code = :l",
        {"s": sku, "l": location},
    )
    return {str(bucket): int(n) for bucket, n in rows if n}


def return_rows(ledger: RunningLedger, return_id: str) -> tuple[tuple[Any, ...], list[Any]]:
    """The ledger's ``returns`` row (order, location, parcel, total, refund state, credit
    note) and its lines (line no, sku, quantity, grade, disposition, refund)."""
    (head,) = ledger.sql(
        "SELECT r.order_number, l.code, r.parcel, r.total_minor, r.refund_state, "
        "r.credit_note FROM returns r JOIN locations l ON l.id = r.location_id "
        "WHERE r.return_id = :r",
        {"r": return_id},
    )
    lines = ledger.sql(
        "SELECT x.line_no, x.sku, x.quantity, x.grade, x.disposition, x.refund_minor "
        "FROM return_lines x JOIN returns r ON r.id = x.return_id WHERE r.return_id = :r "
        "ORDER BY x.id",
        {"r": return_id},
    )
    return tuple(head), [tuple(x) for x in lines]


def exceptions_of(ledger: RunningLedger, order: str) -> list[tuple[str, str]]:
    """(kind, status) of the exceptions about ``order`` that a return opened."""
    rows = ledger.sql(
        "SELECT e.kind, e.status FROM exceptions e JOIN returns r ON r.op_id = e.op_id "
        "WHERE r.order_number = :o ORDER BY e.id",
        {"o": order},
    )
    return [(str(k), str(s)) for k, s in rows]


def unsent(station: Station) -> list[str]:
    """The types of the station's operations still waiting to go to the ledger."""
    return [kind for _, kind, status, _ in outbox(station) if status == "pending"]


def queued_intakes(station: Station) -> list[outbox_store.QueuedOp]:
    """The station's ``return.intake`` operations still waiting to go, as a push sends them."""
    with station.db.reading() as session:
        return [op for op in outbox_store.pending_batch(session, 50) if op.type == RETURN_INTAKE]


def push_again(station: Station, op: outbox_store.QueuedOp) -> OpResult:
    """Send ``op`` to the ledger once more, as a station that never heard the answer does."""
    with station.db.reading() as session:
        enrolment = device.enrolment(session)
    assert enrolment is not None
    client = LedgerClient(
        enrolment.ledger_url, token=device.read_token(station.data_dir), settings=FAST
    )
    try:
        (result,) = client.push(enrolment.device_id, [on_the_wire(op)]).results
    finally:
        client.close()
    return result
