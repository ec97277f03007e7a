"""An exchange at the counter: the return and its replacement order, in ONE transaction.

Each replacement is scanned after the units coming back: the item from this station's
catalog, checked against what this store and the network can promise as last synced, less
what this station's exchanges still in the outbox promised (on this store's shelf, else
sent here, else refused). Finishing records the return exactly as
:mod:`.take` does and, in the same transaction, the ``exchange.order`` operation: a pickup
order at this store named by the station (its pickup code made here), which the ledger
routes and reserves when the counter syncs. Offline the order waits in the outbox with the
return; the slip prints all the same, and the order reaches Pickup once the ledger has it.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from app.domain.pickup_codes import PICKUP_CODE_DIGITS
from app.domain.returns.draft import ReturnDraft
from app.domain.returns.exchange import (
    EXCHANGE_ORDER,
    MAX_LINES,
    ExchangeOrder,
    ExchangeSlip,
    Replacement,
    check_replacement,
    exchange_lines,
    exchange_order_number,
    from_here_by_line,
    settle,
)
from app.domain.returns.receipt import METHOD_WORDS
from app.domain.stock import available_to_promise
from app.errors import KnownError, NotFound, RuleRefused
from app.services.printing import PrintService
from app.services.results import StaffSession
from app.services.returns.take import Recorded, record_in
from app.services.stock import items_for_code
from app.storage import catalog, device, outbox
from app.storage.engine import Database, raw_connection

WALK_IN = "Exchange customer"


@dataclass(frozen=True)
class Exchanged:
    """An exchange as recorded: the return, and the replacement order's slip."""

    recorded: Recorded
    slip: ExchangeSlip


def replacement_for(session: Session, code: str, taken: Sequence[Replacement]) -> Replacement:
    """The item ``code`` names as one more replacement, after ``taken``; ``NotFound`` or
    ``RuleRefused`` in the associate's words."""
    if len(taken) >= MAX_LINES:
        raise RuleRefused(
            f"An exchange takes at most {MAX_LINES} replacement units.",
            next_step="Ctrl+Enter to finish this exchange, then start another.",
        )
    conn = raw_connection(session)
    enrolment = device.enrolment(session)
    here_code = enrolment.location_code if enrolment else ""
    if not _hands_over_pickups(conn, here_code):
        raise RuleRefused(
            "This store does not hand over pickup orders, so a replacement cannot be ordered here.",
            next_step="Esc, then Ctrl+Enter to give the refund; the customer buys the "
            "replacement at the till.",
        )
    rows = items_for_code(conn, code.strip())
    if not rows:
        raise NotFound(
            f"{code.strip()} is not an item this store sells.",
            next_step="Scan the replacement's barcode, or type its SKU.",
        )
    item = rows[0]
    here = available_to_promise(
        item.sellable_on_hand, item.sellable_reserved, item.sellable_safety,
        count_due=item.count_due,
    )  # fmt: skip
    elsewhere = sum(
        max(0, n.available) for n in catalog.network(conn, item.id) if n.location_code != here_code
    )
    same = sum(1 for r in taken if r.sku == item.sku) + _units_waiting(conn, item.sku)
    from_here = check_replacement(item.name, here, elsewhere, same)
    return Replacement(item.sku, item.name, item.price_minor, from_here)


def _hands_over_pickups(conn: sqlite3.Connection, code: str) -> bool:
    """Whether the store ``code`` offers store pickup (``bopis``), as last synced: the
    ledger refuses a pickup order anywhere else (not known here yet: it may)."""
    row = conn.execute("SELECT capabilities FROM locations WHERE code = ?", (code,)).fetchone()
    if row is None or row[0] is None:
        return True
    return "bopis" in json.loads(row[0])


def _units_waiting(conn: sqlite3.Connection, sku: str) -> int:
    """Units of ``sku`` this station's exchanges promised that the ledger has not reserved
    yet (their orders wait in the outbox): the stock as last synced does not hold them, so
    they count as taken (offline, a station commits only what it knows minus its own)."""
    rows = conn.execute(
        "SELECT payload FROM outbox WHERE status = 'pending' AND type = ?", (EXCHANGE_ORDER,)
    ).fetchall()
    orders = (ExchangeOrder.from_payload(json.loads(payload)) for (payload,) in rows)
    return sum(line.quantity for order in orders for line in order.lines if line.sku == sku)


def record_exchange(
    db: Database,
    draft: ReturnDraft,
    replacements: Sequence[Replacement],
    staff: StaffSession,
    now: datetime,
) -> Exchanged:
    """Record the return ``draft`` and its ``replacements`` as one pickup order here (see
    the module docstring); refuses an exchange with nothing to replace before writing."""
    if not replacements:
        raise RuleRefused(
            "No replacement is scanned yet.",
            next_step="Scan the item the customer takes instead, or Esc to give the refund.",
        )
    with db.writing() as session:
        recorded = record_in(session, draft, staff, now)
        if recorded.held:  # nothing is kept: the whole transaction rolls back
            raise RuleRefused(
                "This counter has no credit note numbers left, so the refund cannot pay for "
                "a replacement now.",
                next_step="Sync the counter (it fetches more numbers) and try again, or Esc "
                "and Ctrl+Enter to take the return alone (its refund waits for a manager).",
            )
        settlement = settle(recorded.refund.total_minor, replacements)
        order = ExchangeOrder(
            location=recorded.location,
            return_id=recorded.return_id,
            order_number=exchange_order_number(recorded.location, recorded.return_id),
            pickup_code=f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}",
            customer_name=draft.order.customer or WALK_IN,
            lines=exchange_lines(replacements),
            refund_minor=settlement.refund_minor,
            replacement_minor=settlement.replacement_minor,
            from_here=from_here_by_line(replacements),
        )
        outbox.append(
            session,
            op_type=EXCHANGE_ORDER,
            payload=order.to_payload(),
            actor=staff.code,
            base_ledger_seq=int(device.sync_state(session).cursor),
            now=now,
        )
        store = catalog.location(raw_connection(session), recorded.location)
    slip = ExchangeSlip(
        store=store.name if store else recorded.location,
        order_number=order.order_number,
        pickup_code=order.pickup_code,
        credit_note=recorded.credit_note,
        on=recorded.on,
        replacements=tuple(replacements),
        settlement=settlement,
        refunded=METHOD_WORDS[recorded.method],
    )
    return Exchanged(recorded, slip)


def print_slip(printing: PrintService | None, slip: ExchangeSlip, staff_code: str) -> str:
    """Print the exchange slip on the sheet printer; what happened, in words."""
    if printing is None:
        return "Printing is off at this station: tell the customer the pickup code."
    try:
        sent = printing.print_exchange_slip(slip, staff_code=staff_code)
    except KnownError as exc:
        return f"The exchange slip did not print: {exc.message} Tell the customer the code."
    return f"Exchange slip: {sent.said.rstrip('.')}."
