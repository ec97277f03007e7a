"""The bench queue: this location's open ship orders, by delivery promise and cut-off.

Read from the cache as the ledger last sent them (``app.storage.ship_orders``). An order
is marked as missing today's cut-off, and apart from that as late for its delivery
promise, by the rules of :mod:`app.domain.shipping.promise`: the marks are said in words
on screen, not by colour alone. "Today" is the store's day (its time zone).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from app.domain.fulfilment import FulfilmentState
from app.domain.shipping.promise import late_for_promise, will_miss
from app.domain.shipping.timeline import ALARMS, ParcelTimeline, order_timeline
from app.domain.shipping.tracking import parcel_tracking
from app.errors import KnownError, NotFound
from app.services.pickup_view import store_zone
from app.services.shipping.results import (
    ShipAddress,
    ShipDetail,
    ShipLine,
    ShipQueue,
    ShipSummary,
)
from app.storage import packing, ship_orders
from app.storage.engine import Database, raw_connection
from app.storage.types import from_text, to_text

QUEUE_PAGE = 500  # orders shown; the summary line counts them all


def end_of_day(now: datetime, zone: tzinfo) -> datetime:
    """The end of the store's day that ``now`` is in (its next midnight)."""
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=zone)


class ShipQueueService:
    """The bench's queue of ship orders; every call is one read transaction."""

    def __init__(self, *, db: Database, clock: Callable[[], datetime]) -> None:
        self._db = db
        self._clock = clock

    def queue(self, page: int = QUEUE_PAGE) -> ShipQueue:
        """The first ``page`` open ship orders in queue order, with the summary's counts."""
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            zone = store_zone(conn)
            rows = ship_orders.open_orders(conn, page)
            total = ship_orders.count_open(conn)
            due = ship_orders.due_by(conn, to_text(end_of_day(now, zone)))
            promised = ship_orders.promised(conn)
        missing = sorted(
            {at for state, at in _parsed(due) if will_miss(state, at, now) and at is not None}
        )
        late = sum(
            late_for_promise(_state(state), _day(day), _when(at), _days(n), now, zone)
            for state, at, day, n in promised
        )
        return ShipQueue(
            orders=tuple(summary_of(row, now, zone) for row in rows),
            total=total,
            due_today=len(due),
            will_miss=sum(1 for state, at in _parsed(due) if will_miss(state, at, now)),
            missed_cutoffs=tuple(missing),
            as_of=now,
            zone=zone,
            late_for_promise=late,
        )

    def order(self, fulfilment_id: int) -> ShipDetail:
        """One ship order of this location with its lines, address, payment and route note."""
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            row = ship_orders.by_id(conn, fulfilment_id)
            zone = store_zone(conn)
            if row is not None:
                _read_parcels(conn, row)
        if row is None:
            raise NotFound(
                "That ship order is not at this station any more.",
                next_step="Choose another order in the queue.",
            )
        return detail_of(row, now, zone)

    def find(self, code: str) -> ShipDetail:
        """The ship order whose number was scanned or typed (an open one first)."""
        number = code.strip()
        now = self._clock()
        with self._db.reading() as session:
            conn = raw_connection(session)
            rows = ship_orders.by_order_number(conn, number) if number else []
            zone = store_zone(conn)
            for row in rows:
                _read_parcels(conn, row)
        if not rows:
            raise NotFound(
                f"No ship order {number} here.",
                next_step="Check the number on the order slip, or scan another order.",
            )
        rows.sort(key=lambda r: r["state"] not in ship_orders.QUEUE_STATES)
        return detail_of(rows[0], now, zone)


