"""A ship order's timeline as the bench shows it, per parcel (under its SSCC), oldest
first: packed (by whom), booked (the carrier by its name, its code only when the ledger sent
no name, and the tracking number), handed over, then every carrier event with
its local time and place. A failed delivery or a return to origin is an alarm line that
says what the store must do next, in the words of the exception the ledger opened. Pure:
it reads the pulled ``parcels`` (app.ledger.parcel_rows describes them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from typing import Any

from app.domain.exception_texts import DELIVERY_FAILED, RETURNING_TO_STORE
from app.domain.shipping.tracking import FAILED_DELIVERY, RTO, kind_in_words

# The carrier event that opens each exception: its line carries the exception's next step.
ALARMS = {FAILED_DELIVERY: DELIVERY_FAILED, RTO: RETURNING_TO_STORE}


@dataclass(frozen=True)
class TimelineLine:
    """One line: when (None: the ledger did not say), what, and for an alarm what next."""

    at: datetime | None
    what: str
    where: str = ""  # the carrier's place, or who did it, or the number
    alarm: bool = False  # failed delivery or return to origin: the store must act
    next_step: str = ""  # the open exception's words, on the latest alarm of its kind

    def text(self, zone: tzinfo) -> str:
        """ "06 Dec 18:40 · In transit · Hub BLR", in the store's time zone."""
        when = f"{self.at.astimezone(zone):%d %b %H:%M}" if self.at is not None else ""
        said = " · ".join(p for p in (when, self.what, self.where) if p)
        return f"{said} — {self.next_step}" if self.next_step else said


@dataclass(frozen=True)
class ParcelTimeline:
    """The lines of one live parcel, oldest first."""

    sscc: str
    lines: tuple[TimelineLine, ...]


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _who(code: Any, names: Mapping[str, str]) -> str:
    return f"by {names.get(str(code)) or code}" if code else ""


def _own_lines(parcel: Mapping[str, Any], names: Mapping[str, str]) -> list[TimelineLine]:
    """What happened at the store: packed, booked (a carrier's own number), handed over."""
    sscc, tracking = str(parcel.get("sscc") or ""), str(parcel.get("tracking") or "")
    packed = _who(parcel.get("packed_by"), names)  # the SSCC heads the parcel's lines
    lines = [TimelineLine(_when(parcel.get("packed_at")), "Packed", packed)]
    if tracking and tracking != sscc:  # our own riders track by the SSCC: nothing booked
        carrier = str(parcel.get("carrier_name") or parcel.get("carrier") or "")
        number = " ".join(p for p in (carrier, tracking) if p)
        lines.append(TimelineLine(_when(parcel.get("booked_at")), "Booked", number))
    if parcel.get("handed_over_at"):
        by = _who(parcel.get("handed_over_by"), names)
        lines.append(TimelineLine(_when(parcel["handed_over_at"]), "Handed over", by))
    return lines


def _event_line(event: Mapping[str, Any]) -> TimelineLine:
    kind, note = str(event.get("kind") or ""), str(event.get("note") or "")
    what = kind_in_words(kind).capitalize() + (f" ({note})" if note else "")
    place = str(event.get("place") or "")
    return TimelineLine(_when(event.get("at")), what, place, alarm=kind in ALARMS)


def _with_next_steps(
    lines: list[TimelineLine], kinds: Sequence[str], must: Mapping[str, str]
) -> list[TimelineLine]:
    """The latest alarm of each kind says what the store must do (while it is open)."""
    done: set[str] = set()
    for i in reversed(range(len(lines))):
        exception = ALARMS.get(kinds[i])
        if exception and exception not in done and must.get(exception):
            lines[i] = replace(lines[i], next_step=must[exception])
            done.add(exception)
    return lines


def parcel_timeline(
    parcel: Mapping[str, Any], names: Mapping[str, str], must: Mapping[str, str]
) -> ParcelTimeline:
    """One pulled parcel's timeline. ``names``: staff code -> name; ``must``: exception
    kind -> next step of the order's open exceptions."""
    own = _own_lines(parcel, names)
    events = list(parcel.get("events") or ())
    kinds = [""] * len(own) + [str(e.get("kind") or "") for e in events]
    lines = _with_next_steps(own + [_event_line(e) for e in events], kinds, must)
    return ParcelTimeline(str(parcel.get("sscc") or ""), tuple(lines))


def order_timeline(
    parcels: Iterable[Mapping[str, Any]], names: Mapping[str, str], must: Mapping[str, str]
) -> tuple[ParcelTimeline, ...]:
    """The timeline of each live parcel of an order, in packing order (void ones left out:
    their units were packed again in another)."""
    return tuple(parcel_timeline(p, names, must) for p in parcels if not p.get("void"))
