"""Pull each booked carrier's event feed from the cursor the ledger keeps, so an event
whose push was missed (the ledger down, the webhook lost) is filled in. An event already
pushed is recorded once (:mod:`.record`); the cursor moves only past events recorded.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select, update

from app.carriers.adapter import CarrierAdapter, CarrierError, TrackingEvent
from app.ledger.models import CarrierCursor, table_of
from app.ledger.tracking.record import CarrierEvent, Taken, record_event
from app.ledger.writes import utcnow

log = logging.getLogger("counterbench.tracking")
cursors = table_of(CarrierCursor)
MAX_PAGES = 50  # per pull; the next pull goes on from where this one stopped


@dataclass(frozen=True)
class Pulled:
    """What one pull of a carrier's feed did."""

    carrier: str
    applied: int = 0
    duplicates: int = 0
    unknown: int = 0
    cursor: int = 0
    error: str = ""  # the carrier could not be read: try again later


def pull_carrier(engine: Engine, adapter: CarrierAdapter) -> Pulled:
    """Read ``adapter``'s feed after the kept cursor and record every event in it."""
    cursor = _cursor(engine, adapter.code)
    counts = {taken: 0 for taken in Taken}
    for _ in range(MAX_PAGES):
        try:
            page = adapter.events(cursor)
        except CarrierError as exc:
            log.warning("tracking feed of %s not read: %s", adapter.name, exc)
            return _pulled(adapter.code, counts, cursor, error=str(exc))
        for event in page.events:
            counts[record_event(engine, adapter.code, _carrier_event(event), via="pull")] += 1
        if not page.events or page.cursor == cursor:
            break
        cursor = page.cursor
        _keep_cursor(engine, adapter.code, cursor)
    return _pulled(adapter.code, counts, cursor)


def _pulled(code: str, counts: dict[Taken, int], cursor: int, *, error: str = "") -> Pulled:
    return Pulled(
        carrier=code,
        applied=counts[Taken.APPLIED],
        duplicates=counts[Taken.DUPLICATE],
        unknown=counts[Taken.UNKNOWN_PARCEL],
        cursor=cursor,
        error=error,
    )


def _carrier_event(event: TrackingEvent) -> CarrierEvent:
    return CarrierEvent(
        sscc=event.sscc,
        tracking=event.tracking,
        kind=str(event.kind),
        at=event.at,
        seq=event.seq,
        place=event.place,
        note=event.note,
    )


def _cursor(engine: Engine, code: str) -> int:
    with engine.connect() as conn:
        kept = conn.execute(select(cursors.c.cursor).where(cursors.c.carrier == code)).scalar()
    return int(kept or 0)


def _keep_cursor(engine: Engine, code: str, cursor: int) -> None:
    with engine.begin() as conn:
        c = cursors.c
        done = conn.execute(
            update(cursors).where(c.carrier == code).values(cursor=cursor, pulled_at=utcnow())
        )
        if done.rowcount == 0:
            conn.execute(insert(cursors).values(carrier=code, cursor=cursor, pulled_at=utcnow()))
