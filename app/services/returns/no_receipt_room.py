"""What a customer can still get back without a receipt, asked of the ledger before a
counter takes such a return (network worker: it waits on the network and writes the cache
only once the ledger has answered).

The ledger answers the customer's returns without an order at every store in the limit's
period; they are kept in the cache by phone (:mod:`app.storage.no_receipt_seen`), so the
return recorded next (:mod:`.no_order`) counts them with this station's own. Offline, or
when the ledger cannot answer, only this counter's returns count, as before.
"""

from __future__ import annotations

from datetime import datetime

from app.domain.money import Money
from app.domain.returns.no_receipt import NoReceiptLimit, NoReceiptReturn, room_left
from app.domain.tax.invoice_numbers import invoice_day
from app.errors import Offline
from app.services.returns.no_order import LIMIT, earlier_returns
from app.services.returns.results import NoReceiptRoom
from app.storage import no_receipt_seen
from app.storage.engine import Database, raw_connection
from app.sync.client import LedgerClient, LedgerRefused
from app.sync.return_orders import NoReceiptHistory

OFFLINE = "Offline: only this counter's returns count toward the limit."


def ask_history(client: LedgerClient, key: str, by: str) -> NoReceiptHistory | None:
    """The ledger's answer for the phone ``key`` (None when it cannot be reached or does
    not answer it: an older ledger, a location without returns)."""
    try:
        return client.no_receipt_history(key, by)
    except (Offline, LedgerRefused):
        return None


def room_after(
    db: Database,
    key: str,
    history: NoReceiptHistory | None,
    now: datetime,
    limit: NoReceiptLimit = LIMIT,
) -> NoReceiptRoom:
    """Keep the ledger's ``history`` (when it answered) and say what the customer ``key``
    can still get back, counting as a return without an order is recorded."""
    with db.writing() as session:
        conn = raw_connection(session)
        if history is not None:
            listed = [(t.return_id, NoReceiptReturn(t.total_minor, t.on)) for t in history.returns]
            no_receipt_seen.keep(conn, key, now, listed)
        earlier = earlier_returns(conn, key)
    left = room_left(limit, earlier, invoice_day(now))
    return NoReceiptRoom(left, limit.limit_minor, history is not None,
                         room_words(left, limit, at_ledger=history is not None))  # fmt: skip


def room_words(left_minor: int, limit: NoReceiptLimit, *, at_ledger: bool) -> str:
    """E.g. "₹2,000.00 of the ₹5,000.00 limit left for this customer (30 days, every
    store)."; offline it says only this counter's returns count."""
    left, most = Money(left_minor).format(), Money(limit.limit_minor).format()
    if at_ledger:
        return (
            f"{left} of the {most} limit left for this customer "
            f"({limit.period_days} days, every store)."
        )
    return f"{OFFLINE[:-1]}: {left} of {most} left."
