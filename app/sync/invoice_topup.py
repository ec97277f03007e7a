"""Invoice number blocks fetched on the sync's network side (never the DB worker).

After each sync round a station holding fewer than ``TOP_UP_BELOW`` numbers of this
financial year (or of the next, within a month of 1 April) asks the ledger for its next
block; any kind of station may open the packing bench, so counters hold a block too.
A ledger from before invoices does not know the endpoint: the bench goes on and packs
until its numbers run out, then says so (see app.services.shipping.invoicing).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app import log
from app.domain.tax.invoice_numbers import (
    TOP_UP_BELOW,
    NumberBlock,
    financial_year,
    invoice_day,
    station_prefix,
)
from app.errors import KnownError
from app.storage import invoices
from app.storage.device import Enrolment
from app.storage.engine import Database, raw_connection
from app.sync.client import LedgerClient

_log = log.get("sync")
LOOK_AHEAD = timedelta(days=31)


def top_up_invoices(db: Database, client: LedgerClient, enrolment: Enrolment, now: datetime) -> int:
    """Fetch blocks for the years running low; how many blocks were added."""
    if enrolment.station_number is None:  # enrolled before stations were numbered
        return 0
    prefix = station_prefix(enrolment.station_number)
    today = invoice_day(now)
    added = 0
    for year in sorted({financial_year(today), financial_year(today + LOOK_AHEAD)}):
        with db.reading() as session:
            conn = raw_connection(session)
            if invoices.numbers_left(conn, year) >= TOP_UP_BELOW:
                continue
            last = invoices.known_last(conn, year, prefix)
        try:
            answer = client.invoice_blocks(year, last)
        except KnownError as exc:
            _log.warning("no invoice numbers fetched for %d: %s", year, exc)
            return added
        blocks = [NumberBlock(b.financial_year, b.prefix, b.first, b.last) for b in answer.blocks]
        with db.writing() as session:
            added += invoices.keep_blocks(raw_connection(session), blocks)
    return added
