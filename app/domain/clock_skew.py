"""A terminal clock that is off: how far, in words, and when it is worth saying.

Ordering never depends on device clocks (device_seq and ledger_seq do that), so a wrong
clock breaks nothing at once; but the times a terminal shows and records are wrong, and
nobody notices. Beyond :data:`SKEW_LIMIT` the terminal and HQ are told.
"""

from __future__ import annotations

from datetime import timedelta

SKEW_LIMIT = timedelta(minutes=5)


def is_off(skew: timedelta | None) -> bool:
    """Whether a clock ``skew`` away from the ledger's (+ ahead, − behind) is worth saying."""
    return skew is not None and abs(skew) > SKEW_LIMIT


def skew_in_words(skew: timedelta) -> str:
    """ "2 days behind", "3 hours ahead", "7 minutes behind" (to the second, then down)."""
    way = "ahead" if skew > timedelta(0) else "behind"
    s = round(abs(skew).total_seconds())
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if s >= size:
            n = s // size
            return f"{n} {unit}{'' if n == 1 else 's'} {way}"
    return f"{s} seconds {way}"


def station_warning(skew: timedelta | None) -> str:
    """What the terminal's status bar says of its clock ("" when it is right)."""
    if not is_off(skew):
        return ""
    assert skew is not None
    return f"This terminal's clock is {skew_in_words(skew)} — ask IT to set the time"


def station_warning_short(skew: timedelta | None) -> str:
    """The same where room is short: "Clock 2 days behind — ask IT"."""
    if not is_off(skew):
        return ""
    assert skew is not None
    return f"Clock {skew_in_words(skew)} — ask IT"
