"""Recording a return taken at the counter, in ONE transaction.

The units are in the store, so once the associate finishes the return it is recorded:
its refund due (the draft's, by the same rules the ledger and the credit note use), a
credit note number from this station's series (none left: the refund waits, the return is
still recorded), the ``return.intake`` operation in the outbox with its local stock
effect per bucket (units back in sellable show in the stock lookup at once), and each
unit counted as returned in the cache, so the same unit is refused if scanned back again,
and each unit kept by the RMA id its label prints, for its put-away by scan.
Printing happens after the commit (:mod:`.prints`): a print failure never loses a return.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain.labels import rma_id
from app.domain.reasons import ReasonUse
from app.domain.returns.draft import ReturnDraft, TakenUnit, method_of, refund_of
from app.domain.returns.grades import Disposition, stock_moves
from app.domain.returns.intake_op import RETURN_INTAKE, Refund, ReturnIntake, ReturnLine
from app.domain.returns.put_away import BUCKET_OF
from app.domain.returns.quantities import EarlierReturn
from app.domain.returns.refund import RefundDue
from app.domain.returns.refund_rules import RefundMethod
from app.domain.returns.rma import return_reference, short_return_id
from app.domain.stock import Bucket
from app.domain.tax.invoice_numbers import financial_year, invoice_day, year_text
from app.errors import NotEnrolled, RuleRefused
from app.services.results import StaffSession
from app.services.returns.credit_notes import OutOfCreditNoteNumbers, take_credit_note_number
from app.storage import catalog, device, outbox, reasons, rma_units, sold_orders
from app.storage.engine import Database, raw_connection
from app.storage.types import from_text


@dataclass(frozen=True)
class Recorded:
    """A return as it was recorded: what prints and what the counter says come from it."""

    return_id: str
    draft: ReturnDraft
    refund: RefundDue
    method: RefundMethod
    credit_note: str  # "" when none was left: the refund waits
    held: str  # why the refund waits, in the associate's words; "" when it does not
    location: str
    on: date  # the store day in India
    op_id: str


def record_return(db: Database, draft: ReturnDraft, staff: StaffSession, now: datetime) -> Recorded:
    """Record ``draft`` taken by ``staff`` (see the module docstring); refuses an empty
    return, or a reason not of the retailer's return reasons, before anything is written."""
    with db.writing() as session:
        return record_in(session, draft, staff, now)


def record_in(session: Session, draft: ReturnDraft, staff: StaffSession, now: datetime) -> Recorded:
    """:func:`record_return` inside the caller's transaction (an exchange records its
    replacement order in the same one)."""
    if not draft.units:
        raise RuleRefused("Nothing is in this return yet.", next_step="Scan each item coming back.")
    refund, method = refund_of(draft), method_of(draft)
    on = invoice_day(now)
    conn = raw_connection(session)
    check_reasons(conn, (unit.reason for unit in draft.units))
    return_id = new_return_id(conn)
    enrolment = device.enrolment(session)
    if enrolment is None:
        raise NotEnrolled("This counter is not set up with a store yet, so it cannot take returns.")
    number, held = credit_note_or_wait(conn, return_id, now, refund.total_minor)
    intake = ReturnIntake(
        location=enrolment.location_code,
        return_id=return_id,
        order=draft.order.order_number,
        lines=intake_lines(draft, refund),
        refund=Refund(method, refund.shipping_minor, refund.restocking_fee_minor,
                      refund.total_minor),
        parcel=draft.parcel,
        credit_note=number or None,
    )  # fmt: skip
    appended = queue_return(session, intake, staff, now, stock_effects(conn, draft))
    rma_units.keep(conn, return_id, waiting_units(draft, return_reference(number, return_id)))
    per_line = Counter(unit.line_no for unit in draft.units)
    for line_no, units in per_line.items():
        back = EarlierReturn(units, enrolment.location_code, on)
        sold_orders.count_returned(conn, draft.order.order_number, line_no, back)
    return Recorded(
        return_id, draft, refund, method, number, held, enrolment.location_code, on,
        appended.op_id,
    )  # fmt: skip


def waiting_units(draft: ReturnDraft, reference: str) -> list[tuple[str, str, Bucket]]:
    """(RMA id, SKU, bucket) of each unit to put away, numbered as its label prints
    (:func:`app.domain.returns.rma.rma_labels`: every unit, in the order taken); a
    scrapped unit is written off and waits nowhere."""
    return [
        (rma_id(reference, n), _sku(draft, unit.line_no), BUCKET_OF[unit.disposition])
        for n, unit in enumerate(draft.units, start=1)
        if unit.disposition in BUCKET_OF
    ]


def rma_ids(recorded: Recorded) -> tuple[str, ...]:
    """The RMA id of every unit of a recorded return, as its labels print them."""
    reference = return_reference(recorded.credit_note, recorded.return_id)
    return tuple(rma_id(reference, n) for n in range(1, len(recorded.draft.units) + 1))


