"""Tax invoice and credit note numbers: consecutive series per station and financial
year. Pure.

A number reads ``B0001/2627/00123``: the station's prefix (the series' letter and its
station number), the financial year (April 2026 to March 2027 is 2627) and the serial in
that year's series. That is 16 characters, the most CGST rule 46(b) allows (letters,
digits, '-' and '/'), so a station's series holds 99,999 documents a year. A new financial
year starts a new series at 1. Tax invoices are series B; credit notes for returns are
series C (``C0001/2627/00001``): GST wants each kind of document numbered in its own
series. The ledger hands each station its serials in blocks, so it can number offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from app.errors import BadInput

BLOCK_SIZE = 200  # serials the ledger hands a station at a time
TOP_UP_BELOW = 50  # a station with fewer left asks for the next block when it syncs
MAX_SERIAL = 99_999  # five digits: the number stays within 16 characters
MAX_STATION = 9_999


class Series(StrEnum):
    """A kind of numbered tax document; each runs its own series per station and year."""

    INVOICE = "invoice"  # tax invoices, taken at an order's first pack
    CREDIT_NOTE = "credit_note"  # GST credit notes, taken when a return is recorded

    @property
    def letter(self) -> str:
        """The letter that starts the series' numbers."""
        return _LETTERS[self]

    @property
    def words(self) -> str:
        """The document's name as people say it."""
        return "tax invoice" if self is Series.INVOICE else "credit note"


_LETTERS = {Series.INVOICE: "B", Series.CREDIT_NOTE: "C"}


def series_of(prefix: str) -> Series:
    """The series a prefix numbers, by its letter."""
    for series, letter in _LETTERS.items():
        if prefix.startswith(letter):
            return series
    raise BadInput(f"'{prefix}' is not the prefix of an invoice or credit note series.")


INDIA = ZoneInfo("Asia/Kolkata")  # the financial year turns at midnight on 1 April, IST


def invoice_day(now: datetime) -> date:
    """The invoice date of a pack at ``now`` (UTC): the day in India."""
    return now.astimezone(INDIA).date()


def financial_year(on: date) -> int:
    """The financial year ``on`` falls in, by the year it starts (April to March)."""
    return on.year if on.month >= 4 else on.year - 1


def year_text(year: int) -> str:
    """The financial year as invoices print it: 2026 (April 2026 to March 2027) is 2627."""
    return f"{year % 100:02d}{(year + 1) % 100:02d}"


def station_prefix(station_number: int, series: Series = Series.INVOICE) -> str:
    """The prefix of ``series`` at the station the ledger numbered ``station_number``."""
    if not 1 <= station_number <= MAX_STATION:
        raise BadInput(
            f"Station {station_number} cannot number invoices or credit notes "
            f"(stations 1 to {MAX_STATION} can).",
            next_step="Ask IT to enrol this bench again.",
        )
    return f"{series.letter}{station_number:04d}"


def invoice_number(prefix: str, year: int, serial: int) -> str:
    """The number of ``serial`` in the series of ``prefix`` for ``year`` (an invoice's or,
    under a C prefix, a credit note's)."""
    if not 1 <= serial <= MAX_SERIAL:
        raise BadInput(f"Serial {serial} is outside 1 to {MAX_SERIAL}.")
    return f"{prefix}/{year_text(year)}/{serial:05d}"


@dataclass(frozen=True)
class NumberBlock:
    """Serials ``first``..``last`` of a station's series for ``year``, under ``prefix``."""

    year: int
    prefix: str
    first: int
    last: int

    def __post_init__(self) -> None:
        if not 1 <= self.first <= self.last <= MAX_SERIAL:
            raise BadInput(f"Serials {self.first} to {self.last} are not a block.")

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def series(self) -> Series:
        """The series the block numbers, by its prefix's letter."""
        return series_of(self.prefix)


def next_block(year: int, prefix: str, highest: int) -> NumberBlock | None:
    """The block after serial ``highest`` of the series; None once the year's is used up."""
    if highest >= MAX_SERIAL:
        return None
    return NumberBlock(year, prefix, highest + 1, min(highest + BLOCK_SIZE, MAX_SERIAL))
