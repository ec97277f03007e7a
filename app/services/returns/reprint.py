"""A return's prints made again from what this station recorded (issue #12: "F8 reprints").

Nothing is kept for a reprint alone: the ``return.intake`` operation in the outbox holds
the units by line (SKU, grade, disposition, reason, refund), the refund and the customer's
phone as recorded (and, without an order, the approving manager beside it), the
``credit_notes`` table the number and date, ``rma_units`` which unit each RMA id names, and
the cached order the invoice the credit note reverses. An exchange's slip comes again from
its ``exchange.order`` operation (the order, its pickup code, where each unit comes from,
the balance), each replacement named and priced from the catalog. The outbox keeps an
operation 30 days after the ledger confirms it (:func:`app.storage.outbox.prune`), longer
than a customer stands at the counter; a return older than that is said to be too old here.
The units are laid out again in their label order, so each RMA id names the same unit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from app.domain.labels import rma_id
from app.domain.returns.draft import ReturnDraft, TakenUnit
from app.domain.returns.exchange import EXCHANGE_ORDER, ExchangeOrder, ExchangeSlip
from app.domain.returns.grades import Disposition
from app.domain.returns.intake_op import RETURN_INTAKE, ReturnIntake
from app.domain.returns.no_order import UnitWithoutOrder
from app.domain.returns.put_away import BUCKET_OF
from app.domain.returns.receipt import METHOD_WORDS
from app.domain.returns.refund import RefundDue, RefundLine
from app.domain.returns.rma import return_reference
from app.domain.tax.invoice import share_out
from app.domain.tax.invoice_numbers import invoice_day
from app.errors import NotFound
from app.services.returns.no_order import RecordedWithoutOrder
from app.services.returns.prints import ReturnPrints, prints_without_order, return_prints
from app.services.returns.take import Recorded
from app.storage import catalog, credit_notes, sold_orders
from app.storage.engine import Database, raw_connection
from app.storage.types import from_text

UNKNOWN = "This return is not one this counter took, or it is too old to reprint here."
UNKNOWN_NEXT = "Reprint it at the counter that took it, or ask a manager for a copy from HQ."


class _Unit(Protocol):
    @property
    def sku(self) -> str: ...
    @property
    def disposition(self) -> Disposition: ...


U = TypeVar("U", bound=_Unit)


def reprints(db: Database, return_id: str) -> ReturnPrints:
    """The credit note (or return receipt) and RMA labels of ``return_id`` as they printed
    first; ``NotFound`` in words when this station holds no record of it."""
    with db.reading() as session:
        conn = raw_connection(session)
        found = _intake(conn, return_id)
        if found is None:
            raise NotFound(UNKNOWN, next_step=UNKNOWN_NEXT)
        intake, on, approver = found
        kept = credit_notes.credit_note_of(conn, return_id)
        number, on = kept if kept is not None else ("", on)
        count = sum(line.quantity for line in intake.lines)
        placed = _placed(conn, return_id, return_reference(number, return_id), count)
        recorded: Recorded | RecordedWithoutOrder = (
            _without_order(conn, intake, number, on, placed, approver)
            if intake.order is None
            else _with_order(conn, intake, number, on, placed)
        )
    if isinstance(recorded, RecordedWithoutOrder):
        return prints_without_order(db, recorded)
    return return_prints(db, recorded)


def exchange_slip(db: Database, return_id: str) -> ExchangeSlip | None:
    """The exchange slip of ``return_id`` as it printed first (names and prices as the
    catalog has them now), or None when the return was no exchange, or the ledger refused
    its order (a slip would send the customer for a pickup that does not exist)."""
    with db.reading() as session:
        conn = raw_connection(session)
        row = conn.execute(
            "SELECT payload FROM outbox WHERE type = ? AND status != 'rejected' "
            "AND json_extract(payload, '$.return_id') = ?",
            (EXCHANGE_ORDER, return_id),
        ).fetchone()
        found = _intake(conn, return_id) if row is not None else None
        if row is None or found is None:
            return None
        order = ExchangeOrder.from_payload(json.loads(row[0]))
        intake, on, _ = found
        number, on = credit_notes.credit_note_of(conn, return_id) or ("", on)
        named = {x.sku: _named(conn, x.sku) for x in order.lines}
        store = catalog.location(conn, order.location)
    return ExchangeSlip(
        store=store.name if store else order.location,
        order_number=order.order_number,
        pickup_code=order.pickup_code,
        credit_note=number,
        on=on,
        replacements=order.replacements(named),
        settlement=order.settlement,
        refunded=METHOD_WORDS[intake.refund.method],
    )


def _named(conn: sqlite3.Connection, sku: str) -> tuple[str, int]:
    """The item's name and price from the catalog (the SKU and no price when gone)."""
    rows = catalog.by_sku(conn, sku)
    return (rows[0].name, rows[0].price_minor) if rows else (sku, 0)


