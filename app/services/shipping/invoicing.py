"""The order's tax invoice number, taken at its first pack (issue #11).

The number is taken in the transaction that records the pack, so it is used exactly
once. Out of numbers, the parcel is **not closed**: a parcel must leave with its tax
invoice (CGST rule 46: the invoice is issued when the goods are removed), and refusing
before anything is written keeps the scanned items in the parcel to close once the
bench has numbers again. Numbers come in blocks with the sync (:mod:`app.sync.invoice_topup`).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from app.domain.tax.invoice_numbers import financial_year, invoice_day, year_text
from app.errors import RuleRefused
from app.storage import invoices


class OutOfInvoiceNumbers(RuleRefused):
    """The bench holds no invoice number of the year: the parcel waits, its items kept."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"This bench has no tax invoice numbers left for {year}-{year_text(year)[2:]}, "
            "so the parcel is not closed. Its items stay in it.",
            next_step="Connect the bench to the network and sync: it fetches more numbers. "
            "Then close the parcel again.",
        )


def first_pack_invoice(conn: sqlite3.Connection, fulfilment_id: int, now: datetime) -> str:
    """The invoice number to send with this pack: a new one at the order's first pack,
    "" once the order has one. Raises ``OutOfInvoiceNumbers``."""
    if invoices.order_invoice(conn, fulfilment_id) is not None:
        return ""
    on = invoice_day(now)
    year = financial_year(on)
    number = invoices.take_number(conn, fulfilment_id, year, on)
    if number is None:
        raise OutOfInvoiceNumbers(year)
    return number
