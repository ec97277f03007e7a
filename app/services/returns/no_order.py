"""Recording a return taken without an order (no receipt, or offline with no order found),
in ONE transaction.

A manager approved it at the counter (their code and PIN, checked here, offline). The
customer is known by phone: what this station already took back for the same phone in
the period counts against the limit, and so do every store's returns the ledger answered
when the counter asked last (:mod:`.no_receipt_room`), each return once; a return over it
is refused with what is left. Offline, with nothing asked, other stores' returns are not
known here; the ledger counts them all and holds the refund of one that goes over (it
never refuses it: the unit is in the store). The
operation carries no order, the phone key, and the manager's approval (a fresh id, so
the ledger can see it used once). Stock moves here at once, and the refund, as store
credit, gets a credit note number from this station's series as any return does; each
unit is kept by its RMA id, so it is put away by scan as any returned unit is.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.domain.labels import rma_id
from app.domain.pickup_codes import normalise_phone
from app.domain.returns.intake_op import RETURN_INTAKE, Refund, ReturnIntake, ReturnLine
from app.domain.returns.lookup import PHONE_DIGITS
from app.domain.returns.no_order import UnitWithoutOrder, refund_total
from app.domain.returns.no_receipt import NoReceiptLimit, NoReceiptReturn, check_no_receipt
from app.domain.returns.put_away import BUCKET_OF
from app.domain.returns.refund_rules import RefundMethod
from app.domain.returns.rma import return_reference
from app.domain.stock import Bucket
from app.domain.tax.invoice_numbers import invoice_day
from app.errors import BadInput, NotEnrolled, RuleRefused
from app.services.results import StaffSession
from app.services.returns.take import (
    bucket_effects,
    credit_note_or_wait,
    new_return_id,
    queue_return,
)
from app.storage import device, no_receipt_seen, rma_units
from app.storage.engine import Database, raw_connection
from app.storage.types import from_text

LIMIT = NoReceiptLimit()  # a per-retailer setting may replace it; the ledger counts the same


@dataclass(frozen=True)
class RecordedWithoutOrder:
    """A return without an order as recorded: what prints and what the counter says."""

    return_id: str
    units: tuple[UnitWithoutOrder, ...]
    total_minor: int
    credit_note: str  # "" when none was left: the refund waits
    held: str  # why the refund waits, in the associate's words; "" when it does not
    approver: str  # the manager's staff code
    op_id: str
    customer_phone: str  # the phone key (10 digits)
    on: date  # the store day in India


def phone_key(phone: str) -> str:
    """The customer's phone as returns are counted by; ``BadInput`` when it is not one."""
    key = normalise_phone(phone)
    if len(key) != PHONE_DIGITS:
        raise BadInput(
            "A return without a receipt needs the customer's mobile number.",
            next_step=f"Key the customer's {PHONE_DIGITS}-digit mobile number.",
        )
    return key


def record_without_order(
    db: Database,
    units: Sequence[UnitWithoutOrder],
    phone: str,
    approver: str,
    staff: StaffSession,
    now: datetime,
    limit: NoReceiptLimit = LIMIT,
) -> RecordedWithoutOrder:
    """Record ``units`` taken back for the customer ``phone`` with ``approver``'s approval
    (see the module docstring); refuses an empty return or one over the limit before
    anything is written."""
    if not units:
        raise RuleRefused("Nothing is in this return yet.", next_step="Scan each item coming back.")
    key, total = phone_key(phone), refund_total(units)
    with db.writing() as session:
        conn = raw_connection(session)
        return_id = new_return_id(conn)
        enrolment = device.enrolment(session)
        if enrolment is None:
            raise NotEnrolled(
                "This counter is not set up with a store yet, so it cannot take returns."
            )
        earlier = earlier_returns(conn, key)
        check_no_receipt(limit, earlier, total, today=invoice_day(now), manager_approved=True)
        number, held = credit_note_or_wait(conn, return_id, now, total)
        intake = ReturnIntake(
            location=enrolment.location_code, return_id=return_id, order=None,
            lines=intake_lines(units), refund=Refund(RefundMethod.STORE_CREDIT, 0, 0, total),
            credit_note=number or None, customer_phone=key,
        )  # fmt: skip
        effects = bucket_effects((unit.item_id, unit.disposition) for unit in units)
        approval = {"approver": approver, "approval_id": uuid.uuid4().hex}
        appended = queue_return(session, intake, staff, now, effects, approval)
        rma_units.keep(conn, return_id, waiting_units(units, return_reference(number, return_id)))
    return RecordedWithoutOrder(
        return_id, tuple(units), total, number, held, approver, appended.op_id, key,
        invoice_day(now),
    )  # fmt: skip


def waiting_units(
    units: Sequence[UnitWithoutOrder], reference: str
) -> list[tuple[str, str, Bucket]]:
    """(RMA id, SKU, bucket) of each unit to put away, numbered as its label prints (every
    unit, in the order taken); a scrapped unit is written off and waits nowhere."""
    return [
        (rma_id(reference, n), unit.sku, BUCKET_OF[unit.disposition])
        for n, unit in enumerate(units, start=1)
        if unit.disposition in BUCKET_OF
    ]


def earlier_returns(conn: sqlite3.Connection, key: str) -> list[NoReceiptReturn]:
    """The earlier returns without an order for the phone ``key`` that count toward its
    limit: every store's as the ledger answered last (none when never asked), and this
    station's own that the ledger had not applied then (a return is named by its id in
    both, so none counts twice)."""
    at_ledger = no_receipt_seen.seen(conn, key)
    here = [back for rid, back in taken_here(conn, key) if rid not in at_ledger]
    return [*at_ledger.values(), *here]


def taken_here(conn: sqlite3.Connection, key: str) -> list[tuple[str, NoReceiptReturn]]:
    """This station's earlier returns without an order for the phone ``key``, sent or not
    (as long as the outbox keeps them), each with its return id."""
    rows = conn.execute(
        "SELECT payload, device_time FROM outbox WHERE type = ? "
        "AND json_extract(payload, '$.order') IS NULL "
        "AND json_extract(payload, '$.customer_phone') = ?",
        (RETURN_INTAKE, key),
    ).fetchall()
    earlier = []
    for payload, device_time in rows:
        body = json.loads(payload)
        total = int(body["refund"]["total_minor"])
        day = invoice_day(from_text(device_time))
        earlier.append((str(body["return_id"]), NoReceiptReturn(total, day)))
    return earlier


def intake_lines(units: Sequence[UnitWithoutOrder]) -> tuple[ReturnLine, ...]:
    """One line per item, grade, disposition and reason, in the order first taken."""
    first: dict[tuple[str, str, str, str], UnitWithoutOrder] = {}
    count: Counter[tuple[str, str, str, str]] = Counter()
    paid: Counter[tuple[str, str, str, str]] = Counter()
    for unit in units:
        key = (unit.sku, unit.grade.value, unit.disposition.value, unit.reason)
        first.setdefault(key, unit)
        count[key] += 1
        paid[key] += unit.refund_minor
    return tuple(
        ReturnLine(None, u.sku, count[key], u.grade, u.disposition, u.reason, paid[key])
        for key, u in first.items()
    )
