"""Credit note numbers in the station cache: the number each return was credited under
(step 25), taken from this station's credit note blocks (series C, kept beside its invoice
blocks by :mod:`app.storage.invoices`).

The number is taken inside the caller's transaction (the one that records the return),
so a crash between taking and using it loses nothing and reuses nothing.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from app.domain.tax.invoice_numbers import Series
from app.storage.invoices import next_number


def credit_note_of(conn: sqlite3.Connection, return_id: str) -> tuple[str, date] | None:
    """The number and date the return was credited under, if it was."""
    row = conn.execute(
        "SELECT number, issued_on FROM credit_notes WHERE return_id = ?", (return_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), date.fromisoformat(str(row[1])))


def take_credit_note(conn: sqlite3.Connection, return_id: str, year: int, on: date) -> str | None:
    """The next number of ``year``'s credit note series, kept as the return's; None when
    none is left."""
    number = next_number(conn, Series.CREDIT_NOTE, year)
    if number is None:
        return None
    conn.execute(
        "INSERT INTO credit_notes (return_id, number, issued_on) VALUES (?, ?, ?)",
        (return_id, number, on.isoformat()),
    )
    return number
