"""Tax invoice and credit note number blocks fetched on the sync's network side (never the
DB worker).

After each sync round a station holding fewer than ``TOP_UP_BELOW`` numbers of a series
(tax invoices, credit notes) for this financial year (or for the next, within a month of
1 April) asks the ledger for its next block of that series; any kind of station may open
the packing bench or take a return, so every station holds blocks of both. A ledger from
before invoices does not know the endpoint: the station goes on until its numbers run out,
then says so (see app.services.shipping.invoicing, app.services.returns.credit_notes). A
ledger from before credit notes answers invoice blocks to any request: those answered to
a credit note request are not kept.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app import log
from app.domain.tax.invoice_numbers import (
    TOP_UP_BELOW,
    NumberBlock,
    Series,
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


def top_up_numbers(db: Database, client: LedgerClient, enrolment: Enrolment, now: datetime) -> int:
    """Fetch blocks for the series and years running low; how many blocks were added."""
    if enrolment.station_number is None:  # enrolled before stations were numbered
        return 0
    today = invoice_day(now)
    years = sorted({financial_year(today), financial_year(today + LOOK_AHEAD)})
    added = 0
    for series in Series:
        prefix = station_prefix(enrolment.station_number, series)
        for year in years:
            fetched = _top_up(db, client, series, prefix, year)
            if fetched is None:
                return added
            added += fetched
    return added


def _top_up(
    db: Database, client: LedgerClient, series: Series, prefix: str, year: int
) -> int | None:
    """Blocks added to ``year``'s ``series`` (numbered under ``prefix``); None when the
    ledger did not answer (the next sync asks again)."""
    with db.reading() as session:
        conn = raw_connection(session)
        if invoices.numbers_left(conn, year, series) >= TOP_UP_BELOW:
            return 0
        last = invoices.known_last(conn, year, prefix)
    try:
        answer = client.invoice_blocks(year, last, series)
    except KnownError as exc:
        _log.warning("no %s numbers fetched for %d: %s", series.words, year, exc)
        return None
    blocks = [NumberBlock(b.financial_year, b.prefix, b.first, b.last) for b in answer.blocks]
    mine = [b for b in blocks if b.prefix == prefix and b.year == year]
    if len(mine) < len(blocks):
        _log.warning("the ledger answered blocks of another series to a %s request", series.words)
    with db.writing() as session:
        return invoices.keep_blocks(raw_connection(session), mine)