def _read_parcels(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    """Put the order's pulled parcels in ``row``, with what its timeline needs: staff
    names, and what the store must do about a parcel that did not reach its customer."""
    row["parcels"] = packing.parcels_text(conn, int(row["id"]))
    row["staff_names"] = ship_orders.staff_names(conn)
    row["store_must"] = ship_orders.store_must(conn, str(row["order_number"]), ALARMS.values())


def _parsed(due: list[tuple[str, str]]) -> list[tuple[FulfilmentState, datetime | None]]:
    return [(_state(state), _when(at)) for state, at in due]


def _state(value: Any) -> FulfilmentState:
    return FulfilmentState(str(value))


def _when(value: Any) -> datetime | None:
    """A ledger time from the cache; None when missing or unreadable."""
    try:
        return from_text(str(value)) if value else None
    except (KnownError, ValueError):
        return None


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _days(value: Any) -> int | None:
    return None if value is None else int(value)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value else value


def _lines(row: dict[str, Any]) -> tuple[ShipLine, ...]:
    return tuple(
        ShipLine(
            sku=str(line.get("sku", "")),
            name=str(line.get("name", "")),
            quantity=int(line.get("quantity", 0)),
            picked=int(line.get("picked", 0)),
        )
        for line in _json(row["lines"]) or []
    )


def summary_of(row: dict[str, Any], now: datetime, zone: tzinfo) -> ShipSummary:
    """A cached ship order as a queue row (``zone``: the store's, for its day)."""
    state, ship_by, promised_by = (
        _state(row["state"]),
        _when(row["ship_by"]),
        _day(row["promised_by"]),
    )
    return ShipSummary(
        fulfilment_id=int(row["id"]),
        order_number=str(row["order_number"]),
        state=state,
        units=sum(line.quantity for line in _lines(row)),
        carrier=str(row["carrier"] or ""),
        ship_by=ship_by,
        promised_by=promised_by,
        created_at=_when(row["created_at"]),
        picker_code=str(row["picker_code"] or ""),
        picker_name=str(row["picker_name"] or row["picker_code"] or ""),
        will_miss=will_miss(state, ship_by, now),
        late_for_promise=late_for_promise(
            state,
            promised_by,
            ship_by,
            _days(row["transit_days"]),
            now,
            zone,
            handed_over_at=_handed_over_at(row),
            delivered_at=_delivered_at(row),
        ),
    )


def detail_of(row: dict[str, Any], now: datetime, zone: tzinfo) -> ShipDetail:
    """A cached ship order opened: its lines, where it goes, how it is paid, why here."""
    to = _json(row["ship_to"]) or {}
    return ShipDetail(
        summary=summary_of(row, now, zone),
        lines=_lines(row),
        address=ShipAddress(**{k: str(to.get(k) or "") for k in ShipAddress.__dataclass_fields__}),
        payment=str(row["payment"] or ""),
        cod_minor=int(row["cod_minor"] or 0),
        carrier_service=str(row["carrier_service"] or ""),
        route_note=str(row["route_note"] or ""),
        zone=zone,
        as_of=now,
        tracking=_tracking(row, zone),
        timeline=_timeline(row),
        handed_over_at=_handed_over_at(row),
        carrier_name=_carrier_name(row),
    )


def _carrier_name(row: dict[str, Any]) -> str:
    """The order's carrier by the name the ledger sent with its parcels ("" when none of
    its live parcels came with one: before packing, an older ledger, an unknown code)."""
    code = str(row["carrier"] or "")
    names = (
        str(p.get("carrier_name") or "") for p in _live_parcels(row) if p.get("carrier") == code
    )
    return next((name for name in names if name), "")


def _live_parcels(row: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in _json(row.get("parcels")) or [] if not p.get("void")]


def _handed_over_at(row: dict[str, Any]) -> datetime | None:
    """When the order's last live parcel was handed over (None: none was, as far as the
    ledger has told)."""
    times = [_when(p.get("handed_over_at")) for p in _live_parcels(row)]
    return max((t for t in times if t is not None), default=None)


def _delivered_at(row: dict[str, Any]) -> datetime | None:
    """When the order's last live parcel was delivered (None: one is not yet, or the
    ledger has not said when)."""
    times = [_when(p.get("delivered_at")) for p in _live_parcels(row)]
    if not times or None in times:
        return None
    return max(t for t in times if t is not None)


def _timeline(row: dict[str, Any]) -> tuple[ParcelTimeline, ...]:
    names, must = row.get("staff_names") or {}, row.get("store_must") or {}
    return order_timeline(_json(row.get("parcels")) or [], names, must)


def _tracking(row: dict[str, Any], zone: tzinfo) -> tuple[str, ...]:
    said = (parcel_tracking(p, zone) for p in _json(row.get("parcels")) or [])
    return tuple(s for s in said if s)
