"""Tax invoice numbers: one consecutive series per station and financial year. Pure.

A number reads ``B0001/2627/00123``: the station's prefix (B and its station number), the
financial year (April 2026 to March 2027 is 2627) and the serial in that year's series.
That is 16 characters, the most CGST rule 46(b) allows (letters, digits, '-' and '/'), so
a station's series holds 99,999 invoices a year. A new financial year starts a new series
at 1. The ledger hands each station its serials in blocks, so it can invoice offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.errors import BadInput

BLOCK_SIZE = 200  # serials the ledger hands a station at a time
TOP_UP_BELOW = 50  # a station with fewer left asks for the next block when it syncs
MAX_SERIAL = 99_999  # five digits: the number stays within 16 characters
MAX_STATION = 9_999


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


def station_prefix(station_number: int) -> str:
    """The series prefix of the station the ledger numbered ``station_number``."""
    if not 1 <= station_number <= MAX_STATION:
        raise BadInput(
            f"Station {station_number} cannot number invoices (stations 1 to {MAX_STATION} can).",
            next_step="Ask IT to enrol this bench again.",
        )
    return f"B{station_number:04d}"


def invoice_number(prefix: str, year: int, serial: int) -> str:
    """The invoice number of ``serial`` in the series of ``prefix`` for ``year``."""
    if not 1 <= serial <= MAX_SERIAL:
        raise BadInput(f"Invoice serial {serial} is outside 1 to {MAX_SERIAL}.")
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
            raise BadInput(f"Invoice serials {self.first} to {self.last} are not a block.")

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def next_block(year: int, prefix: str, highest: int) -> NumberBlock | None:
    """The block after serial ``highest`` of the series; None once the year's is used up."""
    if highest >= MAX_SERIAL:
        return None
    return NumberBlock(year, prefix, highest + 1, min(highest + BLOCK_SIZE, MAX_SERIAL))
