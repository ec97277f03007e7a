"""The credit note number of a return, taken as the return is recorded (issue #12).

A return that refunds anything is documented by a GST credit note (CGST section 34),
numbered in this station's own consecutive series for the financial year (C0001/2627/…),
from blocks the ledger hands out with the sync, so it works offline. The number is taken in
the transaction that records the return, so it is used exactly once; asking again for the
same return gives the same number (a retried save never uses a second one).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from app.domain.tax.invoice_numbers import financial_year, invoice_day, year_text
from app.errors import RuleRefused
from app.storage import credit_notes


class OutOfCreditNoteNumbers(RuleRefused):
    """The station holds no credit note number of the year: the return is not recorded yet."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"This counter has no credit note numbers left for {year}-{year_text(year)[2:]}, "
            "so the return is not recorded yet. Keep the item here.",
            next_step="Connect the counter to the network and sync: it fetches more numbers. "
            "Then record the return again.",
        )


def take_credit_note_number(conn: sqlite3.Connection, return_id: str, now: datetime) -> str:
    """The credit note number of the return ``return_id`` (the station's id of it): a new
    one of this financial year's series the first time, the same one after. Call it inside
    the transaction that records the return. Raises ``OutOfCreditNoteNumbers``."""
    kept = credit_notes.credit_note_of(conn, return_id)
    if kept is not None:
        return kept[0]
    on = invoice_day(now)
    year = financial_year(on)
    number = credit_notes.take_credit_note(conn, return_id, year, on)
    if number is None:
        raise OutOfCreditNoteNumbers(year)
    return number
