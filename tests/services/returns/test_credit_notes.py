"""Credit note numbers at the station on a real cache: taken in the transaction that
records a return, consecutive across returns in the station's own series (C), apart from
its invoice numbers; the same return asked again keeps its number, a return not saved
gives its number back; out of numbers the return waits with words saying what to do; a
new financial year starts a new series at midnight on 1 April in India."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.domain.tax.invoice_numbers import NumberBlock, Series
from app.services.returns.credit_notes import OutOfCreditNoteNumbers, take_credit_note_number
from app.services.station import Station
from app.storage import credit_notes, invoices
from app.storage.engine import raw_connection
from tests.services.conftest import Clock


def take(station: Station, return_id: str, clock: Clock) -> str:
    """The number a return's transaction takes, as the return service will."""
    with station.db.writing() as session:
        return take_credit_note_number(raw_connection(session), return_id, clock())


def test_returns_take_consecutive_numbers_apart_from_invoices(
    station: Station, clock: Clock
) -> None:
    first = take(station, "ret-1", clock)
    with station.db.writing() as session:  # a pack between the returns: an invoice number
        packed = invoices.take_number(raw_connection(session), 7, 2026, clock().date())
    second = take(station, "ret-2", clock)
    again = take(station, "ret-1", clock)  # the same return saved again

    assert [first, second, again] == ["C0001/2627/00001", "C0001/2627/00002", "C0001/2627/00001"]
    assert packed == "B0001/2627/00001"
    with station.db.reading() as session:
        conn = raw_connection(session)
        assert invoices.numbers_left(conn, 2026, Series.CREDIT_NOTE) == 198
        assert invoices.numbers_left(conn, 2026) == 199
        assert credit_notes.credit_note_of(conn, "ret-2") == ("C0001/2627/00002", clock().date())


def test_a_return_not_saved_gives_its_number_back(station: Station, clock: Clock) -> None:
    with pytest.raises(RuntimeError), station.db.writing() as session:
        take_credit_note_number(raw_connection(session), "ret-lost", clock())
        raise RuntimeError("the return's save failed after the number was taken")

    assert take(station, "ret-kept", clock) == "C0001/2627/00001"
    with station.db.reading() as session:
        assert credit_notes.credit_note_of(raw_connection(session), "ret-lost") is None


def test_out_of_numbers_the_return_waits_until_a_block_comes(
    station: Station, clock: Clock
) -> None:
    with station.db.writing() as session:
        raw_connection(session).execute(
            "UPDATE invoice_blocks SET next_serial = last + 1 WHERE series = 'credit_note'"
        )

    with pytest.raises(OutOfCreditNoteNumbers) as refused:
        take(station, "ret-1", clock)

    assert "no credit note numbers left for 2026-27" in refused.value.message
    assert "sync" in refused.value.next_step
    with station.db.writing() as session:
        conn = raw_connection(session)
        assert credit_notes.credit_note_of(conn, "ret-1") is None
        assert invoices.take_number(conn, 7, 2026, clock().date()) == "B0001/2627/00001"
        invoices.keep_blocks(conn, [NumberBlock(2026, "C0001", 201, 400)])
    assert take(station, "ret-1", clock) == "C0001/2627/00201"


def test_a_new_financial_year_starts_a_new_series_at_midnight_in_india(
    station: Station, clock: Clock
) -> None:
    with station.db.writing() as session:
        invoices.keep_blocks(raw_connection(session), [NumberBlock(2027, "C0001", 1, 200)])
    clock.now = datetime(2027, 3, 31, 18, 29, tzinfo=UTC)  # 23:59 on 31 March in India
    last_of_year = take(station, "ret-1", clock)
    clock.now = datetime(2027, 3, 31, 18, 31, tzinfo=UTC)  # 00:01 on 1 April

    assert last_of_year == "C0001/2627/00001"
    assert [take(station, "ret-2", clock), take(station, "ret-3", clock)] == [
        "C0001/2728/00001", "C0001/2728/00002",
    ]  # fmt: skip