def _intake(conn: sqlite3.Connection, return_id: str) -> tuple[ReturnIntake, date, str] | None:
    """The return's operation as queued here, its store day, and the manager who approved
    it ("" for a return with an order: none needs one)."""
    row = conn.execute(
        "SELECT payload, device_time, json_extract(approval, '$.approver') FROM outbox "
        "WHERE type = ? AND json_extract(payload, '$.return_id') = ?",
        (RETURN_INTAKE, return_id),
    ).fetchone()
    if row is None:
        return None
    intake = ReturnIntake.from_payload(json.loads(row[0]))
    return intake, invoice_day(from_text(row[1])), str(row[2] or "")


def _placed(conn: sqlite3.Connection, return_id: str, reference: str, count: int) -> dict[int, str]:
    """The SKU of each of the ``count`` units (by its number on the labels) kept for
    put-away (a scrapped unit is kept nowhere)."""
    rows = conn.execute("SELECT rma_id, sku FROM rma_units WHERE return_id = ?", (return_id,))
    kept = {str(rma): str(sku) for rma, sku in rows}
    numbered = {rma_id(reference, n): n for n in range(1, count + 1)}
    return {numbered[rma]: sku for rma, sku in kept.items() if rma in numbered}


def in_label_order(units: Sequence[U], placed: dict[int, str]) -> list[U]:
    """``units`` (grouped by line) in the order their labels were numbered: each unit kept
    for put-away at its RMA number, a scrapped one at a number kept nowhere. As grouped
    when the record does not fit (it always should)."""
    free = sorted(set(range(1, len(units) + 1)) - set(placed))
    slots: dict[str, list[int]] = {}
    for n, sku in sorted(placed.items()):
        slots.setdefault(sku, []).append(n)
    at: dict[int, U] = {}
    for unit in units:
        numbers = slots.get(unit.sku, []) if unit.disposition in BUCKET_OF else free
        if not numbers:
            return list(units)
        at[numbers.pop(0)] = unit
    if sorted(at) != list(range(1, len(units) + 1)):
        return list(units)
    return [at[n] for n in sorted(at)]


def _with_order(
    conn: sqlite3.Connection,
    intake: ReturnIntake,
    number: str,
    on: date,
    placed: dict[int, str],
) -> Recorded:
    """The return as it was recorded: its units in label order, the recorded refund."""
    orders = sold_orders.by_number(conn, [intake.order or ""])
    if not orders:
        raise NotFound(UNKNOWN, next_step=UNKNOWN_NEXT)
    order = orders[0]
    index = {line.line_no: i for i, line in enumerate(order.lines)}
    pairs: list[_Paid] = []
    for line in intake.lines:
        shares = share_out(line.refund_minor, [1] * line.quantity)
        taken = TakenUnit(line.line_no or 0, line.grade, line.disposition, line.reason)
        pairs += [_Paid(taken, line.sku, share) for share in shares]
    pairs = in_label_order(pairs, placed)
    fee = intake.refund.restocking_fee_minor
    lines = tuple(
        RefundLine(index.get(p.unit.line_no, 0), 1, p.refund + (fee if n == 0 else 0),
                   fee if n == 0 else 0)
        for n, p in enumerate(pairs)
    )  # fmt: skip
    draft = ReturnDraft(order, tuple(p.unit for p in pairs), intake.refund.method, intake.parcel)
    refund = RefundDue(lines, intake.refund.shipping_minor)
    return Recorded(intake.return_id, draft, refund, intake.refund.method, number, "",
                    intake.location, on, "")  # fmt: skip


@dataclass(frozen=True)
class _Paid:
    """A unit of a return with an order, and its share of its line's refund."""

    unit: TakenUnit
    sku: str
    refund: int

    @property
    def disposition(self) -> Disposition:
        return self.unit.disposition


def _without_order(
    conn: sqlite3.Connection,
    intake: ReturnIntake,
    number: str,
    on: date,
    placed: dict[int, str],
    approver: str,
) -> RecordedWithoutOrder:
    """A return without an order as it was recorded, its units named from the catalog."""
    units: list[UnitWithoutOrder] = []
    for line in intake.lines:
        rows = catalog.by_sku(conn, line.sku)
        item_id, name = (rows[0].id, rows[0].name) if rows else (0, line.sku)
        shares = share_out(line.refund_minor, [1] * line.quantity)
        units += [UnitWithoutOrder(item_id, line.sku, name, line.grade, line.disposition,
                                   line.reason, share) for share in shares]  # fmt: skip
    ordered = tuple(in_label_order(units, placed))
    return RecordedWithoutOrder(intake.return_id, ordered, intake.refund.total_minor, number,
                                "", approver, "", intake.customer_phone or "", on)  # fmt: skip