def check_reasons(conn: sqlite3.Connection, codes: Iterable[str]) -> None:
    """Refuse a reason that is not one of the retailer's return reasons, before anything
    of the return is written (with an order or without)."""
    known = {reason.code for reason in reasons.choices(conn, ReasonUse.RETURN)}
    for code in codes:
        if code not in known:
            raise RuleRefused(
                f"'{code}' is not one of the return reasons.",
                next_step="Choose the customer's reason from the list.",
            )


def new_return_id(conn: sqlite3.Connection) -> str:
    """A new return id (32 hex digits) whose short id no unit kept here starts with, so
    the RMA ids of a return waiting for its credit note are this station's alone."""
    while True:
        return_id = uuid.uuid4().hex
        if not rma_units.reference_kept(conn, short_return_id(return_id)):
            return return_id


def count_unsent(conn: sqlite3.Connection, order_number: str) -> None:
    """Count again the units of ``order_number`` returned here whose return the ledger has
    not confirmed yet, after its answer (which cannot know them) replaced the cached ones:
    a unit taken here stays refused here until the ledger counts it."""
    rows = conn.execute(
        "SELECT payload, device_time FROM outbox WHERE status = 'pending' AND type = ? "
        "AND json_extract(payload, '$.order') = ? ORDER BY device_seq",
        (RETURN_INTAKE, order_number),
    ).fetchall()
    for payload, device_time in rows:
        intake = ReturnIntake.from_payload(json.loads(payload))
        on = invoice_day(from_text(device_time))
        per_line = Counter[int]()
        for line in intake.lines:
            if line.line_no is not None:
                per_line[line.line_no] += line.quantity
        for line_no, units in per_line.items():
            back = EarlierReturn(units, intake.location, on)
            sold_orders.count_returned(conn, order_number, line_no, back)


def credit_note_or_wait(
    conn: sqlite3.Connection, return_id: str, now: datetime, total_minor: int
) -> tuple[str, str]:
    """The return's credit note number (none for a return that refunds nothing), and why
    the refund waits when no number is left."""
    if total_minor <= 0:
        return "", ""
    try:
        return take_credit_note_number(conn, return_id, now), ""
    except OutOfCreditNoteNumbers:
        year = financial_year(invoice_day(now))
        return "", (
            f"This counter has no credit note numbers left for {year}-{year_text(year)[2:]}, "
            "so no credit note is printed. Sync the counter (it fetches more numbers) and "
            "call a manager about the refund."
        )


def intake_lines(draft: ReturnDraft, refund: RefundDue) -> tuple[ReturnLine, ...]:
    """One line per order line, grade, disposition and reason, in the order first taken:
    its units and their refund (the refund's lines follow the draft's units)."""
    first: dict[tuple[int, str, str, str], TakenUnit] = {}
    units: Counter[tuple[int, str, str, str]] = Counter()
    paid: Counter[tuple[int, str, str, str]] = Counter()
    for unit, due in zip(draft.units, refund.lines, strict=True):
        key = _key(unit)
        first.setdefault(key, unit)
        units[key] += 1
        paid[key] += due.refund_minor
    return tuple(
        ReturnLine(u.line_no, _sku(draft, u.line_no), units[key], u.grade, u.disposition,
                   u.reason, paid[key])
        for key, u in first.items()
    )  # fmt: skip


def _sku(draft: ReturnDraft, line_no: int) -> str:
    line = draft.order.line(line_no)
    return line.sku if line is not None else ""


def _key(unit: TakenUnit) -> tuple[int, str, str, str]:
    return (unit.line_no, unit.grade.value, unit.disposition.value, unit.reason)


def queue_return(
    session: Session,
    intake: ReturnIntake,
    staff: StaffSession,
    now: datetime,
    effects: tuple[outbox.Effect, ...],
    approval: dict[str, str] | None = None,
) -> outbox.Appended:
    """Put the ``return.intake`` in the outbox with its stock effects here (and, for a
    return without an order, the manager's approval the ledger checks again)."""
    return outbox.append(
        session,
        op_type=RETURN_INTAKE,
        payload=intake.to_payload(),
        actor=staff.code,
        base_ledger_seq=int(device.sync_state(session).cursor),
        now=now,
        effects=effects,
        approval=approval,
    )


def stock_effects(conn: sqlite3.Connection, draft: ReturnDraft) -> tuple[outbox.Effect, ...]:
    """What the units do to stock here until the ledger confirms the return; an item this
    station's catalog does not hold moves nothing here (the ledger moves it)."""
    found = []
    for unit in draft.units:
        sku = _sku(draft, unit.line_no)
        rows = catalog.by_sku(conn, sku) if sku else []
        if rows:
            found.append((rows[0].id, unit.disposition))
    return bucket_effects(found)


def bucket_effects(units: Iterable[tuple[int, Disposition]]) -> tuple[outbox.Effect, ...]:
    """Units (item id, disposition) as the ledger will move them
    (:func:`app.domain.returns.grades.stock_moves`), summed per bucket."""
    deltas: Counter[tuple[int, str]] = Counter()
    for item_id, disposition in units:
        for move in stock_moves(disposition, 1):
            deltas[(item_id, move.bucket.value)] += move.quantity
    return tuple(
        outbox.Effect(item, bucket, delta) for (item, bucket), delta in deltas.items() if delta
    )
