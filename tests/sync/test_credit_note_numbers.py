"""Credit note numbers between a real ledger (SQLite and PostgreSQL) and a real station:
the first sync brings the station a block of its credit note series (C) beside its invoice
block (B), and the return reasons a return picks from; returns while the ledger is stopped
take consecutive credit note numbers from the block, invoices untouched; a station running
low gets the next credit note block with its sync, after the last it held."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.domain.reasons import ReasonUse
from app.domain.tax.invoice_numbers import BLOCK_SIZE, Series, financial_year, invoice_day
from app.domain.tax.invoice_numbers import year_text as fy_text
from app.ledger.seed_reasons import DEMO_RETURN_REASONS
from app.services.returns.credit_notes import take_credit_note_number
from app.services.station import Station
from app.storage import invoices, reasons
from app.storage.engine import raw_connection
from tests.e2e.test_ship_from_store import bench_station
from tests.support.ledger import RunningLedger, backend_params, ledger_on
from tests.sync.test_invoice_numbers import blocks_of, prefix_of


@pytest.fixture(params=backend_params())
def ledger(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RunningLedger]:
    yield from ledger_on(request.param, tmp_path / "ledger")


def this_year(station: Station, year: int) -> list[tuple[int, str, int, int]]:
    """The blocks held for ``year`` (within a month of 1 April the next year's come too)."""
    return [b for b in blocks_of(station, None) if b[0] == year]


def take(station: Station, return_id: str) -> str:
    with station.db.writing() as session:
        return take_credit_note_number(raw_connection(session), return_id, datetime.now(UTC))


def test_credit_notes_number_offline_in_blocks_the_sync_tops_up(
    ledger: RunningLedger, tmp_path: Path
) -> None:
    year = financial_year(invoice_day(datetime.now(UTC)))
    fy = fy_text(year)
    station = bench_station(ledger, tmp_path / "counter", "BLR-01")
    try:
        b = prefix_of(ledger, station)
        c = "C" + b[1:]
        assert sorted(this_year(station, year)) == [
            (year, b, 1, BLOCK_SIZE), (year, c, 1, BLOCK_SIZE),
        ]  # fmt: skip
        with station.db.reading() as session:
            picked = reasons.choices(raw_connection(session), ReasonUse.RETURN)
        assert [r.code for r in picked] == [r.code for r in DEMO_RETURN_REASONS]

        ledger.stop()
        try:  # offline: the numbers come from the block the station holds
            taken = [take(station, f"ret-{n}") for n in range(3)]
        finally:
            ledger.start()
        assert taken == [f"{c}/{fy}/{n:05d}" for n in (1, 2, 3)]

        with station.db.writing() as session:  # 151 credit notes used: 49 left
            raw_connection(session).execute(
                "UPDATE invoice_blocks SET next_serial = 152 WHERE series = 'credit_note'"
            )
        station.sync.sync_once()
        assert take(station, "ret-next") == f"{c}/{fy}/00152"
        with station.db.reading() as session:
            conn = raw_connection(session)
            left = invoices.numbers_left(conn, year, Series.CREDIT_NOTE)
            invoices_left = invoices.numbers_left(conn, year)
        assert max(this_year(station, year)) == (year, c, BLOCK_SIZE + 1, 2 * BLOCK_SIZE)
        assert left == 2 * BLOCK_SIZE - 152 and invoices_left == BLOCK_SIZE
        held = ledger.sql(
            "SELECT series, prefix, first_serial FROM invoice_blocks WHERE financial_year = :y "
            "ORDER BY series, first_serial",
            {"y": year},
        )
        assert [tuple(r) for r in held] == [
            ("credit_note", c, 1), ("credit_note", c, BLOCK_SIZE + 1), ("invoice", b, 1),
        ]  # fmt: skip
    finally:
        station.close()
